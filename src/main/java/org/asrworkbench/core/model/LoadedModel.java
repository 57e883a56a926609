package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;

import java.nio.file.Path;

/** A trained network ready to run: its file, architecture, graph, weights and input contract. */
public record LoadedModel(Path source, ArchSpec arch, ArchSource archSource, Graph graph, StateDict weights,
                          Normalization normalization) {

    /** True when the architecture was detected from the weights (neither named nor in a sidecar). */
    public boolean archDetected() {
        return archSource == ArchSource.WEIGHTS;
    }

    /** Trainable parameters (as PyTorch counts them: BatchNorm running statistics are buffers, not parameters). */
    public long parameterCount() {
        return graph.parameterShapes().keySet().stream()
                .filter(k -> !k.endsWith(".running_mean") && !k.endsWith(".running_var"))
                .mapToLong(k -> weights.require(k).numel()).sum();
    }
}
