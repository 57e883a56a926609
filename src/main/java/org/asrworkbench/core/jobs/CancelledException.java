package org.asrworkbench.core.jobs;

/** Thrown out of a core operation when its {@link Progress} was cancelled. */
public class CancelledException extends java.util.concurrent.CancellationException {
    public CancelledException() {
        super("cancelled");
    }
}
