package org.asrworkbench.core.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AugmentationTest {

    @Test
    void withoutPaddingOrFlipImagesAreUnchanged() {
        float[] px = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        new Augmentation(1, 3, 3, 0, false).apply(px, 1, new SplittableRandom(1));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, px);
    }

    @Test
    void flipsMirrorRowsAndCropsShiftInZeros() {
        int flipped = 0;
        int shifted = 0;
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            float[] flipOnly = {1, 2, 3, 4, 5, 6};
            new Augmentation(1, 2, 3, 0, true).apply(flipOnly, 1, rng);
            if (flipOnly[0] == 3) {
                assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, flipOnly);
                flipped++;
            } else {
                assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flipOnly);
            }
            float[] cropped = {1, 1, 1, 1, 1, 1, 1, 1, 1};
            new Augmentation(1, 3, 3, 1, false).apply(cropped, 1, rng);
            double sum = 0;
            for (float v : cropped) {
                assertEquals(true, v == 0f || v == 1f);
                sum += v;
            }
            if (sum < 9) {
                shifted++;
            }
        }
        assertEquals(true, flipped > 10 && flipped < 40, "flips " + flipped);
        assertEquals(true, shifted > 25, "shifts " + shifted);
    }
}
