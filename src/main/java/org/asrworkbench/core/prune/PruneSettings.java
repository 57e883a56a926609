package org.asrworkbench.core.prune;

import java.util.Objects;

/**
 * What to prune and how much.
 *
 * @param kind              the criterion
 * @param sparsity          requested fraction of prunable weights to remove, in [0, 1]
 * @param excludeFirstConv  leave the first conv layer dense (unstructured kinds; {@code filter-l1}
 *                          never prunes it)
 * @param excludeClassifier leave the graph's last weight layer dense (unstructured kinds;
 *                          {@code filter-l1} never prunes it)
 */
public record PruneSettings(PruneKind kind, double sparsity, boolean excludeFirstConv, boolean excludeClassifier) {

    public PruneSettings {
        Objects.requireNonNull(kind, "kind");
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparsity must lie in [0, 1], not " + sparsity);
        }
    }

    /** The spec's default: every conv and linear layer included. */
    public static PruneSettings of(PruneKind kind, double sparsity) {
        return new PruneSettings(kind, sparsity, false, false);
    }
}
