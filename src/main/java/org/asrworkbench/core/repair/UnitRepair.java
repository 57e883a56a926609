package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.stats.UnitStats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One unit's repair and the per-channel quantities the views plot. Arrays hold one value per
 * channel and are shared, not copied: treat them as read-only.
 *
 * @param unit        the unit's conv/linear module name
 * @param bn          the BatchNorm module name it feeds
 * @param mean        the chosen BN mean
 * @param var         the chosen BN variance
 * @param gain        the chosen gain (folded into gamma on export)
 * @param relVarAfter predicted post-BN variance in P after this repair relative to D's,
 *                    {@code gain^2 * s2_p * (v_c + eps) / ((var_c + eps) * s2_d)}; gamma cancels.
 *                    NaN for dead channels ({@code s2_d = 0}), 0 for collapsed ones.
 * @param values      the method's named per-channel values, in its order (ASR's {@code w}, a
 *                    rule's {@code let} values); unmodifiable
 */
public record UnitRepair(String unit, String bn, float[] mean, float[] var, float[] gain, double[] relVarAfter,
                         Map<String, double[]> values) {

    public UnitRepair {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
        return new UnitRepair(s.unit(), s.bn(), fm, fv, fg, relVar, values);
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
        return new BnOverride(mean, var, gain);
    }
}
