package org.asrworkbench.app.service;

import java.util.function.Consumer;

/**
 * Runs what the user asked for (a menu item, a button, a dropped file) on the UI thread: any
 * failure, checked or unchecked, an I/O error wrapped in an unchecked exception and an error
 * included, is reported in words (a dialog in the window) instead of escaping into the FX
 * thread, where it was printed and otherwise lost. An action that fails must leave the state as
 * it was: it checks and computes before it changes anything (a job's result is committed only
 * when it succeeded, files are written atomically).
 */
public final class UserAction {
    private UserAction() {
    }

    /** An action that may throw anything. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code action}; a failure goes to {@code report} as its message (naming the file). True when it succeeded. */
    public static boolean run(Body action, Consumer<String> report) {
        try {
            action.run();
            return true;
        } catch (Exception | Error e) {
            report.accept(ComputeService.describe(e));
            return false;
        }
    }
}
