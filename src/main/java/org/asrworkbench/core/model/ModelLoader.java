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
        // read once, only when it is needed for the architecture or the normalisation
        ModelSidecar sidecar = arch == null || norm == null || norm.isBlank() ? ModelSidecar.readBeside(file) : null;
        String named = arch != null || sidecar == null || sidecar.architecture() == null
                || sidecar.architecture().isBlank() ? arch : sidecar.architecture();
        ArchSource from = arch != null ? ArchSource.OPTION : named != null ? ArchSource.SIDECAR : ArchSource.WEIGHTS;
        // for messages: where the named architecture came from
        String source = from == ArchSource.OPTION ? "--arch " + arch
                : "architecture '" + named + "' of " + ModelSidecar.pathFor(file);
        ArchSpec spec;
        try {
            spec = named == null ? ArchitectureDetector.detect(sd) : ArchitectureDetector.complete(ArchSpec.parse(named), sd);
        } catch (ArchitectureException e) {
            throw new ModelFormatException(file, e.getMessage() + switch (from) {
                case OPTION -> "";
                case SIDECAR -> " (the architecture named in " + ModelSidecar.pathFor(file) + ")";
                case WEIGHTS -> " (pass --arch to name the architecture)";
            });
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
        Normalization n = Normalizations.resolve(norm, file, sidecar);
        if (n.channels() != graph.inputChannels()) {
            throw new ModelFormatException(file, "normalisation '" + n.name() + "' is for " + n.channels()
                    + " channel(s), but the model takes " + graph.inputChannels());
        }
        return new LoadedModel(file, spec, from, graph, sd, n);
    }
}
