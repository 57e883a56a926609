package org.asrworkbench;

import org.asrworkbench.cli.AsrCli;

/**
 * Entry point: with a command, runs the command line; with no arguments (or only
 * {@code --open}-style workbench options), opens the JavaFX workbench.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("--open") || args[0].equals("gui")) {
            org.asrworkbench.app.WorkbenchLauncher.launch(args);
            return;
        }
        System.exit(AsrCli.run(args));
    }
}
