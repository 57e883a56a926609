package org.asrworkbench.core.train;

import java.util.SplittableRandom;

/**
 * Random crop with zero padding and random horizontal flip, applied to CHW images with pixels
 * in [0, 1] (before normalisation, so the padding is black as in torchvision's
 * {@code RandomCrop(size, padding)}).
 */
final class Augmentation {
    private final int channels;
    private final int height;
    private final int width;
    private final int padding;
    private final boolean flip;
    private final float[] scratch;

    Augmentation(int channels, int height, int width, int padding, boolean flip) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.flip = flip;
        this.scratch = new float[channels * height * width];
    }

    /** Augments the first {@code n} images of {@code pixels} in place. */
    void apply(float[] pixels, int n, SplittableRandom rng) {
        int size = scratch.length;
        for (int i = 0; i < n; i++) {
            int dy = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            int dx = padding == 0 ? 0 : rng.nextInt(2 * padding + 1) - padding;
            boolean mirror = flip && rng.nextBoolean();
            if (dy == 0 && dx == 0 && !mirror) {
                continue;
            }
            int off = i * size;
            System.arraycopy(pixels, off, scratch, 0, size);
            for (int c = 0; c < channels; c++) {
                int plane = c * height * width;
                for (int y = 0; y < height; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < width; x++) {
                        int sx = (mirror ? width - 1 - x : x) + dx;
                        boolean inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                        pixels[off + plane + y * width + x] = inside ? scratch[plane + sy * width + sx] : 0f;
                    }
                }
            }
        }
    }
}
