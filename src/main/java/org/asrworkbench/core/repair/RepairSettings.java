package org.asrworkbench.core.repair;

import java.util.Objects;

/**
 * A repair method and ASR's shrinkage strength {@code lambda} (used by {@code asr}; the other
 * methods still report ASR's weights {@code w_c} at this lambda).
 *
 * @param method the method
 * @param lambda {@code >= 0}; {@code 0} gives channel-wise, {@code +infinity} layer-wise
 */
public record RepairSettings(RepairMethod method, double lambda) {
    /** The spec's default shrinkage strength. */
    public static final double DEFAULT_LAMBDA = 0.25;

    public RepairSettings {
        Objects.requireNonNull(method, "method");
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be >= 0, not " + lambda);
        }
    }

    /** The method with the default lambda. */
    public static RepairSettings of(RepairMethod method) {
        return new RepairSettings(method, DEFAULT_LAMBDA);
    }
}
