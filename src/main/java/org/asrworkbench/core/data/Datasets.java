package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a dataset by path, detecting its format unless one is given.
 *
 * <p>Formats: {@code cifar10-bin} (records of 3073 bytes), {@code cifar100-bin} (3074 bytes),
 * {@code idx} (an {@code *-images-idx3-ubyte[.gz]} or {@code *-images.idx3-ubyte[.gz]} file with
 * its labels file beside it, or a directory in the MNIST layout, {@code train-} and {@code t10k-}
 * files, the split chosen by {@link DatasetOptions#split()}), and {@code imagefolder} (a directory
 * with one sub-directory per class). Detection: a file named like IDX images is {@code idx};
 * another file is {@code cifar10-bin} when its size is a multiple of 3073, else
 * {@code cifar100-bin} when it is a multiple of 3074; a directory is {@code idx} when it holds
 * IDX images of either split, else {@code imagefolder} when it has sub-directories.
 */
public final class Datasets {
    public static final String CIFAR10_BIN = "cifar10-bin";
    public static final String CIFAR100_BIN = "cifar100-bin";
    public static final String IDX = "idx";
    public static final String IMAGE_FOLDER = "imagefolder";
    /** The format names {@link #open} accepts. */
    public static final List<String> FORMATS = List.of(CIFAR10_BIN, CIFAR100_BIN, IDX, IMAGE_FOLDER);

    private static final int CIFAR10_RECORD = 3073;
    private static final int CIFAR100_RECORD = 3074;
    private static final int CIFAR100_CLASSES = 100;

    private Datasets() {
    }

    /**
     * Opens {@code path} as {@code format}, or as the detected format when {@code format} is null.
     *
     * @throws DatasetFormatException naming the path and the problem (missing, unknown format,
     *                                wrong size, missing labels, ...)
     */
    public static ImageDataset open(Path path, String format, DatasetOptions opts) throws IOException {
        if (!Files.exists(path)) {
            throw new DatasetFormatException(path, "does not exist");
        }
        String fmt = format != null ? format : detect(path);
        switch (fmt) {
            case CIFAR10_BIN:
                requireFile(path, fmt);
                return new CifarBinaryDataset(path, false, classNames(opts, Normalization.CIFAR10_CLASSES));
            case CIFAR100_BIN:
                requireFile(path, fmt);
                return new CifarBinaryDataset(path, true, classNames(opts, numericClassNames(CIFAR100_CLASSES)));
            case IDX:
                return openIdx(path, opts);
            case IMAGE_FOLDER:
                if (opts.crop() <= 0 || opts.resize() <= 0 || opts.channels() <= 0) {
                    throw new DatasetFormatException(path, "an image folder needs the model's input size: resize, "
                            + "crop and channels (from its normalisation)");
                }
                return ImageFolderDataset.open(path, opts.resize(), opts.crop(), opts.channels());
            default:
                throw new DatasetFormatException(path, "unknown dataset format '" + fmt + "' (known: "
                        + String.join(", ", FORMATS) + ")");
        }
    }

    /** The format of {@code path} by the rules in the class comment. */
    public static String detect(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (IdxFiles.isIdxDirectory(path)) {
                return IDX;
            }
            if (hasSubdirectories(path)) {
                return IMAGE_FOLDER;
            }
            throw new DatasetFormatException(path, "unknown dataset directory: neither the MNIST layout "
                    + "(train-/t10k-images-idx3-ubyte[.gz]) nor an image folder (one sub-directory per class)");
        }
        if (IdxFiles.isImagesName(path)) {
            return IDX;
        }
        if (IdxFiles.isLabelsName(path)) {
            throw new DatasetFormatException(path, "this is an IDX labels file; give the images file beside it");
        }
        long size = Files.size(path);
        if (size > 0 && size % CIFAR10_RECORD == 0) {
            return CIFAR10_BIN;
        }
        if (size > 0 && size % CIFAR100_RECORD == 0) {
            return CIFAR100_BIN;
        }
        throw new DatasetFormatException(path, "unknown dataset format: size " + size + " bytes is a multiple of "
                + "neither 3073 (CIFAR-10 records) nor 3074 (CIFAR-100), and the name is not an IDX images file "
                + "(*-images-idx3-ubyte[.gz]); give the format (" + String.join(", ", FORMATS) + ")");
    }

    /** Class names "0", "1", ..., {@code count - 1}. */
    public static List<String> numericClassNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            names.add(Integer.toString(c));
        }
        return List.copyOf(names);
    }

    private static ImageDataset openIdx(Path path, DatasetOptions opts) throws IOException {
        Path images = path;
        if (Files.isDirectory(path)) {
            DatasetSplit split = opts.split();
            images = IdxFiles.imagesIn(path, split).orElseThrow(() -> new DatasetFormatException(path,
                    "no " + split.idxPrefix() + "-images-idx3-ubyte[.gz] for the " + split.cliName() + " split"));
        }
        return IdxDataset.open(images, IdxFiles.labelsBeside(images), opts.classNames());
    }

    private static List<String> classNames(DatasetOptions opts, List<String> formatDefault) {
        return opts.classNames() != null ? opts.classNames() : formatDefault;
    }

    private static void requireFile(Path path, String format) throws DatasetFormatException {
        if (!Files.isRegularFile(path)) {
            throw new DatasetFormatException(path, format + " needs a file, not a directory");
        }
    }

    private static boolean hasSubdirectories(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.anyMatch(Files::isDirectory);
        }
    }
}
