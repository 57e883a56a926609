package org.asrworkbench.core.prune;

/**
 * How much of one weight layer was pruned.
 *
 * @param layer    the layer's module name ({@code state_dict} prefix)
 * @param prunable weights the criterion could remove (0 for an excluded layer)
 * @param pruned   weights removed
 */
public record LayerSparsity(String layer, long prunable, long pruned) {

    public LayerSparsity {
        if (prunable < 0 || pruned < 0 || pruned > prunable) {
            throw new IllegalArgumentException("layer '" + layer + "': pruned " + pruned + " of " + prunable);
        }
    }

    /** {@code pruned / prunable}, 0 for a layer with nothing prunable. */
    public double sparsity() {
        return prunable == 0 ? 0.0 : (double) pruned / prunable;
    }
}
