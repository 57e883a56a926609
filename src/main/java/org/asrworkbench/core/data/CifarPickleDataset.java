package org.asrworkbench.core.data;

import org.asrworkbench.core.io.AllowList;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.NumpyArray;
import org.asrworkbench.core.io.SafeUnpickler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CIFAR-10 / CIFAR-100 in the official <em>python</em> layout: pickled dicts whose {@code data} is
 * a {@code uint8} array [N, 3072] (R plane, G plane, B plane of 32x32 per row, so already CHW) and
 * whose {@code labels} (CIFAR-10) or {@code fine_labels} (CIFAR-100) hold the N labels. Every file
 * is read with {@link SafeUnpickler} (an allow-list of numpy globals), never by plain unpickling.
 *
 * <p>The source is one batch file, or an extracted directory: {@code cifar-10-batches-py/}
 * ({@code data_batch_1}, {@code data_batch_2}, ... for the train split, concatenated in order;
 * {@code test_batch} for the test split; {@code batches.meta} with {@code label_names}) or
 * {@code cifar-100-python/} ({@code train}, {@code test}; {@code meta} with
 * {@code fine_label_names}). Class names: those given, else the meta file's (looked for beside a
 * single batch file too), else the format's defaults.
 *
 * <p>Memory: opening decodes each batch of the split once to count and check its images (shape of
 * {@code data}, labels in range) and keeps only the labels. Pixels are then decoded on demand, one
 * batch file at a time: at most one decoded batch is held, and {@link #read} visits the batches its
 * indices fall in once each, starting with the one already held.
 */
public final class CifarPickleDataset extends AbstractImageDataset {
    private static final int SIDE = 32;
    private static final int PIXELS = 3 * SIDE * SIDE;

    /** The two CIFAR variants: their file names and dict keys. */
    public enum Variant {
        CIFAR10(Datasets.CIFAR10_PY, "CIFAR-10", "labels", "batches.meta", "label_names", "test_batch",
                Normalization.CIFAR10_CLASSES),
        CIFAR100(Datasets.CIFAR100_PY, "CIFAR-100", "fine_labels", "meta", "fine_label_names", "test",
                Datasets.numericClassNames(Datasets.CIFAR100_CLASSES));

        private final String format;
        private final String title;
        private final String labelsKey;
        private final String metaFile;
        private final String namesKey;
        private final String testFile;
        private final List<String> defaultClasses;

        Variant(String format, String title, String labelsKey, String metaFile, String namesKey, String testFile,
                List<String> defaultClasses) {
            this.format = format;
            this.title = title;
            this.labelsKey = labelsKey;
            this.metaFile = metaFile;
            this.namesKey = namesKey;
            this.testFile = testFile;
            this.defaultClasses = defaultClasses;
        }

        /** The format name, {@code cifar10-py} or {@code cifar100-py}. */
        public String format() {
            return format;
        }

        /** The batch files of {@code split} in {@code dir}, in order (empty when there are none). */
        List<Path> batchesIn(Path dir, DatasetSplit split) {
            if (split == DatasetSplit.TEST) {
                Path test = dir.resolve(testFile);
                return Files.isRegularFile(test) ? List.of(test) : List.of();
            }
            if (this == CIFAR100) {
                Path train = dir.resolve("train");
                return Files.isRegularFile(train) ? List.of(train) : List.of();
            }
            List<Path> files = new ArrayList<>();
            for (int i = 1; Files.isRegularFile(dir.resolve("data_batch_" + i)); i++) {
                files.add(dir.resolve("data_batch_" + i));
            }
            return files;
        }

        /** How the files of {@code split} are named, for error messages. */
        String splitFileNames(DatasetSplit split) {
            if (split == DatasetSplit.TEST) {
                return testFile;
            }
            return this == CIFAR100 ? "train" : "data_batch_1, data_batch_2, ...";
        }
    }

    private final Variant variant;
    private final List<Path> files;
    private final int[] starts;
    private final int[] labels;
    private int heldBatch = -1;
    private byte[] heldPixels;

    private CifarPickleDataset(Path source, Variant variant, List<Path> files, List<String> classes)
            throws IOException {
        super(source, variant.format, 3, SIDE, SIDE, classes);
        this.variant = variant;
        this.files = List.copyOf(files);
        this.starts = new int[files.size() + 1];
        List<int[]> perFile = new ArrayList<>();
        for (int b = 0; b < files.size(); b++) {
            int[] fileLabels = load(b);
            perFile.add(fileLabels);
            starts[b + 1] = Math.addExact(starts[b], fileLabels.length);
        }
        this.labels = new int[starts[files.size()]];
        for (int b = 0; b < perFile.size(); b++) {
            System.arraycopy(perFile.get(b), 0, labels, starts[b], perFile.get(b).length);
        }
    }

    /**
     * Opens a batch file, or the {@code split} of an extracted directory.
     *
     * @param classNames class names in label order, or null for the meta file's (or the defaults)
     * @throws DatasetFormatException naming the file: missing batches, not a CIFAR batch, wrong
     *                                shape of {@code data}, a label out of range, an unreadable meta file
     */
    public static CifarPickleDataset open(Path path, Variant variant, DatasetSplit split, List<String> classNames)
            throws IOException {
        List<Path> files;
        Path dir;
        if (Files.isDirectory(path)) {
            files = variant.batchesIn(path, split);
            if (files.isEmpty()) {
                throw new DatasetFormatException(path, "no " + variant.title + " python batches for the "
                        + split.cliName() + " split (expected " + variant.splitFileNames(split) + ")");
            }
            dir = path;
        } else {
            files = List.of(path);
            dir = path.toAbsolutePath().getParent();
        }
        List<String> classes = classNames != null ? classNames : metaClassNames(dir.resolve(variant.metaFile), variant);
        return new CifarPickleDataset(path, variant, files, classes);
    }

    /**
     * The variant of an extracted directory by its file names ({@code data_batch_1}, {@code test_batch}
     * or {@code batches.meta}: CIFAR-10; {@code meta} with {@code train} or {@code test}: CIFAR-100),
     * or null when it is neither.
     */
    static Variant variantOfDirectory(Path dir) {
        if (Stream.of("data_batch_1", "test_batch", "batches.meta")
                .anyMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
            return Variant.CIFAR10;
        }
        if (Files.isRegularFile(dir.resolve("meta"))
                && Stream.of("train", "test").anyMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
            return Variant.CIFAR100;
        }
        return null;
    }

    /**
     * The variant of a pickled batch file: by its name ({@code data_batch_N}, {@code test_batch};
     * {@code train}, {@code test}), else by decoding it and finding {@code labels} or {@code fine_labels}.
     *
     * @throws DatasetFormatException when it is a meta file or not a CIFAR batch
     */
    static Variant variantOfFile(Path file) throws DatasetFormatException {
        String name = file.getFileName().toString();
        if (name.matches("data_batch_\\d+") || name.equals("test_batch")) {
            return Variant.CIFAR10;
        }
        if (name.equals("train") || name.equals("test")) {
            return Variant.CIFAR100;
        }
        if (name.equals("batches.meta") || name.equals("meta")) {
            throw new DatasetFormatException(file, "this is the CIFAR class-names file; give the directory or a "
                    + "batch file beside it");
        }
        Map<String, Object> batch;
        try {
            batch = SafeUnpickler.loadCifarBatch(file);
        } catch (ModelFormatException e) {
            throw unreadable(file, e);
        }
        if (batch.containsKey("fine_labels")) {
            return Variant.CIFAR100;
        }
        if (batch.containsKey("labels")) {
            return Variant.CIFAR10;
        }
        throw new DatasetFormatException(file, "not a CIFAR batch: neither 'labels' nor 'fine_labels' (keys: "
                + batch.keySet() + ")");
    }

    /** The batch files this dataset reads, in order. */
    public List<Path> batchFiles() {
        return files;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        checkIndex(index);
        return labels[index];
    }

    @Override
    public synchronized int[] read(int[] indices, float[] out) throws IOException {
        int[] result = new int[indices.length];
        int[] batchOf = new int[indices.length];
        boolean[] needed = new boolean[files.size()];
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i]);
            batchOf[i] = batchOf(indices[i]);
            needed[batchOf[i]] = true;
            result[i] = labels[indices[i]];
        }
        int first = Math.max(heldBatch, 0);
        for (int step = 0; step < files.size(); step++) {
            int b = (first + step) % files.size();
            if (!needed[b]) {
                continue;
            }
            if (b != heldBatch) {
                load(b);
            }
            for (int i = 0; i < indices.length; i++) {
                if (batchOf[i] == b) {
                    int from = (indices[i] - starts[b]) * PIXELS;
                    int to = i * PIXELS;
                    for (int k = 0; k < PIXELS; k++) {
                        out[to + k] = (heldPixels[from + k] & 0xff) / 255f;
                    }
                }
            }
        }
        return result;
    }

    @Override
    public void close() {
        heldPixels = null;
        heldBatch = -1;
    }

    private int batchOf(int index) {
        int b = Arrays.binarySearch(starts, index);
        if (b >= 0) {
            while (starts[b + 1] == index) {
                b++;
            }
            return b;
        }
        return -b - 2;
    }

    /** Decodes batch {@code b}, checks it, makes its pixels the held batch and returns its labels. */
    private int[] load(int b) throws DatasetFormatException {
        Path file = files.get(b);
        heldPixels = null;
        heldBatch = -1;
        Map<String, Object> batch;
        try {
            batch = SafeUnpickler.loadCifarBatch(file);
        } catch (ModelFormatException e) {
            throw unreadable(file, e);
        }
        NumpyArray data = (NumpyArray) batch.get("data");
        long[] shape = data.shape();
        if (shape[1] != PIXELS) {
            throw new DatasetFormatException(file, "'data' has shape " + Arrays.toString(shape) + ", expected [N, "
                    + PIXELS + "] (3x32x32 images)");
        }
        if (!(batch.get(variant.labelsKey) instanceof List<?> list)) {
            throw new DatasetFormatException(file, "not a " + variant.title + " batch: no '" + variant.labelsKey
                    + "' (keys: " + batch.keySet() + ")");
        }
        int[] fileLabels = new int[list.size()];
        for (int i = 0; i < fileLabels.length; i++) {
            int label = (Integer) list.get(i);
            if (label < 0 || label >= numClasses()) {
                throw new DatasetFormatException(file, "image " + i + " has label " + label + ", but there are "
                        + numClasses() + " classes");
            }
            fileLabels[i] = label;
        }
        heldPixels = data.uint8();
        heldBatch = b;
        return fileLabels;
    }

    /** The class names in {@code meta}, or the variant's defaults when there is no such file. */
    private static List<String> metaClassNames(Path meta, Variant variant) throws DatasetFormatException {
        if (!Files.isRegularFile(meta)) {
            return variant.defaultClasses;
        }
        Object loaded;
        try {
            loaded = SafeUnpickler.load(meta, AllowList.NUMPY_ARRAYS);
        } catch (ModelFormatException e) {
            throw unreadable(meta, e);
        }
        if (loaded instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (variant.namesKey.equals(text(entry.getKey())) && entry.getValue() instanceof List<?> names) {
                    List<String> out = new ArrayList<>();
                    for (Object name : names) {
                        String s = text(name);
                        if (s == null) {
                            throw new DatasetFormatException(meta, "'" + variant.namesKey + "' holds a non-string");
                        }
                        out.add(s);
                    }
                    return List.copyOf(out);
                }
            }
        }
        throw new DatasetFormatException(meta, "not a " + variant.title + " meta file: no '" + variant.namesKey
                + "' list");
    }

    /** A Python 2 {@code str} (a Java String) or a Python 3 {@code bytes} as text; null for anything else. */
    private static String text(Object o) {
        if (o instanceof String s) {
            return s;
        }
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    }

    private static DatasetFormatException unreadable(Path file, ModelFormatException e) {
        String prefix = file + ": ";
        String problem = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new DatasetFormatException(file, "not a CIFAR python file: " + problem, e);
    }
}
