package org.asrworkbench.core.data;

import java.util.List;

/**
 * How {@link Datasets#open} reads a dataset.
 *
 * @param split      the split to read from a directory holding several (MNIST or CIFAR python layout)
 * @param classNames class names in label order, or null for the format's own (CIFAR-10's names,
 *                   numbers for CIFAR-100 and IDX, sub-directory names for image folders)
 * @param resize     image folders: shorter side after resizing (0 = not set)
 * @param crop       image folders: side of the centre crop (0 = not set)
 * @param channels   image folders: 1 (grayscale) or 3 (RGB) (0 = not set)
 */
public record DatasetOptions(DatasetSplit split, List<String> classNames, int resize, int crop, int channels) {

    public DatasetOptions {
        if (split == null) {
            throw new IllegalArgumentException("split must be given (train or test)");
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /** The test split, the format's class names, no image-folder input size. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(DatasetSplit.TEST, null, 0, 0, 0);
    }

    public DatasetOptions withSplit(DatasetSplit newSplit) {
        return new DatasetOptions(newSplit, classNames, resize, crop, channels);
    }

    public DatasetOptions withClassNames(List<String> names) {
        return new DatasetOptions(split, names, resize, crop, channels);
    }

    public DatasetOptions withImageSize(int newResize, int newCrop, int newChannels) {
        return new DatasetOptions(split, classNames, newResize, newCrop, newChannels);
    }

    /**
     * Image-folder input size taken from a model's input contract: its channel count, crop to its
     * height, and the shorter side resized to that same length (no extra margin).
     */
    public DatasetOptions withInput(Normalization input) {
        return withImageSize(input.height(), input.height(), input.channels());
    }
}
