package org.asrworkbench.app.service;

import org.asrworkbench.core.jobs.Progress;

/**
 * A unit of background work: computes a value into locals, never touching the UI state.
 *
 * @param <T> the result committed on the UI thread when the job succeeds
 */
@FunctionalInterface
public interface Job<T> {
    T run(Progress progress) throws Exception;
}
