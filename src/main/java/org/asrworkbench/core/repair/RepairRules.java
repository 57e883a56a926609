package org.asrworkbench.core.repair;

import org.asrworkbench.core.stats.UnitStats;

import java.util.Arrays;

/**
 * The spec's method table: every method chooses a unit's {@code (mean_c, var_c, gain_c)} from
 * its statistics.
 *
 * <pre>
 *   none          m_c    v_c     1
 *   bn-recal      mu_p   s2_p    1
 *   layer-wise    mu_p   v_c     1 / R_u
 *   channel-wise  mu_p   v_c     1 / r_c
 *   asr           mu_p   v_c     g_c
 *
 *   t_c = min(r_c, 1)^2,  w_c = t_c / (t_c + lambda * median_u(t)),
 *   g_c = (1 / r_c)^w_c * (1 / R_u)^(1 - w_c)     (= exp of the spec's log-mixture)
 * </pre>
 * The median is over all the unit's channels; over an even count it is the mean of the two
 * middle values. Dead channels ({@code s2_d = 0}) keep gain 1 in every method. The power form
 * of {@code g_c} makes {@code lambda = 0} ({@code w_c = 1}) give exactly {@code 1 / r_c}. Should
 * {@code t_c + lambda * median} be 0 (only possible with {@code eps = 0}), {@code w_c = 1}.
 */
public final class RepairRules {
    private RepairRules() {
    }

    public static UnitRepair decide(UnitStats s, RepairSettings settings) {
        int n = s.channels();
        double eps = s.eps();
        double[] r = s.r();
        double layerGain = 1.0 / UnitStats.layerRetention(s.gamma(), r);
        double[] sortedT = new double[n];
        for (int c = 0; c < n; c++) {
            sortedT[c] = reliability(r[c]);
        }
        double shrink = settings.lambda() == 0 ? 0.0 : settings.lambda() * median(sortedT);
        double[] s2D = s.s2D();
        double[] s2P = s.s2P();
        double[] runningVar = s.runningVar();
        double[] w = new double[n];
        double[] gLayer = new double[n];
        double[] gChannel = new double[n];
        double[] gAsr = new double[n];
        double[] relVar = new double[n];
        float[] mean = new float[n];
        float[] var = new float[n];
        float[] gain = new float[n];
        RepairMethod method = settings.method();
        for (int c = 0; c < n; c++) {
            double t = reliability(r[c]);
            double den = t + shrink;
            w[c] = den > 0 ? t / den : 1.0;
            boolean dead = s2D[c] == 0;
            gLayer[c] = dead ? 1.0 : layerGain;
            gChannel[c] = dead ? 1.0 : 1.0 / r[c];
            gAsr[c] = dead ? 1.0 : Math.pow(gChannel[c], w[c]) * Math.pow(layerGain, 1.0 - w[c]);
            double m;
            double v;
            double g;
            switch (method) {
                case NONE -> {
                    m = s.runningMean()[c];
                    v = runningVar[c];
                    g = 1.0;
                }
                case BN_RECAL -> {
                    m = s.muP()[c];
                    v = s2P[c];
                    g = 1.0;
                }
                case LAYER_WISE -> {
                    m = s.muP()[c];
                    v = runningVar[c];
                    g = gLayer[c];
                }
                case CHANNEL_WISE -> {
                    m = s.muP()[c];
                    v = runningVar[c];
                    g = gChannel[c];
                }
                case ASR -> {
                    m = s.muP()[c];
                    v = runningVar[c];
                    g = gAsr[c];
                }
                default -> throw new IllegalStateException("unhandled method " + method);
            }
            mean[c] = (float) m;
            var[c] = (float) v;
            gain[c] = (float) g;
            relVar[c] = dead ? Double.NaN : g * g * s2P[c] * (runningVar[c] + eps) / ((v + eps) * s2D[c]);
        }
        return new UnitRepair(s.unit(), s.bn(), mean, var, gain, w, gLayer, gChannel, gAsr, relVar);
    }

    /** {@code t_c = min(r_c, 1)^2}. */
    private static double reliability(double r) {
        double m = Math.min(r, 1.0);
        return m * m;
    }

    /**
     * The median of {@code values} (mean of the two middle values for an even count). Sorts
     * {@code values} in place.
     */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}
