package org.asrworkbench.cli;

import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.util.BuildInfo;
import org.asrworkbench.core.stats.MemoryLimitException;
import org.asrworkbench.core.stats.SequentialPass;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(cmd, ex instanceof MemoryLimitException
                ? messageOf(ex) + "; " + memoryAdvice(cmd) : messageOf(ex), ex));
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (OutOfMemoryError e) { // an Error: picocli hands only exceptions to the handler
                CommandLine cmd = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
                return fail(cmd, "out of memory (" + e.getMessage() + "); " + memoryAdvice(cmd), e);
            }
        });
        return cl;
    }

    private static int fail(CommandLine cmd, String message, Throwable ex) {
        cmd.getErr().println("error: " + message);
        if (System.getenv("ASR_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return 2;
    }

    /**
     * What to change when a command ran out of memory: its chunk size and memory budget (with
     * their values) when it has them, and the Java heap.
     */
    static String memoryAdvice(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        OptionSpec chunk = spec.findOption("--chunk-size");
        OptionSpec budget = spec.findOption("--memory-budget");
        StringBuilder b = new StringBuilder();
        if (chunk != null) {
            b.append("lower --chunk-size (now ").append((Object) chunk.getValue()).append("), ");
        }
        if (budget != null) {
            Object mb = budget.getValue();
            b.append("raise --memory-budget (now ").append(mb == null ? "the default, "
                    + (SequentialPass.Config.DEFAULT.memoryBudgetBytes() >> 20) : mb).append(" MiB) so less is"
                    + " spilled to disk, ");
        }
        return b.append(b.length() == 0 ? "" : "or ").append("give Java more memory (-Xmx, now ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB)").toString();
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
