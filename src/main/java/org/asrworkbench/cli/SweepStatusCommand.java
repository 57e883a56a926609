package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sweep status DIR...}: done, failed (with errors) and missing cells of a sweep's results. */
@Command(name = "status", description = "Counts the done, failed and missing cells of the sweep in DIR (several"
        + " DIRs: one sweep whose shards wrote to separate directories); lists the failed cells with their errors.")
final class SweepStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "results directories of one sweep")
    List<Path> dirs;

    @Override
    public Integer call() throws Exception {
        SweepGrid grid = SweepMergeCommand.commonGrid(dirs);
        SweepStore.Status s = SweepStore.collect(grid, dirs).status();
        var err = spec.commandLine().getErr();
        err.printf("%d cells: %d done, %d failed, %d missing%n", s.cells(), s.done(), s.failed(), s.missing());
        s.failures().forEach(f -> err.printf("  failed %s (cell %d): %s%n", f.id(), f.index(), f.error()));
        Map<String, Object> r = SweepMergeCommand.counts(s);
        r.put("complete", s.complete());
        r.put("failures", s.failures().stream().map(f -> Map.of("id", f.id(), "index", f.index(), "cell", f.cell(),
                "error", f.error())).toList());
        JsonOut.print(spec.commandLine().getOut(), r);
        return 0;
    }
}
