package org.asrworkbench.core.model;

import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.data.Normalizations;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.tensor.StateDict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Loads a model file into a {@link LoadedModel}: picks the {@link ModelFormat} that reads it (the
 * built-in families' state dicts, or ONNX), rejects non-finite weights and negative BatchNorm
 * running variances, and resolves the input
 * normalisation (preset, JSON file or sidecar; never guessed), the same for every format.
 */
public final class ModelLoader {
    /**
     * The formats, in the order they are asked whether they read a file: plug-ins found with
     * {@link ServiceLoader} ({@code META-INF/services/org.asrworkbench.core.model.ModelFormat}), so
     * the loader depends on no format's package (core.onnx depends on this one, not back).
     */
    private static final List<ModelFormat> FORMATS = ServiceLoader.load(ModelFormat.class,
            ModelFormat.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private ModelLoader() {
    }

    /** The registered formats. */
    public static List<ModelFormat> formats() {
        return FORMATS;
    }

    /** Refuses a negative BatchNorm running variance: no network was trained to it, and its square root is NaN. */
    private static void checkRunningVariances(Path file, Graph graph, StateDict sd) throws ModelFormatException {
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.BatchNorm2d b) {
                float[] var = sd.require(b.var()).data();
                for (int c = 0; c < var.length; c++) {
                    if (var[c] < 0) {
                        throw new ModelFormatException(file, "tensor '" + b.var() + "' (BatchNorm '" + b.param()
                                + "' running variance) has a negative value (" + var[c] + ") at index " + c);
                    }
                }
            }
        }
    }

    /**
     * @param arch architecture name, or null for the one in the sidecar next to the model, or,
     *             without one there, the one detected from the weights (a sidecar matters where
     *             the weights cannot tell, e.g. MobileNetV2's CIFAR strides); ignored by formats
     *             that carry their graph (ONNX)
     * @param norm normalisation preset or JSON file, or null for the sidecar next to the model
     */
    public static LoadedModel load(Path file, String arch, String norm) throws IOException, ModelFormatException {
        byte[] head = ModelFiles.head(file, 16);
        if (head.length == 0) {
            throw new ModelFormatException(file, "file is empty");
        }
        ModelFormat format = FORMATS.stream().filter(f -> f.reads(file, head)).findFirst().orElseThrow(
                () -> new ModelFormatException(file, "unknown model format (expected a PyTorch checkpoint, safetensors"
                        + " or ONNX)"));
        // read once, only when it is needed for the architecture or the normalisation
        ModelSidecar sidecar = arch == null || norm == null || norm.isBlank() ? ModelSidecar.readBeside(file) : null;
        ModelFormat.Reading r = format.read(file, arch, sidecar);
        Graph graph = r.graph();
        StateDict sd = r.weights();
        for (String name : graph.parameterShapes().keySet()) {
            String problem = sd.require(name).nonFiniteProblem(name);
            if (problem != null) {
                throw new ModelFormatException(file, problem);
            }
        }
        checkRunningVariances(file, graph, sd);
        Normalization n = Normalizations.resolve(norm, file, sidecar);
        if (n.channels() != graph.inputChannels()) {
            throw new ModelFormatException(file, "normalisation '" + n.name() + "' is for " + n.channels()
                    + " channel(s), but the model takes " + graph.inputChannels());
        }
        long[] in = graph.inputShape();
        if (in[2] > 0 && (n.height() != in[2] || n.width() != in[3])) {
            throw new ModelFormatException(file, "normalisation '" + n.name() + "' is for " + n.height() + "x"
                    + n.width() + " images, but the model takes " + in[2] + "x" + in[3]);
        }
        return new LoadedModel(file, r.descriptor().withNormalization(n), r.arch(), graph, sd);
    }
}
