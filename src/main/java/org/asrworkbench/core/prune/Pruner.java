package org.asrworkbench.core.prune;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;


/**
 * One-shot pruning of the conv and linear weights of a graph (biases and BatchNorm parameters
 * are never pruned). The dense state dict is never modified.
 *
 * <h2>Exactly which weights are pruned</h2>
 * <ul>
 *   <li><b>{@code global-magnitude}</b>: the prunable weights are those of every conv and
 *   linear layer, less the first conv and/or the classifier (the graph's last weight layer)
 *   when the settings exclude them. With {@code n} prunable weights, exactly
 *   {@code k = round(s * n) = floor(s * n + 0.5)} weights of smallest {@code |w|} are pruned.
 *   Ties at the threshold are broken by a stable order: layers in graph order, then row-major
 *   order within a weight; the earlier weights go first. (On the shared ResNet-20 at 0.9 this
 *   gives 241502 of 268336, achieved 0.8999985093315843.)</li>
 *   <li><b>{@code layer-uniform}</b>: the same rule inside each prunable layer on its own,
 *   {@code k_l = round(s * n_l)}.</li>
 *   <li><b>{@code filter-l1}</b>: the candidate filters are the output filters of every conv
 *   layer except the first conv and the classifier, whatever the exclusion options say; linear
 *   layers are never pruned by it. The prunable weights are the weights of those candidate
 *   layers, and the achieved sparsity is measured over them. Filters are scored by mean
 *   {@code |w|} (L1 norm / filter size, in float64) and removed in ascending score order (ties:
 *   graph order, then filter index), skipping any filter whose removal would leave its layer
 *   without a filter, until at least {@code round(s * n)} weights are pruned; the achieved
 *   sparsity can therefore exceed the requested one by less than one filter's size / n.</li>
 * </ul>
 * The achieved sparsity is always pruned / prunable weights.
 */
public final class Pruner {
    private Pruner() {
    }

    public static PruneResult prune(Graph graph, StateDict dense, PruneSettings s) {
        return ranking(graph, dense, s).prune(s.sparsity());
    }

    /**
     * The weights ranked once for the kind and exclusions of {@code s} (its sparsity is not
     * used): masks for any sparsity then cost one pass over the weights, no sort, which is what
     * lets the workbench follow the sparsity slider.
     */
    public static PruneRanking ranking(Graph graph, StateDict dense, PruneSettings s) {
        return new PruneRanking(graph, dense, s);
    }

    /** {@code round(s * n)}, half up. */
    static long targetCount(double sparsity, long n) {
        return (long) Math.floor(sparsity * n + 0.5);
    }
}
