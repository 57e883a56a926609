package org.asrworkbench.core.stats;

/** A statistics JSON document that cannot be read; the message names its source and the problem. */
public final class StatsFormatException extends RuntimeException {
    public StatsFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public StatsFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
