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
 * @param pad        zero pixels added on every side of every image (0 = none; see
 *                   {@link Normalization#pad()}), for any format
 */
public record DatasetOptions(DatasetSplit split, List<String> classNames, int resize, int crop, int channels,
                             int pad) {

    public DatasetOptions {
        if (split == null) {
            throw new IllegalArgumentException("split must be given (train or test)");
        }
        if (pad < 0) {
            throw new IllegalArgumentException("pad must be 0 or more, not " + pad);
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    /** Options without padding. */
    public DatasetOptions(DatasetSplit split, List<String> classNames, int resize, int crop, int channels) {
        this(split, classNames, resize, crop, channels, 0);
    }

    /** The test split, the format's class names, no image-folder input size, no padding. */
    public static DatasetOptions defaults() {
        return new DatasetOptions(DatasetSplit.TEST, null, 0, 0, 0, 0);
    }

    public DatasetOptions withSplit(DatasetSplit newSplit) {
        return new DatasetOptions(newSplit, classNames, resize, crop, channels, pad);
    }

    public DatasetOptions withClassNames(List<String> names) {
        return new DatasetOptions(split, names, resize, crop, channels, pad);
    }

    public DatasetOptions withImageSize(int newResize, int newCrop, int newChannels) {
        return new DatasetOptions(split, classNames, newResize, newCrop, newChannels, pad);
    }

    public DatasetOptions withPad(int newPad) {
        return new DatasetOptions(split, classNames, resize, crop, channels, newPad);
    }

    /**
     * The reading a model's input contract asks for: its padding, and for image folders its
     * channel count, a centre crop to the height of its images before padding
     * ({@link Normalization#imageHeight()}), the shorter side resized to that same length (no
     * extra margin).
     */
    public DatasetOptions withInput(Normalization input) {
        return withImageSize(input.imageHeight(), input.imageHeight(), input.channels()).withPad(input.pad());
    }
}
