package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;

import java.nio.file.Path;
import java.util.Set;

/**
 * A trained network ready to run: its file, descriptor (its identity), graph, weights and input
 * contract. {@code arch} is the built-in architecture for the state-dict format, null for a
 * format that carries its own graph (ONNX).
 */
public record LoadedModel(Path source, ModelDescriptor descriptor, ArchSpec arch, Graph graph, StateDict weights) {

    public Normalization normalization() {
        return descriptor.normalization();
    }

    public ArchSource archSource() {
        return descriptor.archSource();
    }

    /** The model's name in reports, stats and sweeps (a built-in architecture's canonical name). */
    public String name() {
        return descriptor.name();
    }

    /** The {@code --arch} that reopens this file as it is now, or null where the file carries its graph. */
    public String archOption() {
        return arch == null ? null : arch.toString();
    }

    /** True when the architecture was detected from the weights (neither named nor in a sidecar). */
    public boolean archDetected() {
        return archSource() == ArchSource.WEIGHTS;
    }

    /** Trainable parameters (as PyTorch counts them: BatchNorm running statistics are buffers, not parameters). */
    public long parameterCount() {
        Set<String> buffers = graph.runningStatistics();
        return graph.parameterShapes().keySet().stream().filter(k -> !buffers.contains(k))
                .mapToLong(k -> weights.require(k).numel()).sum();
    }
}
