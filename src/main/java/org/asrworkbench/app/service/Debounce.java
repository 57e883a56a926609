package org.asrworkbench.app.service;

/**
 * Runs an action once things have been quiet for a while: every {@link #schedule} replaces the
 * pending action and restarts the wait. The app's runs the action on the FX thread
 * ({@link #fx(double)}); tests use one they fire themselves.
 */
public interface Debounce {
    /** Replaces any pending action by {@code action}, due after the quiet time. */
    void schedule(Runnable action);

    /** Drops the pending action, if any. */
    void cancel();

    /** A debounce on the FX thread (a pause transition); create and use it on the FX thread. */
    static Debounce fx(double millis) {
        javafx.animation.PauseTransition pause = new javafx.animation.PauseTransition(javafx.util.Duration.millis(millis));
        return new Debounce() {
            @Override
            public void schedule(Runnable action) {
                pause.setOnFinished(e -> action.run());
                pause.playFromStart();
            }

            @Override
            public void cancel() {
                pause.stop();
            }
        };
    }
}
