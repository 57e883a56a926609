package org.asrworkbench.core.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The reason of an I/O failure in words, for messages that name the file and the problem: the
 * JDK's {@link NoSuchFileException} and {@link AccessDeniedException} carry only the path, so
 * "cannot read: " + their message says neither why nor, once wrapped, which file.
 */
public final class IoMessages {
    private IoMessages() {
    }

    /** Why {@code e} happened, without its path: "no such file or directory", "permission denied", the OS's reason. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a directory that is not empty is in the way";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * What {@code path} is when it is not a regular file: "a directory", "a character device",
     * "a named pipe", "a block device", "a socket", "missing"; null for a regular file (links followed).
     */
    public static String nonRegularKind(Path path) {
        if (Files.isRegularFile(path)) {
            return null;
        }
        if (Files.isDirectory(path)) {
            return "a directory";
        }
        if (!Files.exists(path)) {
            return Files.isSymbolicLink(path) ? "a dangling symbolic link" : "missing";
        }
        try {
            int type = ((Integer) Files.getAttribute(path, "unix:mode")) & 0170000;
            switch (type) {
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0010000: return "a named pipe";
                case 0140000: return "a socket";
                default: return "a device, pipe or socket";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a device, pipe or socket"; // no unix view on this platform: say what can be said
        }
    }
}
