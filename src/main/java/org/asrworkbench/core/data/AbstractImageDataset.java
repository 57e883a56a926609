package org.asrworkbench.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What every dataset format knows once it is open: where it was read from, its format name, the
 * image shape and the class names, held here so that a format implements only {@link #size()},
 * {@link #label} and {@link #read}.
 */
abstract class AbstractImageDataset implements ImageDataset {
    private final Path source;
    private final String format;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    AbstractImageDataset(Path source, String format, int channels, int height, int width, List<String> classNames) {
        this.source = source;
        this.format = format;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = classNames;
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** Throws {@link IndexOutOfBoundsException}, naming the source, unless {@code 0 <= index < size()}. */
    void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("image " + index + " of " + size() + " in " + source);
        }
    }
}
