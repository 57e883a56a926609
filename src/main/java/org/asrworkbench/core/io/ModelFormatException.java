package org.asrworkbench.core.io;

import java.nio.file.Path;

/** A model file that cannot be read; the message names the file and the problem. */
public class ModelFormatException extends Exception {
    private final Path file;

    public ModelFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
