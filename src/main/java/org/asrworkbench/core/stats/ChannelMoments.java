package org.asrworkbench.core.stats;

/**
 * Exact, mergeable per-channel moments of paired (dense, pruned) pre-BN outputs.
 *
 * <p>Per channel it keeps the count, the means of {@code z_d} and {@code z_p}, their centred
 * sums of squares {@code M2} and the centred co-moment, in float64, and merges chunks with the
 * parallel update of Chan, Golub and LeVeque, so the result does not depend on how the data
 * were split into chunks (up to float64 rounding). Variances are population variances
 * ({@code M2 / count}). A channel whose values are all equal has a variance of exactly 0
 * (so that dead and collapsed channels are recognised exactly).
 */
public final class ChannelMoments {
    private final int channels;
    private long count;
    private final double[] meanD;
    private final double[] m2D;
    private final double[] meanP;
    private final double[] m2P;
    private final double[] coDP;

    public ChannelMoments(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("a unit has at least one channel, not " + channels);
        }
        this.channels = channels;
        meanD = new double[channels];
        m2D = new double[channels];
        meanP = new double[channels];
        m2P = new double[channels];
        coDP = new double[channels];
    }

    /**
     * Adds one chunk given its own centred moments per channel.
     *
     * @param count values per channel in the chunk
     * @param meanD mean of {@code z_d} per channel
     * @param m2D   sum of squared deviations of {@code z_d} from {@code meanD}
     * @param meanP mean of {@code z_p}
     * @param m2P   sum of squared deviations of {@code z_p}
     * @param coDP  sum of products of the two deviations
     */
    public void addChunk(long count, double[] meanD, double[] m2D, double[] meanP, double[] m2P, double[] coDP) {
        if (count < 0) {
            throw new IllegalArgumentException("negative count " + count);
        }
        for (double[] a : new double[][] {meanD, m2D, meanP, m2P, coDP}) {
            if (a.length != channels) {
                throw new IllegalArgumentException("chunk has " + a.length + " channels, expected " + channels);
            }
        }
        if (count == 0) {
            return;
        }
        long total = this.count + count;
        for (int c = 0; c < channels; c++) {
            mergeChannel(c, total, count, meanD[c], m2D[c], meanP[c], m2P[c], coDP[c]);
        }
        this.count = total;
    }

    /**
     * Adds raw data of one chunk: {@code n} samples of {@code channels x spatial} values, NCHW
     * order ({@code spatial = H * W}; 1 for a linear unit's (N, C) output). {@code zd[i]} and
     * {@code zp[i]} are the paired values of D and P.
     */
    public void addValues(float[] zd, float[] zp, int n, int channels, int spatial) {
        if (channels != this.channels) {
            throw new IllegalArgumentException("chunk has " + channels + " channels, expected " + this.channels);
        }
        long size = (long) n * channels * spatial;
        if (n < 0 || spatial <= 0 || zd.length != size || zp.length != size) {
            throw new IllegalArgumentException("chunk of " + n + " x " + channels + " x " + spatial
                    + " needs " + size + " values, got " + zd.length + " (dense) and " + zp.length + " (pruned)");
        }
        if (n == 0) {
            return;
        }
        long chunkCount = (long) n * spatial;
        long total = count + chunkCount;
        int stride = channels * spatial;
        for (int c = 0; c < channels; c++) {
            double sumD = 0;
            double sumP = 0;
            float firstD = zd[c * spatial];
            float firstP = zp[c * spatial];
            boolean constD = true;
            boolean constP = true;
            for (int i = 0; i < n; i++) {
                int base = i * stride + c * spatial;
                for (int s = 0; s < spatial; s++) {
                    sumD += zd[base + s];
                    sumP += zp[base + s];
                    constD &= zd[base + s] == firstD;
                    constP &= zp[base + s] == firstP;
                }
            }
            // a constant channel gets its value as the exact mean, so that its variance is exactly 0
            double mD = constD ? firstD : sumD / chunkCount;
            double mP = constP ? firstP : sumP / chunkCount;
            double ssD = 0;
            double ssP = 0;
            double co = 0;
            for (int i = 0; i < n; i++) {
                int base = i * stride + c * spatial;
                for (int s = 0; s < spatial; s++) {
                    double dd = zd[base + s] - mD;
                    double dp = zp[base + s] - mP;
                    ssD += dd * dd;
                    ssP += dp * dp;
                    co += dd * dp;
                }
            }
            mergeChannel(c, total, chunkCount, mD, ssD, mP, ssP, co);
        }
        count = total;
    }

    /** Adds another accumulator's data to this one (the other is unchanged). */
    public void merge(ChannelMoments other) {
        addChunk(other.count, other.meanD, other.m2D, other.meanP, other.m2P, other.coDP);
    }

    /** Chan et al.'s pairwise update of channel {@code c} with a chunk of {@code nb} values. */
    private void mergeChannel(int c, long total, long nb, double mbD, double m2bD, double mbP, double m2bP,
                              double cob) {
        long na = count;
        double deltaD = mbD - meanD[c];
        double deltaP = mbP - meanP[c];
        double f = (double) nb / total;
        double cross = (double) na * nb / total;
        meanD[c] += deltaD * f;
        meanP[c] += deltaP * f;
        m2D[c] += m2bD + deltaD * deltaD * cross;
        m2P[c] += m2bP + deltaP * deltaP * cross;
        coDP[c] += cob + deltaD * deltaP * cross;
    }

    /** Values per channel accumulated so far. */
    public long count() {
        return count;
    }

    public int channels() {
        return channels;
    }

    /** Mean of {@code z_d} per channel. */
    public double[] muD() {
        requireData();
        return meanD.clone();
    }

    /** Population variance of {@code z_d} per channel. */
    public double[] s2D() {
        return variance(m2D);
    }

    /** Mean of {@code z_p} per channel. */
    public double[] muP() {
        requireData();
        return meanP.clone();
    }

    /** Population variance of {@code z_p} per channel. */
    public double[] s2P() {
        return variance(m2P);
    }

    /** Pearson correlation of {@code z_d} and {@code z_p}; 0 where either variance is 0. */
    public double[] rho() {
        requireData();
        double[] r = new double[channels];
        for (int c = 0; c < channels; c++) {
            double den = m2D[c] * m2P[c];
            r[c] = den > 0 ? coDP[c] / Math.sqrt(den) : 0.0;
        }
        return r;
    }

    private double[] variance(double[] m2) {
        requireData();
        double[] v = new double[channels];
        for (int c = 0; c < channels; c++) {
            v[c] = m2[c] / count;
        }
        return v;
    }

    private void requireData() {
        if (count == 0) {
            throw new IllegalStateException("no values accumulated yet");
        }
    }
}
