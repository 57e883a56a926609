package org.asrworkbench.core.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Chooses the calibration images (docs/repair-methods.md): {@code N} images drawn with a fixed
 * seed from the training split, or with seed {@code none} the first {@code N} in file order. For
 * {@code auto}, {@code N + N_sel} images are drawn with the same seed: the first {@code N} feed
 * the sequential pass, the next {@code N_sel} form the selection set (never overlapping).
 *
 * <p><b>The draw, exactly</b> (so that another implementation can reproduce it): the first
 * {@code n} entries of a forward Fisher–Yates shuffle of {@code 0..size-1}:
 * <pre>
 *   a = [0, 1, ..., size - 1]
 *   r = new java.util.SplittableRandom(seed)
 *   for i in 0 .. n-1:
 *       j = i + r.nextInt(size - i)      // uniform in [i, size)
 *       swap a[i], a[j]
 *   return a[0 .. n-1]
 * </pre>
 * Because step {@code i} never depends on {@code n}, the draw of {@code n} images is a prefix of
 * the draw of {@code n + nSel} images with the same seed.
 *
 * <p>{@code SplittableRandom(seed)} as in OpenJDK 17: a 64-bit state {@code s = seed} and
 * {@code gamma = 0x9e3779b97f4a7c15}; each {@code nextInt()} sets {@code s += gamma} and returns
 * {@code mix32(s)}, where {@code z = (s ^ (s >>> 33)) * 0x62a9d9ed799705f5L} and
 * {@code mix32 = (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32)} (64-bit wrapping
 * arithmetic). {@code nextInt(bound)}: {@code r = nextInt()}, {@code m = bound - 1}; if
 * {@code bound} is a power of two the result is {@code r & m}; otherwise {@code u = r >>> 1},
 * and while {@code u + m - (u % bound)} overflows a signed 32-bit int (is negative),
 * {@code u = nextInt() >>> 1}; the result is {@code u % bound}.
 */
public final class CalibrationSampler {
    private CalibrationSampler() {
    }

    /** The calibration set and the selection set drawn after it. */
    public record CalibrationSplit(int[] calibration, int[] selection) {
    }

    /**
     * The first {@code n} of the seeded permutation of {@code 0..datasetSize-1} (see the class
     * comment), or {@code 0..n-1} when {@code seed} is null (seed {@code none}).
     *
     * @throws IllegalArgumentException when {@code n <= 0} or {@code n > datasetSize}
     */
    public static int[] indices(int datasetSize, int n, Long seed) {
        return draw("a dataset of " + datasetSize + " images", datasetSize, n, seed);
    }

    /** As {@link #indices(int, int, Long)} for {@code dataset}; errors name its file. */
    public static int[] indices(ImageDataset dataset, int n, Long seed) {
        return draw(dataset.source().toString(), dataset.size(), n, seed);
    }

    /**
     * Draws {@code n + nSel} images; the first {@code n} are the calibration set, the next
     * {@code nSel} (may be 0) the selection set.
     */
    public static CalibrationSplit split(ImageDataset dataset, int n, int nSel, Long seed) {
        String name = dataset.source().toString();
        requireNonEmpty(name, n);
        if (nSel < 0) {
            throw new IllegalArgumentException(name + ": negative selection set size " + nSel);
        }
        if ((long) n + nSel > dataset.size()) {
            throw new IllegalArgumentException(name + ": a calibration set of " + n + " images and a selection set of "
                    + nSel + " need " + ((long) n + nSel) + " images, but the dataset has only " + dataset.size());
        }
        int[] all = draw(name, dataset.size(), n + nSel, seed);
        return new CalibrationSplit(Arrays.copyOf(all, n), Arrays.copyOfRange(all, n, n + nSel));
    }

    /** Parses a seed option: {@code none} (any case) is null, anything else a long. */
    public static Long parseSeed(String text) {
        if (text.trim().toLowerCase(Locale.ROOT).equals("none")) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer or 'none', not '" + text + "'");
        }
    }

    private static void requireNonEmpty(String dataset, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(dataset + ": empty calibration set (N = " + n + ")");
        }
    }

    private static int[] draw(String dataset, int size, int n, Long seed) {
        requireNonEmpty(dataset, n);
        if (n > size) {
            throw new IllegalArgumentException(dataset + ": a calibration set of " + n
                    + " images was asked for, but the dataset has only " + size);
        }
        int[] a = new int[size];
        Arrays.setAll(a, i -> i);
        if (seed != null) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < n; i++) {
                int j = i + r.nextInt(size - i);
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }
        return Arrays.copyOf(a, n);
    }
}
