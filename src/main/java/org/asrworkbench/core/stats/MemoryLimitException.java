package org.asrworkbench.core.stats;

/**
 * A chunk of a pass that the JVM's memory limits cannot hold, refused before it was allocated.
 * The message says what needs how much of which limit; the command line adds the chunk size and
 * the memory budget to change.
 */
public final class MemoryLimitException extends RuntimeException {
    public MemoryLimitException(String message) {
        super(message);
    }
}
