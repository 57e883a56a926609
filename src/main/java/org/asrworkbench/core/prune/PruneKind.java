package org.asrworkbench.core.prune;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The pruning criteria of the spec, named as in the UI, the CLI and the JSON reports. */
public enum PruneKind {
    /** Unstructured: one magnitude threshold over the weights of every prunable layer. */
    GLOBAL_MAGNITUDE("global-magnitude"),
    /** Unstructured: the same sparsity in every prunable layer, by magnitude within the layer. */
    LAYER_UNIFORM("layer-uniform"),
    /** Structured: whole output filters of conv layers, ranked globally by mean |w|. */
    FILTER_L1("filter-l1");

    private final String id;

    PruneKind(String id) {
        this.id = id;
    }

    /** The name used in the UI, the CLI and the JSON reports. */
    public String id() {
        return id;
    }

    /** The kind named {@code id}; an error lists the valid names. */
    public static PruneKind parse(String id) {
        for (PruneKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown pruning kind '" + id + "' (expected one of "
                + Arrays.stream(values()).map(PruneKind::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
