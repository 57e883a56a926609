package org.asrworkbench.app.service;

import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small files through {@link AtomicFiles}, creating the folder first; errors name the file. */
public final class AtomicText {
    private AtomicText() {
    }

    /** Writes {@code bytes} to {@code file} atomically (where the file system supports it). */
    public static void write(Path file, byte[] bytes) throws IOException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, out -> out.write(bytes));
        } catch (IOException e) {
            throw new IOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} as UTF-8. */
    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
