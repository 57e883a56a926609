package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.graph.UnitKind;
import org.asrworkbench.core.stats.UnitStats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One unit's repair and the per-channel quantities the views plot. Arrays hold one value per
 * channel and are shared, not copied: treat them as read-only.
 *
 * @param unit        the unit's name
 * @param bn          the BatchNorm module name, or a virtual unit's layer (the override key)
 * @param mean        the chosen BN mean
 * @param var         the chosen BN variance
 * @param gain        the chosen gain (folded into gamma on export)
 * @param relVarAfter predicted post-BN variance in P after this repair relative to D's,
 *                    {@code gain^2 * s2_p * (v_c + eps) / ((var_c + eps) * s2_d)}; gamma cancels.
 *                    NaN for dead channels ({@code s2_d = 0}), 0 for collapsed ones.
 * @param values      the method's named per-channel values, in its order (ASR's {@code w}, a
 *                    rule's {@code let} values); unmodifiable
 * @param virtual     a virtual unit's BN ({@code gamma, beta, eps} from D's statistics), null for a BN unit
 */
public record UnitRepair(String unit, String bn, float[] mean, float[] var, float[] gain, double[] relVarAfter,
                         Map<String, double[]> values, BnOverride.VirtualBn virtual) {

    public UnitRepair {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A BN unit's repair. */
    public UnitRepair(String unit, String bn, float[] mean, float[] var, float[] gain, double[] relVarAfter,
                      Map<String, double[]> values) {
        this(unit, bn, mean, var, gain, relVarAfter, values, null);
    }

    public UnitKind kind() {
        return virtual == null ? UnitKind.BN : UnitKind.VIRTUAL;
    }

    public boolean isVirtual() {
        return virtual != null;
    }

    /**
     * A unit's repair from the method's double-precision choice; computes {@code relVarAfter}
     * from the double gain.
     */
    public static UnitRepair of(UnitStats s, double[] mean, double[] var, double[] gain, Map<String, double[]> values) {
        int n = s.channels();
        if (mean.length != n || var.length != n || gain.length != n) {
            throw new IllegalArgumentException("unit '" + s.unit() + "': a repair needs " + n + " values per channel");
        }
        float[] fm = new float[n];
        float[] fv = new float[n];
        float[] fg = new float[n];
        double[] relVar = new double[n];
        double eps = s.eps();
        for (int c = 0; c < n; c++) {
            fm[c] = (float) mean[c];
            fv[c] = (float) var[c];
            fg[c] = (float) gain[c];
            double g = gain[c];
            relVar[c] = s.s2D()[c] == 0 ? Double.NaN
                    : g * g * s.s2P()[c] * (s.runningVar()[c] + eps) / ((var[c] + eps) * s.s2D()[c]);
        }
        return new UnitRepair(s.unit(), s.bn(), fm, fv, fg, relVar, values, s.isVirtual()
                ? new BnOverride.VirtualBn(floats(s.gamma()), floats(s.beta()), s.eps()) : null);
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    public int channels() {
        return mean.length;
    }

    /** The named per-channel value {@code name}, or null. */
    public double[] value(String name) {
        return values.get(name);
    }

    /** The BatchNorm override that applies this repair (shares the arrays). */
    public BnOverride toOverride() {
        return new BnOverride(mean, var, gain, virtual);
    }
}
