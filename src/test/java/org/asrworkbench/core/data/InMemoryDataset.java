package org.asrworkbench.core.data;

import java.nio.file.Path;
import java.util.List;

/** A tiny dataset of 8-bit pixels held in arrays, for tests. */
final class InMemoryDataset extends AbstractImageDataset {
    private final byte[][] images;
    private final int[] labels;

    InMemoryDataset(int channels, int height, int width, byte[][] images, int[] labels, List<String> classes) {
        super(Path.of("in-memory"), "memory", channels, height, width, classes);
        this.images = images;
        this.labels = labels;
    }

    /** {@code count} one-channel images whose pixel k of image i is {@code (i * 31 + k * 7) % 256}, label i % 10. */
    static InMemoryDataset pattern(int count, int height, int width) {
        byte[][] images = new byte[count][height * width];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < height * width; k++) {
                images[i][k] = (byte) ((i * 31 + k * 7) % 256);
            }
            labels[i] = i % 10;
        }
        return new InMemoryDataset(1, height, width, images, labels, Datasets.numericClassNames(10));
    }

    byte[] image(int i) {
        return images[i];
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] read(int[] indices, float[] out) {
        int plane = channels() * height() * width();
        int[] result = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            for (int k = 0; k < plane; k++) {
                out[i * plane + k] = (images[indices[i]][k] & 0xff) / 255f;
            }
            result[i] = labels[indices[i]];
        }
        return result;
    }
}
