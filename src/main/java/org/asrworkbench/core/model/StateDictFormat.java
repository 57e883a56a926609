package org.asrworkbench.core.model;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.arch.ArchitectureDetector;
import org.asrworkbench.core.arch.ArchitectureException;
import org.asrworkbench.core.arch.Architectures;
import org.asrworkbench.core.arch.ModelBinder;
import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.tensor.StateDict;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in families' format: a PyTorch state dict (safetensors, zip or legacy checkpoint)
 * whose graph a family builder makes, from {@code --arch}, else the sidecar's architecture, else
 * the architecture detected from the tensor names and shapes.
 */
public final class StateDictFormat implements ModelFormat {
    public static final String ID = "state-dict";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean reads(Path file, byte[] head) {
        return ModelFiles.isStateDict(head);
    }

    @Override
    public Reading read(Path file, String arch, ModelSidecar sidecar) throws ModelFormatException {
        StateDict sd = ModelFiles.readStateDict(file);
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
                case OPTION, GRAPH -> "";
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
        String family = spec.family().name().toLowerCase(Locale.ROOT).replace('_', '-');
        ModelDescriptor d = new ModelDescriptor(spec.toString(), ID, family, from,
                List.of(1L, (long) spec.inputChannels(), 0L, 0L), null, Map.of());
        return new Reading(graph, sd, d, spec);
    }
}
