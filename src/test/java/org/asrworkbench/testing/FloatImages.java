package org.asrworkbench.testing;

import org.asrworkbench.core.data.ImageDataset;

import java.nio.file.Path;
import java.util.List;

/** Images given as float CHW values (any range; read without normalisation), for hand-checked tests. */
public record FloatImages(int channels, int height, int width, float[][] images) implements ImageDataset {

    @Override
    public Path source() {
        return Path.of("float-images");
    }

    @Override
    public String format() {
        return "memory";
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public List<String> classNames() {
        return List.of("0", "1");
    }

    @Override
    public int label(int index) {
        return index % 2;
    }

    @Override
    public int[] read(int[] indices, float[] out) {
        int plane = channels * height * width;
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images[indices[i]], 0, out, i * plane, plane);
        }
        return new int[indices.length];
    }

    @Override
    public void close() {
    }

    /** {@code n} images of seeded Gaussian values. */
    public static FloatImages random(int n, int c, int h, int w, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] im = new float[n][c * h * w];
        for (float[] a : im) {
            for (int k = 0; k < a.length; k++) {
                a[k] = (float) r.nextGaussian();
            }
        }
        return new FloatImages(c, h, w, im);
    }
}
