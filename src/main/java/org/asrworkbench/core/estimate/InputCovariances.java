package org.asrworkbench.core.estimate;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local estimate needs from D, gathered once per model and calibration set: the input
 * covariances of every unit's layer (in unit order), and for each unit without one the reason
 * (its covariance would exceed the memory budget; no single layer feeds it).
 *
 * @param source     the calibration dataset
 * @param images     the dataset indices the covariances were taken on (the first {@code N_est} calibration images)
 * @param units      unit name to covariance, in unit order
 * @param notes      unit name to why it has no covariance
 * @param seconds    the time gathering took
 */
public record InputCovariances(Path source, int[] images, Map<String, InputCovariance> units, Map<String, String> notes,
                               double seconds) {

    public InputCovariances {
        images = images.clone();
        units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
        notes = Collections.unmodifiableMap(new LinkedHashMap<>(notes));
    }

    /** {@code N_est}: images the covariances were taken on. */
    public int n() {
        return images.length;
    }

    /** True when these covariances were taken on exactly these images of this dataset. */
    public boolean sameImages(Path otherSource, int[] otherImages) {
        return source.equals(otherSource) && Arrays.equals(images, otherImages);
    }

    /** Bytes the covariances take. */
    public long bytes() {
        return units.values().stream().mapToLong(c -> InputCovariance.bytes(c.layer())).sum();
    }

    /** Names of the units that have a covariance, in unit order. */
    public List<String> unitNames() {
        return List.copyOf(units.keySet());
    }
}
