package org.asrworkbench.core.repair;

import org.asrworkbench.core.stats.UnitStats;

import java.util.List;
import java.util.Map;

/**
 * The spec's method table (docs/repair-methods.md, "Methods"). Every method but {@code none}
 * re-centres the channel; dead channels ({@code s2_d = 0}) keep gain 1 in every method.
 *
 * <pre>
 *   none          m_c                    v_c     1
 *   bn-recal      mu_p                   s2_p    1
 *   layer-wise    mu_p                   v_c     1 / R_u
 *   channel-wise  mu_p                   v_c     1 / r_c
 *   asr           mu_p                   v_c     g_c
 *   bias-corr     mu_p - (mu_d - m_c)    v_c     1
 *   stat-corr     mu_p - r_c (mu_d - m_c) v_c    1 / r_c   (dead: bias-corr's mean, gain 1)
 *
 *   t_c = min(r_c, 1)^2,  w_c = t_c / (t_c + lambda * median_u(t)),
 *   g_c = (1 / r_c)^w_c * (1 / R_u)^(1 - w_c)     (= exp of the spec's log-mixture)
 * </pre>
 * The median is over all the unit's channels; over an even count it is the mean of the two
 * middle values. The power form of {@code g_c} makes {@code lambda = 0} ({@code w_c = 1}) give
 * exactly {@code 1 / r_c}. Should {@code t_c + lambda * median} be 0 (only possible with
 * {@code eps = 0}), {@code w_c = 1}.
 */
public enum BuiltinMethod implements RepairMethod {
    NONE("none", "none", "the pruned network as it is") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            return UnitRepair.of(s, s.runningMean(), s.runningVar(), ones(s), Map.of());
        }

        @Override
        public boolean isIdentity() {
            return true;
        }
    },
    BN_RECAL("bn-recal", "BN recalibration", "every channel re-normalised to full strength (REFLOW-style)") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            return UnitRepair.of(s, s.muP(), s.s2P(), ones(s), Map.of());
        }
    },
    LAYER_WISE("layer-wise", "layer-wise", "one variance-matching correction 1/R for the whole unit") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            double g = 1.0 / s.R();
            double[] gain = new double[s.channels()];
            boolean[] dead = s.dead();
            for (int c = 0; c < gain.length; c++) {
                gain[c] = dead[c] ? 1.0 : g;
            }
            return UnitRepair.of(s, s.muP(), s.runningVar(), gain, Map.of());
        }
    },
    CHANNEL_WISE("channel-wise", "channel-wise", "naive channel-wise variance matching, gain 1/r") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            return UnitRepair.of(s, s.muP(), s.runningVar(), channelGain(s, s.r()), Map.of());
        }
    },
    ASR("asr", "ASR", "Adaptive Signal Resuscitation: 1/r shrunk toward 1/R by the channel's reliability",
            new MethodParam("lambda", RepairSettings.DEFAULT_LAMBDA, 0, Double.POSITIVE_INFINITY, true, 1e-3, 100)) {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            double lambda = params.get("lambda");
            int n = s.channels();
            double[] r = s.r();
            double layerGain = 1.0 / UnitStats.layerRetention(s.gamma(), r);
            double[] t = new double[n];
            for (int c = 0; c < n; c++) {
                double m = Math.min(r[c], 1.0);
                t[c] = m * m;
            }
            double shrink = lambda == 0 ? 0.0 : lambda * ChannelMath.median(t);
            boolean[] dead = s.dead();
            double[] w = new double[n];
            double[] gain = new double[n];
            for (int c = 0; c < n; c++) {
                double den = t[c] + shrink;
                w[c] = den > 0 ? t[c] / den : 1.0;
                gain[c] = dead[c] ? 1.0 : Math.pow(1.0 / r[c], w[c]) * Math.pow(layerGain, 1.0 - w[c]);
            }
            return UnitRepair.of(s, s.muP(), s.runningVar(), gain, Map.of("w", w));
        }
    },
    BIAS_CORR("bias-corr", "bias correction", "mean only: P's channel mean moved back to D's (Nagel et al. 2019)") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            return UnitRepair.of(s, biasCorrMean(s), s.runningVar(), ones(s), Map.of());
        }
    },
    STAT_CORR("stat-corr", "statistics correction",
            "P's post-BN mean and std matched to D's measured ones (OBC; REPAIR-style re-normalisation)") {
        @Override
        public UnitRepair decide(UnitStats s, Map<String, Double> params) {
            double[] r = s.r();
            boolean[] dead = s.dead();
            double[] mean = biasCorrMean(s);
            for (int c = 0; c < mean.length; c++) {
                if (!dead[c]) {
                    mean[c] = s.muP()[c] - r[c] * (s.muD()[c] - s.runningMean()[c]);
                }
            }
            return UnitRepair.of(s, mean, s.runningVar(), channelGain(s, r), Map.of());
        }
    };

    private final String id;
    private final String displayName;
    private final String description;
    private final List<MethodParam> params;

    BuiltinMethod(String id, String displayName, String description, MethodParam... params) {
        this.id = id;
        this.displayName = displayName;
        this.description = description;
        this.params = List.of(params);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<MethodParam> params() {
        return params;
    }

    @Override
    public MethodParam param(String name) {
        return RepairMethod.find(params, name);
    }

    @Override
    public String key() {
        return id();
    }

    @Override
    public boolean isIdentity() {
        return false;
    }

    @Override
    public String toString() {
        return id;
    }

    private static double[] ones(UnitStats s) {
        double[] g = new double[s.channels()];
        java.util.Arrays.fill(g, 1.0);
        return g;
    }

    /** {@code 1 / r_c}, 1 on dead channels. */
    private static double[] channelGain(UnitStats s, double[] r) {
        boolean[] dead = s.dead();
        double[] g = new double[r.length];
        for (int c = 0; c < g.length; c++) {
            g[c] = dead[c] ? 1.0 : 1.0 / r[c];
        }
        return g;
    }

    /** {@code mu_p - (mu_d - m_c)}. */
    private static double[] biasCorrMean(UnitStats s) {
        double[] m = new double[s.channels()];
        for (int c = 0; c < m.length; c++) {
            m[c] = s.muP()[c] - (s.muD()[c] - s.runningMean()[c]);
        }
        return m;
    }
}
