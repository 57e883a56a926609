package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaddedDatasetTest {
    private static final Path SAMPLE_TEST = Path.of("sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz");

    @Test
    void bordersAreZeroAndTheInteriorIsTheOriginal() throws Exception {
        InMemoryDataset raw = InMemoryDataset.pattern(3, 5, 4);
        PaddedDataset padded = new PaddedDataset(raw, 2);
        assertEquals(9, padded.height());
        assertEquals(8, padded.width());
        assertEquals(raw.size(), padded.size());
        // a dirty buffer: every value the padding covers must be overwritten with 0
        float[] out = new float[2 * 9 * 8];
        Arrays.fill(out, 7f);
        int[] labels = padded.read(new int[] {2, 0}, out);
        assertEquals(List.of(2, 0), List.of(labels[0], labels[1]));
        int[] order = {2, 0};
        for (int i = 0; i < 2; i++) {
            byte[] original = raw.image(order[i]);
            for (int y = 0; y < 9; y++) {
                for (int x = 0; x < 8; x++) {
                    float v = out[i * 72 + y * 8 + x];
                    boolean inside = y >= 2 && y < 7 && x >= 2 && x < 6;
                    float expected = inside ? (original[(y - 2) * 4 + (x - 2)] & 0xff) / 255f : 0f;
                    assertEquals(expected, v, "image " + i + " at (" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void batchReaderNormalisesThePaddingAsBlack() throws Exception {
        Normalization norm = new Normalization("n", 1, 8, 8, new float[] {0.25f}, new float[] {0.5f}, List.of(), 1);
        InMemoryDataset raw = InMemoryDataset.pattern(2, 6, 6);
        float[][] seen = new float[1][];
        new BatchReader(new PaddedDataset(raw, norm.pad()), norm, 2).forEach(new int[] {0, 1},
                b -> seen[0] = b.pixels().clone(), null);
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean inside = y >= 1 && y < 7 && x >= 1 && x < 7;
                    float pixel = inside ? (raw.image(i)[(y - 1) * 6 + (x - 1)] & 0xff) / 255f : 0f;
                    assertEquals((pixel - 0.25f) / 0.5f, seen[0][i * 64 + y * 8 + x], 1e-6f);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchReader(raw, norm, 2));
        assertTrue(e.getMessage().contains("with pad 1"), e.getMessage());
    }

    @Test
    void datasetsOpenedForAPaddingModelArePadded() throws Exception {
        Normalization norm = Normalization.preset("fashion-mnist").withPad(2);
        assertEquals(32, norm.height());
        assertEquals(28, norm.imageHeight());
        try (ImageDataset data = Datasets.open(SAMPLE_TEST, null, DatasetOptions.defaults().withInput(norm))) {
            PaddedDataset padded = assertInstanceOf(PaddedDataset.class, data);
            assertEquals(28, padded.inner().height());
            assertEquals(32, data.height());
            assertEquals(32, data.width());
            assertEquals(2000, data.size());
            assertEquals(data.label(5), padded.inner().label(5));
        }
        try (ImageDataset data = Datasets.open(SAMPLE_TEST, null,
                DatasetOptions.defaults().withInput(Normalization.preset("fashion-mnist")))) {
            assertInstanceOf(IdxDataset.class, data, "no padding, no wrapper");
        }
    }

    @Test
    void negativeOrSwallowingPadIsRejected() {
        float[] m = {0.5f};
        float[] s = {0.25f};
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class,
                () -> new Normalization("n", 1, 32, 32, m, s, List.of(), -1));
        assertTrue(neg.getMessage().contains("pad must be 0 or more, not -1"), neg.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> new Normalization("n", 1, 32, 20, m, s, List.of(), 10));
        assertTrue(big.getMessage().contains("leaves nothing of the image (at most 9)"), big.getMessage());
        assertEquals(2, new Normalization("n", 1, 32, 20, m, s, List.of(), 9).imageWidth());
        assertThrows(IllegalArgumentException.class, () -> Normalization.preset("cifar").withPad(-2));
        assertThrows(IllegalArgumentException.class, () -> new PaddedDataset(InMemoryDataset.pattern(1, 2, 2), 0));
        assertEquals(0, Normalization.preset("cifar").pad(), "the 7-argument constructor pads nothing");
    }
}
