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
 * <p>This interface has <em>no default methods</em>, on purpose: the JVM initialises an
 * interface with default methods whenever a class implementing it is initialised, so reaching
 * {@code BuiltinMethod} first initialised this interface in the middle of the enum's own
 * initialisation, and the constants below, which name the enum's values, stayed null for the
 * whole run ({@code MethodInitOrderTest}).
 */
public interface RepairMethod {
    RepairMethod NONE = BuiltinMethod.NONE;
    RepairMethod BN_RECAL = BuiltinMethod.BN_RECAL;
    RepairMethod LAYER_WISE = BuiltinMethod.LAYER_WISE;
    RepairMethod CHANNEL_WISE = BuiltinMethod.CHANNEL_WISE;
    RepairMethod ASR = BuiltinMethod.ASR;
    RepairMethod BIAS_CORR = BuiltinMethod.BIAS_CORR;
    RepairMethod STAT_CORR = BuiltinMethod.STAT_CORR;

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
    String key();

    /** True for {@code none}, which needs no statistics pass. */
    boolean isIdentity();

    /** The parameter named {@code name}, or null ({@link #find} does it for a list). */
    MethodParam param(String name);

    /** The parameter named {@code name} in {@code params}, or null. */
    static MethodParam find(List<MethodParam> params, String name) {
        for (MethodParam p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
