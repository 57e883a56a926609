package org.asrworkbench.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.asrworkbench.core.io.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a model's input normalisation, never by guessing: the option the user gave (a preset
 * name or a JSON file), else the sidecar beside the model, else an error asking for
 * {@code --norm}.
 */
public final class Normalizations {
    private static final String PRESETS = "cifar, imagenet, fashion-mnist";

    private Normalizations() {
    }

    /**
     * Resolves the normalisation for {@code modelFile}.
     *
     * @param presetOrFile a preset name ({@value #PRESETS}), or a JSON file: a whole sidecar or just
     *                     its {@code normalisation} object (optionally with {@code classNames});
     *                     null or blank to use the sidecar beside the model
     * @param modelFile    the model's weights (its sidecar is {@link ModelSidecar#pathFor})
     * @throws ModelFormatException when nothing is given and the model has no sidecar, or the
     *                              JSON is invalid
     * @throws IllegalArgumentException for an unknown preset name
     */
    public static Normalization resolve(String presetOrFile, Path modelFile) throws IOException, ModelFormatException {
        boolean given = presetOrFile != null && !presetOrFile.isBlank();
        return resolve(presetOrFile, modelFile, given ? null : ModelSidecar.readBeside(modelFile));
    }

    /**
     * As {@link #resolve(String, Path)}, with the sidecar beside {@code modelFile} already read
     * ({@code sidecar} null: there is none, or the caller gives {@code presetOrFile}).
     */
    public static Normalization resolve(String presetOrFile, Path modelFile, ModelSidecar sidecar)
            throws IOException, ModelFormatException {
        if (presetOrFile != null && !presetOrFile.isBlank()) {
            Path file = Path.of(presetOrFile);
            if (Files.isRegularFile(file) || presetOrFile.endsWith(".json")) {
                return readFile(file);
            }
            return Normalization.preset(presetOrFile);
        }
        if (sidecar == null) {
            throw new ModelFormatException(modelFile, "no normalisation given and no sidecar "
                    + ModelSidecar.pathFor(modelFile) + " beside the model; pass --norm (" + PRESETS + ", or a JSON file)");
        }
        return Normalization.fromSidecar(sidecar);
    }

    private static Normalization readFile(Path file) throws IOException, ModelFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "normalisation file does not exist");
        }
        JsonNode tree = ModelSidecar.readTree(file);
        if (tree.has("normalisation") || tree.has("normalization")) {
            return Normalization.fromSidecar(ModelSidecar.fromTree(tree, file));
        }
        ObjectNode wrapped = ModelSidecar.MAPPER.createObjectNode();
        wrapped.set("normalisation", tree);
        if (tree.has("classNames")) {
            wrapped.set("classNames", tree.get("classNames"));
        }
        return Normalization.fromSidecar(ModelSidecar.fromTree(wrapped, file));
    }
}
