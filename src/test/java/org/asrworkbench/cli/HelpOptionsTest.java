package org.asrworkbench.cli;

import org.asrworkbench.core.util.BuildInfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command and subcommand, found by walking the command tree (so a new one is covered
 * without editing this test), answers {@code -h}/{@code --help} with its usage and
 * {@code -V}/{@code --version} with the build's version, exit code 0, even when it has
 * required options or parameters.
 */
class HelpOptionsTest {
    @Test
    void everyCommandTakesHelpAndVersion() {
        List<List<String>> paths = new ArrayList<>();
        collect(AsrCli.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 14, "commands found: " + paths);
        for (List<String> path : paths) {
            for (String flag : new String[] {"-h", "--help"}) {
                CommandLineTest.Run r = CommandLineTest.run(with(path, flag));
                assertEquals(0, r.code(), String.join(" ", with(path, flag)) + ": " + r.err());
                assertTrue(r.out().contains("Usage:"), String.join(" ", with(path, flag)) + " printed " + r.out());
            }
            if (path.equals(List.of("help"))) {
                continue; // picocli's own help command reads "help -V" as "help for the root command"
            }
            for (String flag : new String[] {"-V", "--version"}) {
                CommandLineTest.Run r = CommandLineTest.run(with(path, flag));
                assertEquals(0, r.code(), String.join(" ", with(path, flag)) + ": " + r.err());
                assertTrue(r.out().contains("ASR Workbench " + BuildInfo.version()), String.join(" ", with(path, flag))
                        + " printed " + r.out());
            }
            assertFalse(CommandLineTest.run(with(path, "--help")).err().contains("WARN"), "help of " + path
                    + " is printed as written (a stray % in a description breaks it)");
        }
        assertFalse(BuildInfo.version().equals("unknown"), "build.properties is filtered by Maven");
    }

    private static String[] with(List<String> path, String flag) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        return args.toArray(String[]::new);
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().aliases().length > 0 && !e.getKey().equals(e.getValue().getCommandName())) {
                continue; // an alias of a command already walked
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            collect(e.getValue(), sub, out);
        }
    }
}
