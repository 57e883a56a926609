package org.asrworkbench.cli;

import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.util.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code asr-workbench} command line: every command prints its JSON result as the last stdout
 * line. Every command and subcommand takes {@code -h/--help} and {@code -V/--version} (the
 * standard help options are inherited).
 */
@Command(name = "asr-workbench", mixinStandardHelpOptions = true, versionProvider = AsrCli.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Post-pruning repair of convolutional networks (Adaptive Signal Resuscitation).",
        subcommands = {InfoCommand.class, EvalCommand.class, PruneCommand.class, RepairCommand.class, SelectCommand.class, SweepCommand.class, BenchCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class AsrCli {

    /** Runs the command line and returns its exit code. Errors go to stderr with a non-zero code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (exception handler included), for callers that redirect its output. */
    public static CommandLine commandLine() {
        Engines.configureOffline();
        System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new AsrCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + messageOf(ex));
            if (System.getenv("ASR_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    /** {@code --version}: the workbench's version and the engine it was built with (from {@link BuildInfo}). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ASR Workbench " + BuildInfo.version(), BuildInfo.engine()};
        }
    }

    static String messageOf(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
