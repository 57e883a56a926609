package org.asrworkbench.core.onnx;

import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.model.ArchSource;
import org.asrworkbench.core.model.ModelDescriptor;
import org.asrworkbench.core.model.ModelFormat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ONNX format: a {@code .onnx} file (or any file that starts like an ONNX model, the
 * {@code ir_version} field, and is no state dict) imported by {@link OnnxImporter}. The model's
 * family is {@code onnx}; its card holds the opset, producer, IR version and op census. The
 * model is named by its graph, or by its file where the graph carries only an exporter's
 * default name ({@code torch_jit}, {@code main_graph}), which would name every model alike.
 */
public final class OnnxFormat implements ModelFormat {
    public static final String ID = "onnx";
    public static final String FAMILY = "onnx";
    /** Graph names exporters write for every model (PyTorch 1.x and 2.x, tf2onnx, empty). */
    private static final java.util.Set<String> GENERIC_GRAPH_NAMES = java.util.Set.of("", "torch_jit", "torch-jit-export",
            "main_graph", "tf2onnx");

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.toLowerCase(Locale.ROOT).endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean reads(Path file, byte[] head) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".onnx") || (head.length > 0 && head[0] == 0x08 && !ModelFiles.isStateDict(head));
    }

    @Override
    public Reading read(Path file, String arch, ModelSidecar sidecar) throws ModelFormatException {
        OnnxImporter.Imported im = OnnxImporter.read(file);
        Graph g = im.graph();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("opset", Integer.toString(im.opset()));
        props.put("producer", im.producer().isBlank() ? "unknown" : im.producer());
        props.put("irVersion", Long.toString(im.irVersion()));
        props.put("onnxNodes", Integer.toString(im.census().values().stream().mapToInt(Integer::intValue).sum()));
        props.put("opCensus", im.census().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        long[] in = g.inputShape();
        String graphName = g.name() == null ? "" : g.name();
        String name = GENERIC_GRAPH_NAMES.contains(graphName.trim().toLowerCase(Locale.ROOT)) ? stem(file) : graphName;
        if (!name.equals(graphName)) {
            props.put("graphName", graphName);
        }
        ModelDescriptor d = new ModelDescriptor(name, ID, FAMILY, ArchSource.GRAPH,
                java.util.List.of(in[0], in[1], in[2], in[3]), null, props);
        return new Reading(g, im.weights(), d, null);
    }
}
