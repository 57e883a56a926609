package org.asrworkbench.core.train;

import org.asrworkbench.core.data.ImageDataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A tiny one-channel two-class problem: class 0 has a bright upper half, class 1 a bright lower
 * half, both with seeded noise (horizontal flips and small shifts keep the class).
 */
final class SyntheticImages implements ImageDataset {
    private final int side;
    private final float[][] images;
    private final int[] labels;

    SyntheticImages(int count, int side, long seed) {
        this.side = side;
        Random rng = new Random(seed);
        images = new float[count][side * side];
        labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            for (int y = 0; y < side; y++) {
                boolean bright = (y < side / 2) == (labels[i] == 0);
                for (int x = 0; x < side; x++) {
                    float v = (bright ? 0.7f : 0.2f) + (float) rng.nextGaussian() * 0.15f;
                    images[i][y * side + x] = Math.max(0f, Math.min(1f, v));
                }
            }
        }
    }

    @Override
    public Path source() {
        return Path.of("synthetic");
    }

    @Override
    public String format() {
        return "synthetic";
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int height() {
        return side;
    }

    @Override
    public int width() {
        return side;
    }

    @Override
    public List<String> classNames() {
        return List.of("top", "bottom");
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] read(int[] indices, float[] out) {
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images[indices[i]], 0, out, i * side * side, side * side);
            l[i] = labels[indices[i]];
        }
        return l;
    }
}
