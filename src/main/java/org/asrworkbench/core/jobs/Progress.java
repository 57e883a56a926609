package org.asrworkbench.core.jobs;

/**
 * Progress reporting and cooperative cancellation for long core operations. The core calls
 * {@link #update} between batches and {@link #checkCancelled()} at every point where it can
 * stop cleanly (at least once per batch).
 */
public interface Progress {

    /** A progress sink that reports nothing and is never cancelled. */
    Progress NONE = new Progress() {
        @Override
        public void update(double fraction, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    /** @param fraction in [0, 1] */
    void update(double fraction, String message);

    boolean isCancelled();

    /** Throws {@link CancelledException} when cancellation was requested. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    /** A view of this progress that maps [0, 1] onto [from, to] of the parent. */
    default Progress slice(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override
            public void update(double fraction, String message) {
                parent.update(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
            }

            @Override
            public boolean isCancelled() {
                return parent.isCancelled();
            }
        };
    }
}
