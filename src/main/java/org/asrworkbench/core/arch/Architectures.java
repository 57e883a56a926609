package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;

/** Builds the graph of a built-in architecture from its {@link ArchSpec}. */
public final class Architectures {
    private Architectures() {
    }

    /**
     * The spec's graph, with PyTorch parameter names.
     *
     * @throws IllegalArgumentException when the spec's input channels or classes are not known
     *                                  (fill them with {@link ArchitectureDetector#complete})
     */
    public static Graph build(ArchSpec spec) {
        if (!spec.isComplete()) {
            throw new IllegalArgumentException(spec + ": input channels and classes are not known"
                    + " (take them from the checkpoint)");
        }
        return spec.family().builder().build(spec);
    }
}
