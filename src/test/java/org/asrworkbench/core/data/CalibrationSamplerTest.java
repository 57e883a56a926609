package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationSamplerTest {
    private static final InMemoryDataset DATA = InMemoryDataset.pattern(50, 1, 1);

    @Test
    void sameSeedSameDrawDistinctIndicesInRange() {
        int[] a = CalibrationSampler.indices(1000, 100, 0L);
        assertArrayEquals(a, CalibrationSampler.indices(1000, 100, 0L));
        assertFalse(Arrays.equals(a, CalibrationSampler.indices(1000, 100, 1L)));
        assertEquals(100, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 1000));
        assertFalse(Arrays.equals(a, CalibrationSampler.indices(1000, 100, null)), "seeded draw is shuffled");
    }

    @Test
    void theDocumentedAlgorithmReproducesTheDraw() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            for (int size : new int[] {1, 2, 10, 64, 1000, 60000}) {
                int n = Math.min(size, 37);
                assertArrayEquals(documented(size, n, seed), CalibrationSampler.indices(size, n, seed),
                        "seed " + seed + ", size " + size);
            }
        }
    }

    @Test
    void seedNoneTakesTheFirstN() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, CalibrationSampler.indices(10, 4, null));
        assertNull(CalibrationSampler.parseSeed("none"));
        assertEquals(0L, CalibrationSampler.parseSeed("0"));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSampler.parseSeed("zero"));
    }

    @Test
    void selectionSetFollowsTheCalibrationSetWithoutOverlap() {
        CalibrationSampler.CalibrationSplit split = CalibrationSampler.split(DATA, 20, 30, 3L);
        assertEquals(20, split.calibration().length);
        assertEquals(30, split.selection().length);
        assertArrayEquals(CalibrationSampler.indices(DATA, 20, 3L), split.calibration(),
                "the calibration set does not depend on N_sel");
        Set<Integer> seen = new HashSet<>();
        Arrays.stream(split.calibration()).forEach(seen::add);
        Arrays.stream(split.selection()).forEach(i -> assertTrue(seen.add(i), "index " + i + " in both sets"));
        CalibrationSampler.CalibrationSplit none = CalibrationSampler.split(DATA, 3, 2, null);
        assertArrayEquals(new int[] {0, 1, 2}, none.calibration());
        assertArrayEquals(new int[] {3, 4}, none.selection());
    }

    @Test
    void errorsNameTheDatasetFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CalibrationSampler.indices(DATA, 51, 0L));
        assertTrue(e.getMessage().startsWith("in-memory: "), e.getMessage());
        assertTrue(e.getMessage().contains("only 50"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CalibrationSampler.indices(DATA, 0, 0L));
        assertTrue(e.getMessage().contains("in-memory: empty calibration set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CalibrationSampler.split(DATA, 0, 5, 0L));
        assertTrue(e.getMessage().contains("empty calibration set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CalibrationSampler.split(DATA, 30, 21, 0L));
        assertTrue(e.getMessage().contains("need 51 images"), e.getMessage());
    }

    @Test
    void evaluationTakesTheFirstK() {
        assertArrayEquals(new int[] {0, 1, 2}, EvaluationSampler.firstK(DATA, 3));
        assertEquals(50, EvaluationSampler.firstK(DATA, null).length);
        assertThrows(IllegalArgumentException.class, () -> EvaluationSampler.firstK(DATA, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationSampler.firstK(DATA, 51));
        assertTrue(e.getMessage().startsWith("in-memory"), e.getMessage());
    }

    /** The algorithm exactly as CalibrationSampler's Javadoc states it, without java.util.SplittableRandom. */
    private static int[] documented(int size, int n, long seed) {
        int[] a = new int[size];
        Arrays.setAll(a, i -> i);
        long[] state = {seed};
        for (int i = 0; i < n; i++) {
            int bound = size - i;
            int r = nextInt(state);
            int m = bound - 1;
            int pick;
            if ((bound & m) == 0) {
                pick = r & m;
            } else {
                int u = r >>> 1;
                while (u + m - (u % bound) < 0) {
                    u = nextInt(state) >>> 1;
                }
                pick = u % bound;
            }
            int j = i + pick;
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return Arrays.copyOf(a, n);
    }

    private static int nextInt(long[] state) {
        state[0] += 0x9e3779b97f4a7c15L;
        long z = state[0];
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }
}
