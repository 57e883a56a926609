package org.asrworkbench.core.exec;

/**
 * A BatchNorm's repaired eval-mode settings: {@code y = gamma * gain * (z - mean) / sqrt(var + eps) + beta}.
 * All arrays have one value per channel.
 *
 * <p>For a BatchNorm of the network, {@code gamma}, {@code beta} and {@code eps} are the BN's own
 * ({@link #virtual} is null). For a virtual unit, {@link #virtual} holds the virtual BN's
 * {@code gamma, beta, eps}, and the executor applies the whole map as a per-channel affine right
 * after the conv or linear layer the override is keyed by.
 */
public record BnOverride(float[] mean, float[] var, float[] gain, VirtualBn virtual) {
    /** A virtual BN's own parameters (those of a real BN come from the weights). */
    public record VirtualBn(float[] gamma, float[] beta, double eps) {
        public VirtualBn {
            if (gamma.length != beta.length) {
                throw new IllegalArgumentException("gamma and beta must have one value per channel");
            }
        }
    }

    public BnOverride {
        if (mean.length != var.length || mean.length != gain.length) {
            throw new IllegalArgumentException("mean, var and gain must have one value per channel");
        }
        if (virtual != null && virtual.gamma().length != mean.length) {
            throw new IllegalArgumentException("the virtual BN must have one value per channel");
        }
    }

    /** The override of a BatchNorm of the network. */
    public BnOverride(float[] mean, float[] var, float[] gain) {
        this(mean, var, gain, null);
    }

    public int channels() {
        return mean.length;
    }

    public boolean isVirtual() {
        return virtual != null;
    }

    /**
     * A virtual BN's map as {@code y = scale * z + shift} per channel, in double precision:
     * {@code scale = gamma * gain / sqrt(var + eps)}, {@code shift = beta - scale * mean}.
     * Returns {scale, shift}.
     */
    public double[][] affine() {
        if (virtual == null) {
            throw new IllegalStateException("not a virtual BN");
        }
        int n = channels();
        double[] scale = new double[n];
        double[] shift = new double[n];
        for (int c = 0; c < n; c++) {
            scale[c] = (double) virtual.gamma()[c] * gain[c] / Math.sqrt((double) var[c] + virtual.eps());
            shift[c] = virtual.beta()[c] - scale[c] * mean[c];
        }
        return new double[][] {scale, shift};
    }
}
