package org.asrworkbench.cli;

import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.Sweep;
import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepOutputs;
import org.asrworkbench.core.experiments.SweepRow;
import org.asrworkbench.core.experiments.SweepShard;
import org.asrworkbench.core.experiments.SweepStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sweep}: models × pruning kinds × sparsities × methods × lambdas × calibration sizes ×
 * seeds. Each finished cell goes to {@code <out-dir>/cells/<id>.json} at once, so a re-run
 * resumes; {@code --shard K/N} (or a Slurm array task's environment) runs a share of the cells.
 * An unsharded run also writes the tables (CSV, JSON, summary, plots); shards are merged with
 * {@code sweep merge}.
 */
@Command(name = "sweep", description = "Sweep pruning kinds, sparsities, methods, lambdas, calibration sizes and seeds"
        + " (--grid FILE or the options); resumable (cells/<id>.json in --out-dir) and shardable (--shard K/N, or"
        + " SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT). Unsharded, it writes results.csv, results.json,"
        + " summary.csv and top1-<kind>.png to --out-dir.",
        subcommands = {SweepMergeCommand.class, SweepStatusCommand.class, SweepSubmitCommand.class,
            SweepTableCommand.class})
final class SweepCommand extends PruningCommand {
    @Mixin
    SweepOptions sweep;
    @Option(names = "--shard", paramLabel = "K/N", description = "run only shard K of N (cells ranked by id, dealt"
            + " round-robin) (default: the Slurm array task's shard, else every cell)")
    String shard;

    @Override
    public Integer call() throws Exception {
        SweepGrid grid = sweep.grid(spec, common, repair);
        SweepShard sh = shard != null ? SweepShard.parse(shard) : SweepShard.fromEnvironment(System.getenv());
        SweepStore store = SweepStore.open(sweep.outDir, grid);
        var err = spec.commandLine().getErr();
        boolean tables = sh.count() == 1;
        err.printf("sweep: %d cells, shard %s, results in %s%s%n", grid.cellCount(), sh, sweep.outDir,
                tables ? " (tables written at the end)" : "");
        Sweep.Outcome outcome = Sweep.run(grid, sh, store,
                new Sweep.Settings(CliSupport.passConfig(repair), Engines.device(common.device), common.batchSize),
                CliSupport.terminalProgress(err, "sweep"), (cell, rec) -> {
                    SweepRow row = rec.row();
                    if (row == null) {
                        err.printf("  %-16s FAILED %s: %s%n", cell.id(), cell.describe(), rec.error());
                    } else {
                        err.printf("  %-16s %s %.2f %-22s N %d seed %-4s top-1 %.4f (pruned %.4f, dense %.4f)%n",
                                cell.id(), row.prune(), row.sparsity(), row.series(), row.calibN(), row.calibSeed(),
                                row.top1(), row.top1Pruned(), row.top1Dense());
                    }
                    err.flush();
                });
        SweepStore.Collected all = SweepStore.collect(grid, List.of(sweep.outDir));
        if (tables) {
            writeTables(store, grid, all);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cells", grid.cellCount());
        r.put("shard", sh.toString());
        r.put("shardCells", outcome.shardCells());
        r.put("skipped", outcome.skipped());
        r.put("ran", outcome.ran());
        r.put("failedNow", outcome.failed());
        r.put("done", all.status().done());
        r.put("failed", all.status().failed());
        r.put("missing", all.status().missing());
        r.put("outDir", sweep.outDir.toString());
        if (tables) {
            r.put("summary", SweepOutputs.summarise(all.rows()));
        }
        JsonOut.print(spec.commandLine().getOut(), r);
        return outcome.failed() > 0 ? 1 : 0;
    }

    /**
     * The tables, once at the end (rewriting them after every cell read every cell file each time).
     * Their failure leaves the cells as they are: they are recorded, and {@code sweep merge} writes
     * the tables again.
     */
    private static void writeTables(SweepStore store, SweepGrid grid, SweepStore.Collected all) throws IOException {
        try {
            SweepOutputs.writeAll(store.dir(), grid, all.rows());
        } catch (IOException e) {
            throw new IOException("the sweep's tables were not written: " + e.getMessage() + " (the " + all.status().done()
                    + " done cells are kept in " + store.dir().resolve(SweepStore.CELLS_DIR) + "; `sweep merge "
                    + store.dir() + "` writes the tables again)", e);
        }
    }
}
