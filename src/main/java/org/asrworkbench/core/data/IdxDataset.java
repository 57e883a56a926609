package org.asrworkbench.core.data;

import org.asrworkbench.core.io.RegularFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX image file and its label file (MNIST, Fashion-MNIST), plain or gzipped (detected by
 * the gzip magic bytes, not by the name).
 *
 * <p>Storage: an uncompressed image file is read in place, image by image, by offset. A gzip
 * file cannot be read by offset, so it is decompressed once when opened: into memory when the
 * pixels take less than {@value #IN_MEMORY_LIMIT_MB} MB (MNIST and Fashion-MNIST training sets
 * take 47 MB), otherwise into a temporary file that is deleted on {@link #close()} (and on JVM
 * exit as a fallback). Labels (one byte per image) are always held in memory.
 *
 * <p>Validated on open: magic numbers ({@code 0x00000803} images: unsigned bytes, 3 dimensions;
 * {@code 0x00000801} labels), positive dimensions, equal image and label counts, and lengths that
 * match the headers exactly; a gzipped header may not promise more pixels than deflate's ratio
 * lets its file hold, so a small file cannot make the reader inflate gigabytes. Every error names
 * the file.
 */
public final class IdxDataset extends AbstractImageDataset {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Gzipped pixels below this size (in MB) are decompressed into memory, above it into a temp file. */
    public static final int IN_MEMORY_LIMIT_MB = 64;
    private static final long IN_MEMORY_LIMIT = (long) IN_MEMORY_LIMIT_MB << 20;
    /** Deflate's largest compression ratio (about 1032:1): no gzip file inflates to more than this times its size. */
    static final long MAX_GZIP_RATIO = 1032;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private final Path labelsFile;
    private final ByteStore pixels;
    private final byte[] labels;
    private final ByteBuffer imageBuffer;

    private IdxDataset(Path imagesFile, Path labelsFile, ByteStore pixels, byte[] labels, int rows, int cols,
                       List<String> classes) {
        super(imagesFile, "idx", 1, rows, cols, classes);
        this.labelsFile = labelsFile;
        this.pixels = pixels;
        this.labels = labels;
        this.imageBuffer = ByteBuffer.allocate(rows * cols);
    }

    /** Opens an image/label pair with class names "0", "1", ... (as many as the largest label + 1). */
    public static IdxDataset open(Path images, Path labels) throws IOException {
        return open(images, labels, null);
    }

    /**
     * Opens an image/label pair.
     *
     * @param classNames class names in label order (e.g. {@link Normalization#FASHION_MNIST_CLASSES}),
     *                   or null for "0", "1", ... up to the largest label
     */
    public static IdxDataset open(Path images, Path labels, List<String> classNames) throws IOException {
        return open(images, labels, classNames, IN_MEMORY_LIMIT);
    }

    /** As {@link #open(Path, Path, List)}, with the in-memory limit for gzipped pixels given (for tests). */
    static IdxDataset open(Path images, Path labels, List<String> classNames, long inMemoryLimit)
            throws IOException {
        for (Path f : new Path[] {images, labels}) {
            RegularFiles.requireRegularFile(f, p -> new DatasetFormatException(f, p));
        }
        byte[] labelBytes = readLabels(labels);
        List<String> classes = classNames != null ? List.copyOf(classNames) : numericClasses(labelBytes);
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xff;
            if (label >= classes.size()) {
                throw new DatasetFormatException(labels, "label " + label + " of image " + i + ", but there are only "
                        + classes.size() + " classes");
            }
        }
        try (DataInputStream in = open(images)) {
            int magic = readInt(in, images);
            if (magic != IMAGES_MAGIC) {
                throw new DatasetFormatException(images, String.format("not an IDX images file: magic 0x%08x, expected"
                        + " 0x%08x (unsigned bytes, 3 dimensions)%s", magic, IMAGES_MAGIC,
                        magic == LABELS_MAGIC ? "; this is a labels file" : ""));
            }
            int count = readInt(in, images);
            int rows = readInt(in, images);
            int cols = readInt(in, images);
            if (count <= 0 || rows <= 0 || cols <= 0) {
                throw new DatasetFormatException(images, "invalid dimensions " + count + " x " + rows + " x " + cols);
            }
            if (count != labelBytes.length) {
                throw new DatasetFormatException(images, count + " images, but " + labels + " has "
                        + labelBytes.length + " labels");
            }
            long payload;
            try {
                payload = Math.multiplyExact((long) count * rows, cols);
            } catch (ArithmeticException e) {
                throw new DatasetFormatException(images, "invalid dimensions " + count + " x " + rows + " x " + cols);
            }
            boolean gzip = isGzip(images);
            if (gzip && payload / MAX_GZIP_RATIO > Files.size(images)) {
                throw new DatasetFormatException(images, "the header promises " + payload + " bytes of pixels, more"
                        + " than a gzip file of " + Files.size(images) + " bytes can hold");
            }
            ByteStore store = gzip ? decompress(images, in, payload, inMemoryLimit) : inPlace(images, payload);
            return new IdxDataset(images, labels, store, labelBytes, rows, cols, classes);
        }
    }

    private static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readInt(in, file);
            if (magic != LABELS_MAGIC) {
                throw new DatasetFormatException(file, String.format("not an IDX labels file: magic 0x%08x, expected"
                        + " 0x%08x (unsigned bytes, 1 dimension)%s", magic, LABELS_MAGIC,
                        magic == IMAGES_MAGIC ? "; this is an images file" : ""));
            }
            int count = readInt(in, file);
            if (count <= 0) {
                throw new DatasetFormatException(file, "invalid label count " + count);
            }
            byte[] labels = readFully(in, file, count, "labels");
            expectEnd(in, file, LABELS_HEADER + (long) count);
            return labels;
        }
    }

    private static List<String> numericClasses(byte[] labels) {
        int max = 0;
        for (byte b : labels) {
            max = Math.max(max, b & 0xff);
        }
        return Datasets.numericClassNames(max + 1);
    }

    private static ByteStore inPlace(Path file, long payload) throws IOException {
        long expected = IMAGES_HEADER + payload;
        long actual = Files.size(file);
        if (actual != expected) {
            throw new DatasetFormatException(file, lengthProblem(actual, expected));
        }
        return ByteStore.of(file, IMAGES_HEADER, file, false);
    }

    private static ByteStore decompress(Path file, DataInputStream in, long payload, long inMemoryLimit)
            throws IOException {
        if (payload < inMemoryLimit) {
            byte[] bytes = readFully(in, file, Math.toIntExact(payload), "pixels");
            expectEnd(in, file, IMAGES_HEADER + payload);
            return ByteStore.of(bytes);
        }
        Path temp = Files.createTempFile("asr-idx-", ".ubyte");
        temp.toFile().deleteOnExit();
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buf = new byte[1 << 16];
                long left = payload;
                while (left > 0) {
                    int n;
                    try {
                        n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    } catch (EOFException | ZipException e) {
                        throw new DatasetFormatException(file, "truncated or corrupt gzip data in the pixels: "
                                + e.getMessage());
                    }
                    if (n < 0) {
                        throw new DatasetFormatException(file, lengthProblem(IMAGES_HEADER + payload - left,
                                IMAGES_HEADER + payload) + " (decompressed)");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            expectEnd(in, file, IMAGES_HEADER + payload);
            return ByteStore.of(temp, 0, file, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** True when {@code file} starts with the gzip magic bytes 1f 8b. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new DataInputStream(isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw);
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage());
        }
    }

    private static int readInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "truncated header");
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage());
        }
    }

    private static byte[] readFully(DataInputStream in, Path file, int length, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(length);
        } catch (EOFException | ZipException e) {
            throw new DatasetFormatException(file, "truncated or corrupt gzip data in the " + what + ": "
                    + e.getMessage());
        }
        if (bytes.length < length) {
            int header = what.equals("labels") ? LABELS_HEADER : IMAGES_HEADER;
            throw new DatasetFormatException(file, lengthProblem(header + (long) bytes.length, header + (long) length));
        }
        return bytes;
    }

    private static void expectEnd(DataInputStream in, Path file, long expected) throws IOException {
        try {
            if (in.read() >= 0) {
                throw new DatasetFormatException(file, "longer than the " + expected
                        + " bytes its header promises (trailing data)");
            }
        } catch (EOFException | ZipException e) {
            throw new DatasetFormatException(file, "truncated or corrupt gzip data: " + e.getMessage());
        }
    }

    private static String lengthProblem(long actual, long expected) {
        return actual < expected
                ? "truncated: " + actual + " bytes, but the header promises " + expected
                : actual + " bytes, but the header promises " + expected + " (trailing data)";
    }

    /** The images file (also {@link #source()}). */
    public Path imagesFile() {
        return source();
    }

    public Path labelsFile() {
        return labelsFile;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        checkIndex(index);
        return labels[index] & 0xff;
    }

    @Override
    public synchronized int[] read(int[] indices, float[] out) throws IOException {
        int plane = height() * width();
        int[] result = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            checkIndex(idx);
            imageBuffer.clear();
            pixels.read((long) idx * plane, imageBuffer);
            byte[] a = imageBuffer.array();
            int base = i * plane;
            for (int k = 0; k < plane; k++) {
                out[base + k] = (a[k] & 0xff) / 255f;
            }
            result[i] = labels[idx] & 0xff;
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        pixels.close();
    }
}
