package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.tensor.StateDict;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file format: reads a file into a graph, its weights (by the tensor names the graph's
 * ops give) and a {@link ModelDescriptor}. The built-in families (a state dict plus a family
 * builder) are one format, ONNX another; {@link ModelLoader} picks the format and resolves the
 * normalisation, the same for all.
 */
public interface ModelFormat {
    /** What a format read: the graph, its weights, the descriptor (normalisation not resolved yet). */
    record Reading(Graph graph, StateDict weights, ModelDescriptor descriptor, ArchSpec arch) {
    }

    /** Short id: {@code state-dict}, {@code onnx}. */
    String id();

    /** Whether this format reads {@code file}, from its name and leading bytes. */
    boolean reads(Path file, byte[] head);

    /**
     * @param arch    the architecture the caller names ({@code --arch}), or null
     * @param sidecar the sidecar JSON beside the model, or null
     */
    Reading read(Path file, String arch, ModelSidecar sidecar) throws IOException, ModelFormatException;
}
