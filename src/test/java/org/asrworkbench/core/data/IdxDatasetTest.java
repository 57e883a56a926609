package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roundTripsASubsetThroughIdxWriter(boolean gzip) throws IOException {
        InMemoryDataset source = InMemoryDataset.pattern(12, 5, 4);
        int[] subset = {11, 3, 7, 0};
        Path images = dir.resolve("sub-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        Path labels = dir.resolve("sub-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
        IdxWriter.write(source, subset, images, labels, gzip);
        assertEquals(gzip, IdxDataset.isGzip(images));

        try (IdxDataset back = IdxDataset.open(images, labels)) {
            assertEquals(4, back.size());
            assertEquals(1, back.channels());
            assertEquals(5, back.height());
            assertEquals(4, back.width());
            assertEquals("idx", back.format());
            assertEquals(Datasets.numericClassNames(8), back.classNames(), "largest label 7 -> 8 classes");
            float[] out = new float[2 * 20];
            int[] got = back.read(new int[] {2, 0}, out);
            assertArrayEquals(new int[] {7, 1}, got);
            assertEquals(3, back.label(1), "image 1 is source image 3");
            for (int k = 0; k < 20; k++) {
                assertEquals((source.image(7)[k] & 0xff) / 255f, out[k]);
                assertEquals((source.image(11)[k] & 0xff) / 255f, out[20 + k]);
            }
        }
    }

    @Test
    void largeGzipPayloadGoesToATempFileDeletedOnClose() throws IOException {
        InMemoryDataset source = InMemoryDataset.pattern(6, 3, 3);
        Path images = dir.resolve("t-images-idx3-ubyte.gz");
        Path labels = dir.resolve("t-labels-idx1-ubyte.gz");
        IdxWriter.write(source, new int[] {0, 1, 2, 3, 4, 5}, images, labels, true);
        long before = tempFiles();
        float[] out = new float[9];
        try (IdxDataset ds = IdxDataset.open(images, labels, null, 0)) {
            assertEquals(before + 1, tempFiles());
            ds.read(new int[] {5}, out);
            assertEquals((source.image(5)[8] & 0xff) / 255f, out[8]);
        }
        assertEquals(before, tempFiles());
    }

    @Test
    void fashionClassNamesWhenAsked() throws IOException {
        Path[] pair = writePair(InMemoryDataset.pattern(3, 2, 2));
        try (IdxDataset ds = IdxDataset.open(pair[0], pair[1], Normalization.FASHION_MNIST_CLASSES)) {
            assertEquals(Normalization.FASHION_MNIST_CLASSES, ds.classNames());
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxDataset.open(pair[0], pair[1], List.of("a", "b")));
        assertTrue(e.getMessage().startsWith(pair[1].toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
    }

    @Test
    void wrongMagicNamesTheFile() throws IOException {
        Path[] pair = writePair(InMemoryDataset.pattern(3, 2, 2));
        DatasetFormatException swapped = assertThrows(DatasetFormatException.class,
                () -> IdxDataset.open(pair[1], pair[0]));
        assertEquals(pair[0], swapped.file());
        assertTrue(swapped.getMessage().contains("magic 0x00000803"), swapped.getMessage());

        Path bad = raw("bad-images", false, 0x00000c03, new int[] {3, 2, 2}, new byte[12]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(bad, pair[1]));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("not an IDX images file: magic 0x00000c03"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedImagesNameTheFile(boolean gzip) throws IOException {
        Path labels = raw("l", gzip, IdxDataset.LABELS_MAGIC, new int[] {3}, new byte[3]);
        Path images = raw("i", gzip, IdxDataset.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[11]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(images, labels));
        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains("truncated: 27 bytes, but the header promises 28"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamNamesTheFile() throws IOException {
        Path labels = raw("l", true, IdxDataset.LABELS_MAGIC, new int[] {3}, new byte[3]);
        Path images = raw("i", true, IdxDataset.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
        byte[] whole = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(whole, whole.length - 10));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(images, labels));
        assertEquals(images, e.file());
    }

    @Test
    void trailingBytesAndTruncatedHeaderAreErrors() throws IOException {
        Path labels = raw("l", false, IdxDataset.LABELS_MAGIC, new int[] {3}, new byte[4]);
        Path images = raw("i", false, IdxDataset.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(images, labels));
        assertEquals(labels, e.file());
        assertTrue(e.getMessage().contains("trailing data"), e.getMessage());

        Path header = dir.resolve("short");
        Files.write(header, new byte[] {0, 0, 8, 3, 0, 0});
        Path goodLabels = raw("l2", false, IdxDataset.LABELS_MAGIC, new int[] {3}, new byte[3]);
        e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(header, goodLabels));
        assertEquals(header, e.file());
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path labels = raw("l", false, IdxDataset.LABELS_MAGIC, new int[] {4}, new byte[4]);
        Path images = raw("i", false, IdxDataset.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(images, labels));
        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains("3 images, but " + labels + " has 4 labels"), e.getMessage());
    }

    @Test
    void zeroDimensionIsRejected() throws IOException {
        Path labels = raw("l", false, IdxDataset.LABELS_MAGIC, new int[] {3}, new byte[3]);
        Path images = raw("i", false, IdxDataset.IMAGES_MAGIC, new int[] {3, 0, 2}, new byte[0]);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.open(images, labels));
        assertTrue(e.getMessage().contains("invalid dimensions 3 x 0 x 2"), e.getMessage());
    }

    @Test
    void writerRejectsColourDatasets() {
        InMemoryDataset rgb = new InMemoryDataset(3, 1, 1, new byte[][] {{1, 2, 3}}, new int[] {0}, List.of("a"));
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.write(rgb, new int[] {0},
                dir.resolve("x-images-idx3-ubyte"), dir.resolve("x-labels-idx1-ubyte"), false));
    }

    private Path[] writePair(InMemoryDataset source) throws IOException {
        Path images = dir.resolve("p-images-idx3-ubyte");
        Path labels = dir.resolve("p-labels-idx1-ubyte");
        int[] all = java.util.stream.IntStream.range(0, source.size()).toArray();
        IdxWriter.write(source, all, images, labels, false);
        return new Path[] {images, labels};
    }

    private Path raw(String name, boolean gzip, int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream o = gzip ? new GZIPOutputStream(bytes) : bytes; DataOutputStream out = new DataOutputStream(o)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(payload);
        }
        Path file = dir.resolve(name + (gzip ? ".gz" : ""));
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static long tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("asr-idx-")).count();
        }
    }
}
