package org.asrworkbench.core.exec;

/**
 * A BatchNorm's repaired eval-mode settings: {@code y = gamma * gain * (z - mean) / sqrt(var + eps) + beta}.
 * All arrays have one value per channel.
 */
public record BnOverride(float[] mean, float[] var, float[] gain) {
    public BnOverride {
        if (mean.length != var.length || mean.length != gain.length) {
            throw new IllegalArgumentException("mean, var and gain must have one value per channel");
        }
    }

    public int channels() {
        return mean.length;
    }
}
