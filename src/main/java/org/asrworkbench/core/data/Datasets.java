package org.asrworkbench.core.data;

import org.asrworkbench.core.io.RegularFiles;
import org.asrworkbench.core.util.IoMessages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a dataset by path, detecting its format unless one is given.
 *
 * <p>Formats: {@code cifar10-bin} (records of 3073 bytes), {@code cifar100-bin} (3074 bytes),
 * {@code cifar10-py} and {@code cifar100-py} (the official python layout, a pickled batch file or
 * the extracted directory, see {@link CifarPickleDataset}), {@code idx} (an
 * {@code *-images-idx3-ubyte[.gz]} or {@code *-images.idx3-ubyte[.gz]} file with its labels file
 * beside it, or a directory in the MNIST layout, {@code train-} and {@code t10k-} files), and
 * {@code imagefolder} (a directory
 * with one sub-directory per class). In a directory of several splits, {@link DatasetOptions#split()}
 * chooses one. Detection: a file named like IDX images is {@code idx};
 * a file whose first byte is 0x80 (a pickle; never a CIFAR binary file, whose first byte is a
 * label below 100) is {@code cifar10-py} or {@code cifar100-py} by its name ({@code data_batch_*},
 * {@code test_batch}; {@code train}, {@code test}) or else by its labels key; another file is
 * {@code cifar10-bin} when its size is a multiple of 3073, else {@code cifar100-bin} when it is a
 * multiple of 3074. A directory is {@code cifar10-py} when it holds {@code data_batch_1},
 * {@code test_batch} or {@code batches.meta}, {@code cifar100-py} when it holds {@code meta} and
 * {@code train} or {@code test}, {@code idx} when it holds IDX images of either split, else
 * {@code imagefolder} when it has sub-directories.
 *
 * <p>With {@link DatasetOptions#pad()} above 0 the dataset comes back as a {@link PaddedDataset}.
 */
public final class Datasets {
    public static final String CIFAR10_BIN = "cifar10-bin";
    public static final String CIFAR100_BIN = "cifar100-bin";
    public static final String CIFAR10_PY = "cifar10-py";
    public static final String CIFAR100_PY = "cifar100-py";
    public static final String IDX = "idx";
    public static final String IMAGE_FOLDER = "imagefolder";
    /** The format names {@link #open} accepts. */
    public static final List<String> FORMATS = List.of(CIFAR10_BIN, CIFAR100_BIN, CIFAR10_PY, CIFAR100_PY, IDX,
            IMAGE_FOLDER);

    private static final int CIFAR10_RECORD = 3073;
    private static final int CIFAR100_RECORD = 3074;
    static final int CIFAR100_CLASSES = 100;
    /** The PROTO opcode that starts every pickle of protocol 2 or later. */
    private static final int PICKLE_PROTO = 0x80;

    private Datasets() {
    }

    /**
     * Opens {@code path} as {@code format}, or as the detected format when {@code format} is null.
     *
     * @throws DatasetFormatException naming the path and the problem (missing, unknown format,
     *                                wrong size, missing labels, ...)
     */
    public static ImageDataset open(Path path, String format, DatasetOptions opts) throws IOException {
        ImageDataset data = openUnpadded(path, format, opts);
        return opts.pad() > 0 ? new PaddedDataset(data, opts.pad()) : data;
    }

    private static ImageDataset openUnpadded(Path path, String format, DatasetOptions opts) throws IOException {
        if (!Files.exists(path)) {
            throw new DatasetFormatException(path, "does not exist");
        }
        String problem = Files.isDirectory(path) ? null : RegularFiles.problem(path);
        if (problem != null) {
            throw new DatasetFormatException(path, problem);
        }
        try {
            return openChecked(path, format, opts);
        } catch (java.nio.file.FileSystemException e) {
            // the JDK's AccessDeniedException/NoSuchFileException say only the path
            String file = e.getFile() == null || e.getFile().equals(path.toString()) ? "" : " " + e.getFile();
            throw new DatasetFormatException(path, "cannot read" + file + ": " + IoMessages.reason(e), e);
        }
    }

    private static ImageDataset openChecked(Path path, String format, DatasetOptions opts) throws IOException {
        String fmt = format != null ? format : detect(path);
        switch (fmt) {
            case CIFAR10_BIN:
                requireFile(path, fmt);
                return new CifarBinaryDataset(path, false, classNames(opts, Normalization.CIFAR10_CLASSES));
            case CIFAR100_BIN:
                requireFile(path, fmt);
                return new CifarBinaryDataset(path, true, classNames(opts, numericClassNames(CIFAR100_CLASSES)));
            case CIFAR10_PY:
                return CifarPickleDataset.open(path, CifarPickleDataset.Variant.CIFAR10, opts.split(),
                        opts.classNames());
            case CIFAR100_PY:
                return CifarPickleDataset.open(path, CifarPickleDataset.Variant.CIFAR100, opts.split(),
                        opts.classNames());
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
            CifarPickleDataset.Variant cifar = CifarPickleDataset.variantOfDirectory(path);
            if (cifar != null) {
                return cifar.format();
            }
            if (IdxFiles.isIdxDirectory(path)) {
                return IDX;
            }
            if (hasSubdirectories(path)) {
                return IMAGE_FOLDER;
            }
            throw new DatasetFormatException(path, "unknown dataset directory: neither the CIFAR python layout "
                    + "(data_batch_1/test_batch/batches.meta or train/test/meta), the MNIST layout "
                    + "(train-/t10k-images-idx3-ubyte[.gz]) nor an image folder (one sub-directory per class)");
        }
        if (IdxFiles.isImagesName(path)) {
            return IDX;
        }
        if (IdxFiles.isLabelsName(path)) {
            throw new DatasetFormatException(path, "this is an IDX labels file; give the images file beside it");
        }
        if (isPickle(path)) {
            return CifarPickleDataset.variantOfFile(path).format();
        }
        long size = Files.size(path);
        if (size > 0 && size % CIFAR10_RECORD == 0) {
            return CIFAR10_BIN;
        }
        if (size > 0 && size % CIFAR100_RECORD == 0) {
            return CIFAR100_BIN;
        }
        throw new DatasetFormatException(path, "unknown dataset format: size " + size + " bytes is a multiple of "
                + "neither 3073 (CIFAR-10 records) nor 3074 (CIFAR-100), it is not a pickle (CIFAR python batch), "
                + "and the name is not an IDX images file "
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
            throw new DatasetFormatException(path, format + " needs a file, not " + IoMessages.nonRegularKind(path));
        }
    }

    private static boolean isPickle(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return in.read() == PICKLE_PROTO;
        }
    }

    private static boolean hasSubdirectories(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.anyMatch(Files::isDirectory);
        }
    }
}
