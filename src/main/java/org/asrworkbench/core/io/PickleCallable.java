package org.asrworkbench.core.io;

/**
 * A Python callable that an {@link AllowList} lets a pickle invoke with {@code REDUCE}. It builds
 * plain Java values only; it never loads classes or runs code named by the pickle.
 */
@FunctionalInterface
interface PickleCallable {
    /** Builds the value for the argument tuple; throws {@code PickleException} for bad arguments. */
    Object call(Object[] args);
}
