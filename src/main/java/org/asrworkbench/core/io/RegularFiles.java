package org.asrworkbench.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Function;

import org.asrworkbench.core.util.IoMessages;

/**
 * Inputs must be regular files: opening a named pipe blocks until someone writes to it, and a
 * device such as {@code /dev/zero} never ends, so a reader given either would hang. Every input
 * path (a model, a dataset file, a session) is checked here before it is opened. A symbolic link
 * is followed (its target is what counts).
 */
public final class RegularFiles {

    private RegularFiles() {
    }

    /**
     * What is wrong with reading {@code file} as a file, e.g. "not a regular file (a named pipe)", or
     * null when it is a regular file or does not exist (that is the reader's to say, as it says it).
     */
    public static String problem(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
        return a.isRegularFile() ? null : "not a regular file (" + IoMessages.nonRegularKind(file) + ")";
    }

    /**
     * Throws the exception {@code refusal} makes of the {@link #problem} with {@code file}, when it
     * has one: {@code requireRegularFile(f, p -> new ModelFormatException(f, p))}.
     */
    public static <E extends Exception> void requireRegularFile(Path file, Function<String, E> refusal) throws E {
        String p = problem(file);
        if (p != null) {
            throw refusal.apply(p);
        }
    }
}
