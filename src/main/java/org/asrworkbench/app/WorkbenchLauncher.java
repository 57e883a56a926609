package org.asrworkbench.app;

import javafx.application.Application;

/**
 * Starts the JavaFX workbench. A separate launcher class (not extending Application) lets the
 * app run from a plain class path without JavaFX modules on the module path.
 */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
