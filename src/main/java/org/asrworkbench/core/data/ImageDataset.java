package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled image dataset with random access by index, read lazily (streaming): only the
 * images asked for are decoded, so a dataset larger than memory still works.
 *
 * <p>Pixels come out as float32 in [0, 1], CHW order, before normalisation (see
 * {@link Normalization}). Implementations are safe for one reader thread at a time.
 */
public interface ImageDataset extends AutoCloseable {

    /** The file or directory this dataset was read from (named in error messages). */
    Path source();

    /** The format name, e.g. {@code cifar10-bin}, {@code idx}, {@code imagefolder}. */
    String format();

    int size();

    int channels();

    int height();

    int width();

    /** Class names in label order (numbers as strings when the format has none). */
    List<String> classNames();

    default int numClasses() {
        return classNames().size();
    }

    /** Label of image {@code index}, or -1 when the dataset has no labels. */
    int label(int index) throws IOException;

    /**
     * Reads the given images into {@code out} (length {@code indices.length * C * H * W}),
     * pixels in [0, 1], CHW per image, and returns their labels.
     */
    int[] read(int[] indices, float[] out) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
