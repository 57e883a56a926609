package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.SummaryTable;
import org.asrworkbench.core.experiments.SweepOutputs;
import org.asrworkbench.core.experiments.SweepRow;
import org.asrworkbench.core.experiments.SweepStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sweep table DIR...}: the summaries of one or more sweeps (each DIR its own sweep, or
 * a merged one) as one markdown table, the form the docs' tables are pasted in.
 */
@Command(name = "table", description = "Prints the summaries of the sweeps in DIR... as one markdown table: a line"
        + " per model, pruning kind and sparsity, with the dense top-1 and a column per series (top-1 in %%, mean over"
        + " seeds). Reads the done cells, so a running sweep gives the table so far.")
final class SweepTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "sweep results directories")
    List<Path> dirs;
    @Option(names = "--series", split = ";", paramLabel = "SERIES", description = "the columns, in order, separated"
            + " by ';', e.g. \"none;channel-wise;asr (lambda 0.25)\" (default: every series, in the order first seen)")
    List<String> series = List.of();
    @Option(names = "--std", description = "write mean ± sample std over the seeds")
    boolean std;
    @Option(names = "--digits", paramLabel = "D", description = "decimals of the percentages (default: ${DEFAULT-VALUE})")
    int digits = 1;
    @Option(names = "--bold-best", description = "set the best repaired value of each line (ties included) in bold")
    boolean boldBest;

    @Override
    public Integer call() throws Exception {
        List<SweepRow> rows = new ArrayList<>();
        for (Path d : dirs) {
            rows.addAll(SweepStore.readRows(d));
        }
        spec.commandLine().getOut().print(SummaryTable.markdown(SweepOutputs.summarise(rows),
                new SummaryTable.Format(series, std, digits, boldBest)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
