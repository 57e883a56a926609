package org.asrworkbench.core.prune;

import org.asrworkbench.core.tensor.StateDict;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one-shot pruning.
 *
 * @param settings  what was asked
 * @param pruned    a dense copy of the input state dict with the pruned weights set to zero
 * @param masks     for every conv and linear weight ({@code "<layer>.weight"}), keep flags in
 *                  row-major order, in graph order: {@code false} = pruned (all {@code true} for an excluded layer)
 * @param requested the requested sparsity
 * @param achieved  pruned / prunable weights (see {@link Pruner} for what counts as prunable)
 * @param perLayer  every conv and linear layer in graph order
 */
public record PruneResult(PruneSettings settings, StateDict pruned, Map<String, boolean[]> masks,
                          double requested, double achieved, List<LayerSparsity> perLayer) {

    public PruneResult {
        masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
        perLayer = List.copyOf(perLayer);
    }

    /** Weights the criterion could remove, over all layers. */
    public long prunableWeights() {
        return perLayer.stream().mapToLong(LayerSparsity::prunable).sum();
    }

    /** Weights removed, over all layers. */
    public long prunedWeights() {
        return perLayer.stream().mapToLong(LayerSparsity::pruned).sum();
    }
}
