package org.asrworkbench.core.exec;

import ai.djl.ndarray.NDArray;

/**
 * Receives the output of selected nodes during a forward pass (for a unit, its pre-BN output).
 * The array is only valid during the call.
 */
@FunctionalInterface
public interface Tap {
    void accept(String nodeId, NDArray value);
}
