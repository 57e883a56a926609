package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that cannot be read or does not fit; the message names the file and the problem. */
public class DatasetFormatException extends IOException {
    private final Path file;

    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
