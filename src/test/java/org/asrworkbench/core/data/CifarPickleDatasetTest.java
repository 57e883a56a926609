package org.asrworkbench.core.data;

import org.asrworkbench.testing.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny CIFAR python batches written opcode by opcode, laid out like the official archives. */
class CifarPickleDatasetTest {
    private static final int PIXELS = 3072;

    @TempDir
    Path dir;

    /** Pixel {@code k} (CHW) of the image with id {@code image}: distinct per image, plane and position. */
    private static int pixel(int image, int k) {
        return (image * 37 + k * 5 + k / 1024) & 0xff;
    }

    private static byte[] pixels(int[] imageIds) {
        byte[] px = new byte[imageIds.length * PIXELS];
        for (int i = 0; i < imageIds.length; i++) {
            for (int k = 0; k < PIXELS; k++) {
                px[i * PIXELS + k] = (byte) pixel(imageIds[i], k);
            }
        }
        return px;
    }

    /** A batch dict as cPickle protocol 2 writes it; CIFAR-100 batches also get coarse labels. */
    private static byte[] batch(String labelsKey, int[] labels, int[] imageIds) {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark();
        p.str("batch_label").str("a test batch");
        p.str(labelsKey).intList(labels);
        if (labelsKey.equals("fine_labels")) {
            p.str("coarse_labels").intList(new int[labels.length]);
        }
        p.str("data").uint8Array(pixels(imageIds), imageIds.length, PIXELS);
        return p.setItems().stop().bytes();
    }

    private Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A meta dict {@code {namesKey: [names...]}}, names as Python 2 str or Python 3 bytes. */
    private static byte[] meta(String namesKey, List<String> names, boolean asBytes) {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().str(namesKey).emptyList().mark();
        for (String name : names) {
            if (asBytes) {
                p.binBytes(name.getBytes(StandardCharsets.US_ASCII));
            } else {
                p.str(name);
            }
        }
        return p.appends().setItem().stop().bytes();
    }

    private static List<String> names(String prefix, int count) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            out.add(prefix + c);
        }
        return out;
    }

    /** cifar-10-batches-py/ with two training batches (2 + 3 images), a test batch and the meta file. */
    private Path cifar10Directory() throws IOException {
        Path root = dir.resolve("cifar-10-batches-py");
        write(root.resolve("data_batch_1"), batch("labels", new int[] {3, 9}, new int[] {0, 1}));
        write(root.resolve("data_batch_2"), batch("labels", new int[] {0, 1, 2}, new int[] {2, 3, 4}));
        write(root.resolve("test_batch"), batch("labels", new int[] {7}, new int[] {50}));
        write(root.resolve("batches.meta"), meta("label_names", names("class", 10), false));
        return root;
    }

    private static void assertImage(int imageId, float[] out, int slot) {
        for (int k = 0; k < PIXELS; k++) {
            assertEquals(pixel(imageId, k) / 255f, out[slot * PIXELS + k], "image " + imageId + " value " + k);
        }
    }

    @Test
    void cifar10DirectoryConcatenatesTheTrainingBatchesInOrder() throws IOException {
        Path root = cifar10Directory();
        assertEquals("cifar10-py", Datasets.detect(root));
        DatasetOptions train = DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN);
        try (ImageDataset ds = Datasets.open(root, null, train)) {
            assertEquals("cifar10-py", ds.format());
            assertEquals(root, ds.source());
            assertEquals(5, ds.size());
            assertEquals(List.of(3, 9, 0, 1, 2), List.of(ds.label(0), ds.label(1), ds.label(2), ds.label(3),
                    ds.label(4)));
            assertEquals(names("class", 10), ds.classNames(), "names come from batches.meta");
            assertEquals(List.of(root.resolve("data_batch_1"), root.resolve("data_batch_2")),
                    ((CifarPickleDataset) ds).batchFiles());

            // Indices across both batches, out of order, read twice so batches are decoded again.
            int[] indices = {4, 0, 3, 1};
            for (int round = 0; round < 2; round++) {
                float[] out = new float[indices.length * PIXELS];
                assertArrayEquals(new int[] {2, 3, 1, 9}, ds.read(indices, out));
                for (int i = 0; i < indices.length; i++) {
                    assertImage(indices[i], out, i);
                }
            }
            float[] one = new float[PIXELS];
            ds.read(new int[] {2}, one);
            // CHW: channel 1 (green), row 2, column 3 of image 2.
            assertEquals(pixel(2, 1024 + 2 * 32 + 3) / 255f, one[1024 + 2 * 32 + 3]);
            assertThrows(IndexOutOfBoundsException.class, () -> ds.read(new int[] {5}, new float[PIXELS]));
        }
    }

    @Test
    void cifar10TestSplitIsTheTestBatch() throws IOException {
        Path root = cifar10Directory();
        try (ImageDataset ds = Datasets.open(root, "cifar10-py", DatasetOptions.defaults())) {
            assertEquals(1, ds.size());
            float[] out = new float[PIXELS];
            assertArrayEquals(new int[] {7}, ds.read(new int[] {0}, out));
            assertImage(50, out, 0);
        }
        Files.delete(root.resolve("data_batch_1"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(root, null, DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN)));
        assertEquals(root, e.file());
        assertTrue(e.getMessage().contains("no CIFAR-10 python batches for the train split"), e.getMessage());
    }

    @Test
    void cifar100DirectoryUsesFineLabelsAndFineLabelNames() throws IOException {
        Path root = dir.resolve("cifar-100-python");
        write(root.resolve("train"), batch("fine_labels", new int[] {41, 99, 0}, new int[] {10, 11, 12}));
        write(root.resolve("test"), batch("fine_labels", new int[] {5}, new int[] {13}));
        write(root.resolve("meta"), meta("fine_label_names", names("fine", 100), true));
        assertEquals("cifar100-py", Datasets.detect(root));
        try (ImageDataset ds = Datasets.open(root, null, DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN))) {
            assertEquals("cifar100-py", ds.format());
            assertEquals(3, ds.size());
            assertEquals("fine99", ds.classNames().get(99));
            float[] out = new float[2 * PIXELS];
            assertArrayEquals(new int[] {0, 99}, ds.read(new int[] {2, 1}, out));
            assertImage(12, out, 0);
            assertImage(11, out, 1);
        }
        try (ImageDataset ds = Datasets.open(root, null, DatasetOptions.defaults())) {
            assertEquals(1, ds.size());
            assertEquals(5, ds.label(0));
        }
    }

    @Test
    void singleBatchFilesAreDetectedByNameOrLabelsKey() throws IOException {
        Path c10 = write(dir.resolve("loose").resolve("some.pkl"), batch("labels", new int[] {1}, new int[] {7}));
        Path c100 = write(dir.resolve("loose").resolve("other.pkl"), batch("fine_labels", new int[] {77},
                new int[] {8}));
        Path named = write(dir.resolve("named").resolve("train"), batch("fine_labels", new int[] {3}, new int[] {9}));
        assertEquals("cifar10-py", Datasets.detect(c10));
        assertEquals("cifar100-py", Datasets.detect(c100));
        assertEquals("cifar100-py", Datasets.detect(named));
        try (ImageDataset ds = Datasets.open(c10, null, DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN))) {
            assertEquals(Normalization.CIFAR10_CLASSES, ds.classNames(), "no meta beside it: the defaults");
            assertEquals(1, ds.size());
            assertEquals(c10, ds.source());
        }
        try (ImageDataset ds = Datasets.open(c100, null, DatasetOptions.defaults())) {
            assertEquals(Datasets.numericClassNames(100), ds.classNames());
            assertEquals(77, ds.label(0));
        }
        List<String> given = names("given", 10);
        Path root = cifar10Directory();
        try (ImageDataset ds = Datasets.open(root.resolve("test_batch"), null,
                DatasetOptions.defaults().withClassNames(given))) {
            assertEquals(given, ds.classNames(), "given names win over batches.meta");
        }
        try (ImageDataset ds = Datasets.open(root.resolve("test_batch"), null, DatasetOptions.defaults())) {
            assertEquals(names("class", 10), ds.classNames(), "batches.meta beside a single batch");
        }
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.detect(root.resolve("batches.meta")));
        assertTrue(e.getMessage().contains("class-names file"), e.getMessage());
    }

    @Test
    void wrongDataShapeNamesTheFile() throws IOException {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().mark();
        p.str("labels").intList(1, 2).str("data").uint8Array(new byte[2 * 3000], 2, 3000);
        Path file = write(dir.resolve("data_batch_1"), p.setItems().stop().bytes());
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(file, null, DatasetOptions.defaults()));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": 'data' has shape [2, 3000]"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesTheFileAndImage() throws IOException {
        Path root = cifar10Directory();
        Path bad = write(root.resolve("data_batch_3"), batch("labels", new int[] {4, 10}, new int[] {5, 6}));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(root, null, DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN)));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("image 1 has label 10, but there are 10 classes"), e.getMessage());
    }

    @Test
    void picklesThatAreNotCifarBatchesAreRefusedNamingTheFile() throws IOException {
        Path noData = write(dir.resolve("nodata.pkl"),
                new PickleBytes().proto(2).emptyDict().str("labels").intList(1).setItem().stop().bytes());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Datasets.detect(noData));
        assertEquals(noData, e.file());
        assertTrue(e.getMessage().contains("not a CIFAR python file") && e.getMessage().contains("'data'"),
                e.getMessage());

        Path noLabels = write(dir.resolve("test_batch"), new PickleBytes().proto(2).emptyDict().str("data")
                .uint8Array(new byte[PIXELS], 1, PIXELS).setItem().stop().bytes());
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(noLabels, null, DatasetOptions.defaults()));
        assertTrue(e.getMessage().startsWith(noLabels + ": not a CIFAR-10 batch: no 'labels'"), e.getMessage());

        Path evil = write(dir.resolve("evil").resolve("data_batch_1"), new PickleBytes().proto(2)
                .global("os", "system").mark().unicode("true").tuple().reduce().stop().bytes());
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(evil, null, DatasetOptions.defaults()));
        assertEquals(evil, e.file());
        assertTrue(e.getMessage().contains("refused pickle global 'os.system'"), e.getMessage());
    }
}
