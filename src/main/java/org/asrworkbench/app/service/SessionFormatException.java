package org.asrworkbench.app.service;

import java.io.IOException;
import java.nio.file.Path;

/** A session file that cannot be read; the message names the file and the problem. */
public final class SessionFormatException extends IOException {
    private final Path file;

    public SessionFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
