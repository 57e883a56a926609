package org.asrworkbench.core.stats;

import org.asrworkbench.core.graph.UnitKind;

import java.util.Objects;

/**
 * One unit's statistics from the sequential pass, with the BatchNorm parameters the repair
 * rules need. Arrays hold one value per channel and are shared, not copied: treat them as
 * read-only.
 *
 * <p>A {@linkplain UnitKind#VIRTUAL virtual unit} carries its virtual BN, defined from D's own
 * statistics at the unit ({@link #virtual}): {@code m = mu_d, v = s2_d, gamma = sqrt(s2_d + eps),
 * beta = mu_d, eps = 1e-5}, so every method applies to it unchanged.
 *
 * @param unit        the unit's name (its conv/linear module name, or the BN's when no single layer feeds it)
 * @param bn          where its repair is applied: the BatchNorm module name, or for a virtual unit its layer's
 * @param eps         the BatchNorm's epsilon
 * @param gamma       the BatchNorm's weight
 * @param runningMean the checkpoint's running mean {@code m_c}
 * @param runningVar  the checkpoint's running variance {@code v_c}
 * @param muD         mean of the pre-BN output in D
 * @param s2D         population variance in D
 * @param muP         mean in P (upstream repaired)
 * @param s2P         population variance in P
 * @param rho         Pearson correlation of D and P, paired value by value
 * @param beta        the BatchNorm's bias, or null when the statistics do not carry it (hand-made
 *                    statistics, or a statistics file written before it was recorded)
 * @param kind        BN or virtual
 */
public record UnitStats(String unit, String bn, double eps, double[] gamma, double[] runningMean, double[] runningVar,
                        double[] muD, double[] s2D, double[] muP, double[] s2P, double[] rho, double[] beta,
                        UnitKind kind) {
    /** The virtual BN's epsilon. */
    public static final double VIRTUAL_EPS = 1e-5;

    public UnitStats {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(bn, "bn");
        Objects.requireNonNull(kind, "kind");
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("unit '" + unit + "': eps must be finite and >= 0, not " + eps);
        }
        int c = gamma.length;
        double[][] all = {runningMean, runningVar, muD, s2D, muP, s2P, rho};
        String[] names = {"running_mean", "running_var", "mu_d", "s2_d", "mu_p", "s2_p", "rho"};
        for (int i = 0; i < all.length; i++) {
            if (all[i].length != c) {
                throw new IllegalArgumentException("unit '" + unit + "': " + names[i] + " has " + all[i].length
                        + " values but gamma has " + c);
            }
        }
        if (beta != null && beta.length != c) {
            throw new IllegalArgumentException("unit '" + unit + "': beta has " + beta.length + " values but gamma has " + c);
        }
    }

    /** A BN unit's statistics. */
    public UnitStats(String unit, String bn, double eps, double[] gamma, double[] runningMean, double[] runningVar,
                     double[] muD, double[] s2D, double[] muP, double[] s2P, double[] rho, double[] beta) {
        this(unit, bn, eps, gamma, runningMean, runningVar, muD, s2D, muP, s2P, rho, beta, UnitKind.BN);
    }

    /** A BN unit's statistics without the BatchNorm's bias ({@link #beta()} is null). */
    public UnitStats(String unit, String bn, double eps, double[] gamma, double[] runningMean, double[] runningVar,
                     double[] muD, double[] s2D, double[] muP, double[] s2P, double[] rho) {
        this(unit, bn, eps, gamma, runningMean, runningVar, muD, s2D, muP, s2P, rho, null);
    }

    /**
     * A virtual unit's statistics: its virtual BN from D's statistics, {@code m = mu_d, v = s2_d,
     * gamma = sqrt(s2_d + eps), beta = mu_d}, {@code eps = 1e-5}, the identity on D.
     *
     * @param layer the layer's module name (the override key)
     */
    public static UnitStats virtual(String unit, String layer, double[] muD, double[] s2D, double[] muP, double[] s2P,
                                    double[] rho) {
        double[] gamma = new double[s2D.length];
        for (int c = 0; c < gamma.length; c++) {
            gamma[c] = Math.sqrt(s2D[c] + VIRTUAL_EPS);
        }
        return new UnitStats(unit, layer, VIRTUAL_EPS, gamma, muD.clone(), s2D.clone(), muD, s2D, muP, s2P, rho,
                muD.clone(), UnitKind.VIRTUAL);
    }

    /** A virtual unit's statistics from the pass's moments. */
    public static UnitStats virtual(String unit, String layer, ChannelMoments m) {
        return virtual(unit, layer, m.muD(), m.s2D(), m.muP(), m.s2P(), m.rho());
    }

    public boolean isVirtual() {
        return kind == UnitKind.VIRTUAL;
    }

    /** Builds a unit's statistics from its BatchNorm parameters and accumulated moments. */
    public static UnitStats of(String unit, String bn, double eps, float[] gamma, float[] beta, float[] runningMean,
                               float[] runningVar, ChannelMoments m) {
        if (m.channels() != gamma.length) {
            throw new IllegalArgumentException("unit '" + unit + "': moments have " + m.channels()
                    + " channels but the BatchNorm '" + bn + "' has " + gamma.length);
        }
        return new UnitStats(unit, bn, eps, toDoubles(gamma), toDoubles(runningMean), toDoubles(runningVar),
                m.muD(), m.s2D(), m.muP(), m.s2P(), m.rho(), toDoubles(beta));
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    public int channels() {
        return gamma.length;
    }

    /** Retention {@code r_c = sqrt((s2_p + eps) / (s2_d + eps))} per channel. */
    public double[] r() {
        double[] r = new double[gamma.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = Math.sqrt((s2P[c] + eps) / (s2D[c] + eps));
        }
        return r;
    }

    /** Layer retention {@code R_u} (see {@link #layerRetention(double[], double[])}). */
    public double R() {
        return layerRetention(gamma, r());
    }

    /**
     * The gamma-weighted layer retention {@code R_u = sqrt(sum gamma_c^2 r_c^2 / sum gamma_c^2)}
     * over all channels (dead ones included, as the spec writes it). When every gamma is 0 the
     * weights are taken equal (root mean square of {@code r}).
     */
    public static double layerRetention(double[] gamma, double[] r) {
        double num = 0;
        double den = 0;
        for (int c = 0; c < r.length; c++) {
            double g2 = gamma[c] * gamma[c];
            num += g2 * r[c] * r[c];
            den += g2;
        }
        if (den > 0) {
            return Math.sqrt(num / den);
        }
        double sum = 0;
        for (double v : r) {
            sum += v * v;
        }
        return Math.sqrt(sum / r.length);
    }

    /** Channels that are dead in D: {@code s2_d == 0}. */
    public boolean[] dead() {
        boolean[] d = new boolean[gamma.length];
        for (int c = 0; c < d.length; c++) {
            d[c] = s2D[c] == 0;
        }
        return d;
    }

    /** Channels that collapsed in P: {@code s2_p == 0} and not dead. */
    public boolean[] collapsed() {
        boolean[] d = new boolean[gamma.length];
        for (int c = 0; c < d.length; c++) {
            d[c] = s2P[c] == 0 && s2D[c] != 0;
        }
        return d;
    }

    public int deadCount() {
        return count(dead());
    }

    public int collapsedCount() {
        return count(collapsed());
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            if (f) {
                n++;
            }
        }
        return n;
    }
}
