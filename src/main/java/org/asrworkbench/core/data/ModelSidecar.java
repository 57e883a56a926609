package org.asrworkbench.core.data;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The small JSON file kept next to a model's weights ({@code resnet20.safetensors} ->
 * {@code resnet20.json}): the architecture, the input normalisation, the class names and how
 * the model was made. Unknown fields are ignored, absent optional fields are null.
 *
 * <pre>
 * {
 *   "architecture" : "cifar-resnet20",
 *   "normalisation" : { "name" : "cifar", "channels" : 3, "height" : 32, "width" : 32,
 *                       "mean" : [ 0.485, 0.456, 0.406 ], "std" : [ 0.229, 0.224, 0.225 ] },
 *   "classNames" : [ "airplane", ... ],
 *   "testAccuracy" : 0.9160, "trainingCommand" : "...", "seed" : 0, "notes" : "..."
 * }
 * </pre>
 * A normalisation may also hold {@code "pad" : 2}: the dataset's images are padded with zeros
 * to the height and width given (28x28 to 32x32).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSidecar(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("normalisation") @JsonAlias("normalization") NormalizationSpec normalisation,
        @JsonProperty("classNames") List<String> classNames,
        @JsonProperty("testAccuracy") Double testAccuracy,
        @JsonProperty("trainingCommand") String trainingCommand,
        @JsonProperty("seed") Long seed,
        @JsonProperty("notes") String notes) {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The {@code normalisation} object: per-channel mean and std applied to pixels in [0, 1], and
     * the zero padding {@code pad} around the dataset's images (see {@link Normalization}); an
     * absent {@code pad} is 0, and it is written only when it is set, so sidecars without padding
     * read and write as before.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NormalizationSpec(
            @JsonProperty("name") String name,
            @JsonProperty("channels") int channels,
            @JsonProperty("height") int height,
            @JsonProperty("width") int width,
            @JsonProperty("mean") float[] mean,
            @JsonProperty("std") float[] std,
            @JsonProperty("pad") @JsonInclude(JsonInclude.Include.NON_NULL) Integer pad) {

        /** A spec without padding. */
        public NormalizationSpec(String name, int channels, int height, int width, float[] mean, float[] std) {
            this(name, channels, height, width, mean, std, null);
        }
    }

    public ModelSidecar {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
    }

    /** A sidecar with the architecture and input contract only (class names from {@code input}). */
    public static ModelSidecar of(String architecture, Normalization input) {
        return new ModelSidecar(architecture, new NormalizationSpec(input.name(), input.channels(), input.height(),
                input.width(), input.mean(), input.std(), input.pad() > 0 ? input.pad() : null), input.classNames(),
                null, null, null, null);
    }

    /** The sidecar path of a model file: its name without the extension, plus {@code .json}. */
    public static Path pathFor(Path modelFile) {
        String name = modelFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return modelFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    /**
     * Reads and validates a sidecar (the normalisation must be present and consistent).
     *
     * @throws ModelFormatException naming the file when it is not valid JSON or not a valid sidecar
     */
    public static ModelSidecar read(Path file) throws IOException, ModelFormatException {
        return fromTree(readTree(file), file);
    }

    /** The sidecar beside {@code modelFile} ({@link #pathFor}), or null when there is none. */
    public static ModelSidecar readBeside(Path modelFile) throws IOException, ModelFormatException {
        Path file = pathFor(modelFile);
        return Files.isRegularFile(file) ? read(file) : null;
    }

    /** Parses {@code file} as a JSON object. */
    static JsonNode readTree(Path file) throws IOException, ModelFormatException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ModelFormatException(file, "expected a JSON object");
        }
        return tree;
    }

    /** Binds and validates a sidecar read from {@code file}. */
    static ModelSidecar fromTree(JsonNode tree, Path file) throws ModelFormatException {
        ModelSidecar sidecar;
        try {
            sidecar = MAPPER.treeToValue(tree, ModelSidecar.class);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "not a valid model sidecar: " + e.getOriginalMessage(), e);
        }
        if (sidecar.normalisation() == null) {
            throw new ModelFormatException(file, "no \"normalisation\" object");
        }
        try {
            Normalization.fromSidecar(sidecar);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
        return sidecar;
    }

    /** Writes this sidecar to {@code file} (through a temporary file, then moved into place). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, this));
    }
}
