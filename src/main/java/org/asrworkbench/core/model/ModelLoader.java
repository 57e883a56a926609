package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.arch.ArchitectureDetector;
import org.asrworkbench.core.arch.ArchitectureException;
import org.asrworkbench.core.arch.Architectures;
import org.asrworkbench.core.arch.ModelBinder;
import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.data.Normalizations;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model file into a {@link LoadedModel}: reads the weights (any supported format),
 * detects or applies the architecture, checks every parameter's shape, rejects non-finite
 * weights, and resolves the input normalisation (preset, JSON file or sidecar; never guessed).
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * @param arch architecture name, or null for the one in the sidecar next to the model, or,
     *             without one there, the one detected from the weights (a sidecar matters where
     *             the weights cannot tell, e.g. MobileNetV2's CIFAR strides)
     * @param norm normalisation preset or JSON file, or null for the sidecar next to the model
     */
    public static LoadedModel load(Path file, String arch, String norm) throws IOException, ModelFormatException {
        StateDict sd = ModelFiles.readStateDict(file);
        Path sidecar = ModelSidecar.pathFor(file);
        String named = arch != null ? arch : sidecarArchitecture(sidecar);
        String source = arch != null ? "--arch " + arch : "architecture '" + named + "' of " + sidecar;
        ArchSpec spec;
        try {
            spec = named == null ? ArchitectureDetector.detect(sd) : ArchitectureDetector.complete(ArchSpec.parse(named), sd);
        } catch (ArchitectureException e) {
            throw new ModelFormatException(file, e.getMessage() + (named == null ? " (pass --arch to name the architecture)"
                    : arch == null ? " (the architecture named in " + sidecar + ")" : ""));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, source + ": " + e.getMessage());
        }
        Graph graph = Architectures.build(spec);
        try {
            ModelBinder.check(graph, sd);
        } catch (ArchitectureException e) {
            throw new ModelFormatException(file, "does not fit architecture " + spec
                    + (named == null ? "" : " (" + source + ")") + ": " + e.getMessage());
        }
        for (String name : graph.parameterShapes().keySet()) {
            Tensor t = sd.require(name);
            int bad = t.firstNonFinite();
            if (bad >= 0) {
                throw new ModelFormatException(file, "tensor '" + name + "' has a non-finite value ("
                        + t.data()[bad] + ") at flat index " + bad);
            }
        }
        Normalization n = Normalizations.resolve(norm, file);
        if (n.channels() != graph.inputChannels()) {
            throw new ModelFormatException(file, "normalisation '" + n.name() + "' is for " + n.channels()
                    + " channel(s), but the model takes " + graph.inputChannels());
        }
        ArchSource from = arch != null ? ArchSource.OPTION : named != null ? ArchSource.SIDECAR : ArchSource.WEIGHTS;
        return new LoadedModel(file, spec, from, graph, sd, n);
    }

    /** The architecture a sidecar names, or null when there is no sidecar or it names none. */
    private static String sidecarArchitecture(Path sidecar) throws IOException, ModelFormatException {
        if (!Files.isRegularFile(sidecar)) {
            return null;
        }
        String a = ModelSidecar.read(sidecar).architecture();
        return a == null || a.isBlank() ? null : a;
    }
}
