package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset that forwards every call to another one, its {@link #inner()}; a subclass overrides
 * only what it changes (e.g. {@link PaddedDataset} the image size and {@link #read}). Closing it
 * closes the inner dataset.
 */
public abstract class ForwardingDataset implements ImageDataset {
    private final ImageDataset inner;

    protected ForwardingDataset(ImageDataset inner) {
        this.inner = inner;
    }

    /** The dataset the calls go to. */
    public ImageDataset inner() {
        return inner;
    }

    @Override
    public Path source() {
        return inner.source();
    }

    @Override
    public String format() {
        return inner.format();
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public int channels() {
        return inner.channels();
    }

    @Override
    public int height() {
        return inner.height();
    }

    @Override
    public int width() {
        return inner.width();
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }

    @Override
    public int label(int index) throws IOException {
        return inner.label(index);
    }

    @Override
    public int[] read(int[] indices, float[] out) throws IOException {
        return inner.read(indices, out);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
