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
            try {
                org.asrworkbench.app.WorkbenchLauncher.launch(workbench);
            } catch (RuntimeException | LinkageError e) {
                String problem = desktopProblem(e);
                if (problem == null) {
                    throw e;
                }
                System.err.println("error: " + problem);
                System.exit(1);
            }
            return;
        }
        System.exit(AsrCli.run(args));
    }

    /**
     * What the desktop lacks, in one line, when the window cannot start for a reason the user
     * can fix (GTK 3 missing, no display); null for any other failure.
     */
    static String desktopProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.contains("Unable to load glass GTK library")) {
                return "the workbench window needs GTK 3, which is not installed (Debian/Ubuntu: sudo apt-get install"
                        + " libgtk-3-0); the command line works without it (java -jar target/asr-workbench.jar --help)";
            }
            if (m.contains("Unable to open DISPLAY")) {
                return "the workbench window needs a display, and DISPLAY is not set or cannot be opened (run it on a"
                        + " desktop, or under xvfb-run); the command line works without one (java -jar"
                        + " target/asr-workbench.jar --help)";
            }
        }
        return null;
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
