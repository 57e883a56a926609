package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;

import java.nio.file.Path;

/** A trained network ready to run: its file, architecture, graph, weights and input contract. */
public record LoadedModel(Path source, ArchSpec arch, boolean archDetected, Graph graph, StateDict weights,
                          Normalization normalization) {

    /** Number of values in the conv and linear weights and all other parameters. */
    public long parameterCount() {
        return graph.parameterShapes().keySet().stream().mapToLong(k -> weights.require(k).numel()).sum();
    }
}
