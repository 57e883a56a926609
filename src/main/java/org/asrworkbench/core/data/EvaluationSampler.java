package org.asrworkbench.core.data;

import java.util.stream.IntStream;

/**
 * Chooses the evaluation images (docs/repair-methods.md): the whole evaluation split, or with a
 * limit {@code K} the first {@code K} images in file order.
 */
public final class EvaluationSampler {
    private EvaluationSampler() {
    }

    /**
     * Indices {@code 0..K-1}, or every image when {@code limit} is null.
     *
     * @throws IllegalArgumentException naming the dataset file when {@code limit <= 0} or exceeds its size
     */
    public static int[] firstK(ImageDataset dataset, Integer limit) {
        int size = dataset.size();
        if (limit == null) {
            return IntStream.range(0, size).toArray();
        }
        if (limit <= 0) {
            throw new IllegalArgumentException(dataset.source() + ": evaluation limit must be positive, not " + limit);
        }
        if (limit > size) {
            throw new IllegalArgumentException(dataset.source() + ": evaluation limit " + limit
                    + " exceeds the dataset's " + size + " images");
        }
        return IntStream.range(0, limit).toArray();
    }
}
