package org.asrworkbench.core.train;

import org.asrworkbench.core.tensor.StateDict;

import java.util.List;

/**
 * The outcome of {@link Trainer#train}: the trained weights with PyTorch names (running
 * statistics included), the per-epoch history (resumed epochs included), and the test top-1
 * when a test set was given.
 *
 * @param resumedFromEpoch the checkpoint epoch the run continued from (0 for a fresh run)
 * @param testTop1         top-1 accuracy on the test set, or null without one
 * @param seconds          wall time of this run (not of resumed epochs)
 */
public record TrainResult(StateDict weights, int epochs, int resumedFromEpoch, Double testTop1, double seconds,
                          List<EpochStats> history) {
    public TrainResult {
        history = List.copyOf(history);
    }
}
