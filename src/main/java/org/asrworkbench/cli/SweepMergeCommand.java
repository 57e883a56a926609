package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepOutputs;
import org.asrworkbench.core.experiments.SweepStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sweep merge DIR...}: the tables of a sharded sweep, from the cell files of one or more
 * results directories, in grid order: the same files an unsharded run writes.
 */
@Command(name = "merge", description = "Writes results.csv, results.json, summary.csv and top1-<kind>.png from the"
        + " cell files in DIR... (shards of one sweep), in grid order, to --out-dir (default: the first DIR).")
final class SweepMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "results directories of one sweep")
    List<Path> dirs;
    @Option(names = "--out-dir", paramLabel = "DIR", description = "where the tables go (default: the first DIR)")
    Path outDir;
    @Option(names = "--allow-missing", description = "write the tables even when cells are missing or failed")
    boolean allowMissing;

    @Override
    public Integer call() throws Exception {
        SweepGrid grid = commonGrid(dirs);
        SweepStore.Collected c = SweepStore.collect(grid, dirs);
        SweepStore.Status s = c.status();
        Path out = outDir != null ? outDir : dirs.get(0);
        if (!s.complete() && !allowMissing) {
            throw new IOException("sweep in " + dirs.get(0) + " is incomplete: " + s.done() + " of " + s.cells()
                    + " cells done, " + s.failed() + " failed, " + s.missing() + " missing (sweep status tells which;"
                    + " --allow-missing merges what is done)");
        }
        SweepOutputs.writeAll(out, grid, c.rows());
        Map<String, Object> r = counts(s);
        r.put("outDir", out.toString());
        r.put("summary", SweepOutputs.summarise(c.rows()));
        JsonOut.print(spec.commandLine().getOut(), r);
        return 0;
    }

    /** The grid of the first directory, checked to be the grid of every other one. */
    static SweepGrid commonGrid(List<Path> dirs) throws IOException {
        SweepGrid grid = SweepStore.readGrid(dirs.get(0));
        for (Path d : dirs.subList(1, dirs.size())) {
            if (!SweepStore.readGrid(d).sameCellsAs(grid)) {
                throw new IOException(d + " holds a different grid than " + dirs.get(0));
            }
        }
        return grid;
    }

    /** The cell counts of {@code s} as the first JSON fields of {@code sweep merge} and {@code sweep status}. */
    static Map<String, Object> counts(SweepStore.Status s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cells", s.cells());
        r.put("done", s.done());
        r.put("failed", s.failed());
        r.put("missing", s.missing());
        return r;
    }
}
