package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchReaderTest {
    private static final InMemoryDataset DATA = InMemoryDataset.pattern(10, 2, 2);
    private static final Normalization NORM = new Normalization("t", 1, 2, 2, new float[] {0.5f},
            new float[] {0.25f}, List.of());

    @Test
    void walksIndicesInBatchesNormalisedIntoOneBuffer() throws IOException {
        BatchReader reader = new BatchReader(DATA, NORM, 4);
        List<int[]> seen = new ArrayList<>();
        List<float[]> buffers = new ArrayList<>();
        reader.forEach(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, batch -> {
            seen.add(new int[] {batch.start(), batch.size(), batch.indices()[0], batch.labels()[0]});
            buffers.add(batch.pixels());
            int k = 1;
            float expected = ((DATA.image(batch.indices()[0])[k] & 0xff) / 255f - 0.5f) / 0.25f;
            assertEquals(expected, batch.pixels()[k], 1e-6f);
        }, () -> false);
        assertEquals(3, seen.size());
        assertArrayEquals(new int[] {0, 4, 9, 9}, seen.get(0));
        assertArrayEquals(new int[] {4, 4, 5, 5}, seen.get(1));
        assertArrayEquals(new int[] {8, 2, 1, 1}, seen.get(2));
        assertSame(buffers.get(0), buffers.get(2), "the pixel buffer is reused");
        assertEquals(16, buffers.get(0).length);
    }

    @Test
    void cancellationStopsBetweenBatches() {
        BatchReader reader = new BatchReader(DATA, null, 3);
        AtomicInteger batches = new AtomicInteger();
        assertThrows(CancellationException.class, () -> reader.forEach(new int[] {0, 1, 2, 3, 4, 5, 6},
                batch -> batches.incrementAndGet(), () -> batches.get() == 2));
        assertEquals(2, batches.get());
    }

    @Test
    void normalisationMustFitTheImages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchReader(DATA, Normalization.preset("cifar"), 4));
        assertEquals("in-memory: images are 1x2x2, but normalisation 'cifar' expects 3x32x32", e.getMessage());
    }
}
