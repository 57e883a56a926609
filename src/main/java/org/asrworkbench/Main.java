package org.asrworkbench;

import org.asrworkbench.cli.AsrCli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Entry point: with a command, runs the command line; with no arguments (or only
 * {@code --open}-style workbench options), opens the JavaFX workbench. A single argument that
 * names an existing model or session file (how the desktop's file associations call the
 * installed launcher) opens that file in the workbench.
 */
public final class Main {
    /** Suffixes of the files the installers associate with the workbench (see jpackage/). */
    private static final List<String> OPENABLE = List.of(".safetensors", ".pth", ".pt", ".th", ".onnx", ".json");

    private Main() {
    }

    public static void main(String[] args) {
        String[] workbench = workbenchArguments(args);
        if (workbench != null) {
            org.asrworkbench.app.WorkbenchLauncher.launch(workbench);
            return;
        }
        System.exit(AsrCli.run(args));
    }

    /** The workbench's arguments for these command-line arguments, or null to run the command line. */
    static String[] workbenchArguments(String[] args) {
        if (args.length == 0 || args[0].startsWith("--open") || args[0].equals("gui")) {
            return args;
        }
        if (args.length == 1 && openable(args[0])) {
            return new String[] {"--open", args[0]};
        }
        return null;
    }

    private static boolean openable(String arg) {
        String name = arg.toLowerCase(Locale.ROOT);
        return OPENABLE.stream().anyMatch(name::endsWith) && Files.isRegularFile(Path.of(arg));
    }
}
