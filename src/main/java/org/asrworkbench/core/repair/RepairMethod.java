package org.asrworkbench.core.repair;

import org.asrworkbench.core.stats.UnitStats;

import java.util.List;
import java.util.Map;

/**
 * A repair method: the per-unit decision of the spec's method table. It takes one unit's
 * statistics and its parameter values and gives the unit's {@code (mean_c, var_c, gain_c)} per
 * channel, with any named per-channel values it wants the views to plot (ASR's {@code w}, a rule
 * file's {@code let} values). Built-in methods ({@link BuiltinMethod}) and rule files implement
 * it alike; nothing outside a method knows which parameters it has.
 *
 * <p>The built-in methods are {@link BuiltinMethod}'s constants. This interface declares no
 * constants of its own: with default methods here, initialising {@code BuiltinMethod} first
 * initialises this interface while the enum's constants are still null, so such constants
 * stayed null for the whole run whenever a built-in was named before the interface.
 */
public interface RepairMethod {

    /** The name used in the UI, the CLI and the JSON reports ({@code asr}, {@code rule:my-rule}). */
    String id();

    /** A short name for people. */
    String displayName();

    /** What it does, in one sentence. */
    String description();

    /** Its parameters, in order (empty for most built-ins). */
    List<MethodParam> params();

    /**
     * One unit's repair.
     *
     * @param params a value for every parameter of {@link #params()} (see {@link RepairSettings})
     * @throws IllegalArgumentException naming the method, the unit and the channel when the
     *                                  decision is not usable (a rule giving a non-finite gain)
     */
    UnitRepair decide(UnitStats stats, Map<String, Double> params);

    /**
     * What identifies its results in a sweep's cell ids: the id for built-ins, and for a rule
     * file also a digest of its content, so that an edited rule never resumes stale cells.
     */
    default String key() {
        return id();
    }

    /** True for {@code none}, which needs no statistics pass. */
    default boolean isIdentity() {
        return false;
    }

    /** The parameter named {@code name}, or null. */
    default MethodParam param(String name) {
        for (MethodParam p : params()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
