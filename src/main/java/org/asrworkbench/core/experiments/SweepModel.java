package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Arrays;
import java.util.List;

/**
 * One network of a sweep grid with its inputs: the model file, its architecture and normalisation
 * ({@code null}: detected / the sidecar JSON), the evaluation data, the calibration data
 * ({@code null}: the train split of a {@code data} directory), the dataset format ({@code null}:
 * detected) and the evaluation limit ({@code null}: every image). Paths are kept as written and
 * resolved against the working directory, so a cell's id does not depend on where it runs.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SweepModel(String path, String arch, String norm, String data, String calibData, String format,
                         Integer limit) {

    public SweepModel {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a sweep model needs a path");
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("sweep model " + path + " needs evaluation data (data)");
        }
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("sweep model " + path + ": limit must be positive, not " + limit);
        }
    }

    /** The settings that identify this model's cells, in a fixed order ({@code null} kept as null). */
    List<Object> key() {
        return Arrays.asList(path, arch, norm, data, calibData, format, limit);
    }
}
