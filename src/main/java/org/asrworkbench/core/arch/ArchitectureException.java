package org.asrworkbench.core.arch;

/**
 * A checkpoint that does not match an architecture: unknown layout, missing or unexpected
 * keys, or shapes that differ. The message names the first offending key and both shapes.
 */
public class ArchitectureException extends Exception {
    private final String key;

    public ArchitectureException(String message) {
        this(null, message);
    }

    /** @param key the first offending {@code state_dict} key, or null when none applies */
    public ArchitectureException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The first offending {@code state_dict} key, or null. */
    public String key() {
        return key;
    }
}
