package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.exec.NativeMemory;
import org.asrworkbench.core.jobs.CancelledException;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a shard of a {@link SweepGrid} into a {@link SweepStore}: the cells of the shard that are
 * not done yet, model by model. Each model is loaded and its dense network evaluated once; each
 * (kind, sparsity) is pruned once and its unrepaired top-1 measured once; every repair setting,
 * calibration size and seed gets its own exact sequential pass and evaluation. D's side of the
 * passes is computed once per model and calibration set ({@link DenseCache}, one per calibration
 * size and seed of the model, sharing the memory budget), so every further pass of the model on
 * the same images runs P alone; the statistics are bit for bit those of a full pass. Each finished cell
 * is written to the store at once; a cell that fails is recorded with its error and the sweep goes
 * on (a model that cannot be opened fails all its cells). Cancellation stops at the next cell.
 */
public final class Sweep {
    private Sweep() {
    }

    /** Per-run settings that do not change results: pass chunking and memory, device, batch size. */
    public record Settings(SequentialPass.Config pass, Device device, int batchSize) {
    }

    /** Called as each cell is recorded. */
    @FunctionalInterface
    public interface Listener {
        void finished(SweepCell cell, SweepStore.CellRecord record) throws IOException;
    }

    /** What one run did: cells of the shard, skipped (already done), run now, and failed now. */
    public record Outcome(int shardCells, int skipped, int ran, int failed) {
    }

    /**
     * Runs the shard's cells that are not done. The cells are made one at a time from the grid
     * ({@link SweepGrid#cells()} holds none): a model's cells and a (kind, sparsity) group's are
     * contiguous in grid order, so only their positions are kept.
     *
     * @throws IOException when the store cannot record a cell, or the listener fails; a cell already
     *                     recorded stays recorded (a listener's failure never turns a done cell into a failed one)
     */
    public static Outcome run(SweepGrid grid, SweepShard shard, SweepStore store, Settings settings,
                              Progress progress, Listener listener) throws IOException {
        List<SweepCell> owned = shard.select(grid.cells());
        store.removeStaleTemps();
        BitSet done = new BitSet(owned.size());
        for (int i = 0; i < owned.size(); i++) {
            if (store.isDone(owned.get(i))) {
                done.set(i);
            }
        }
        int skipped = done.cardinality();
        int total = owned.size() - skipped;
        int[] counts = new int[2];
        Recorder rec = new Recorder(store, shard, listener, counts);
        try {
            for (int from = 0; from < owned.size(); ) {
                SweepModel model = owned.get(from).model();
                int to = from + 1;
                while (to < owned.size() && owned.get(to).model().equals(model)) {
                    to++;
                }
                List<SweepCell> modelCells = pending(owned, done, from, to);
                from = to;
                if (!modelCells.isEmpty()) {
                    runModel(model, modelCells, settings, progress, rec, total);
                }
            }
        } catch (ListenerFailure e) {
            throw e.getCause();
        }
        progress.update(1, "sweep done");
        return new Outcome(owned.size(), skipped, counts[0] + counts[1], counts[1]);
    }

    /** The cells at positions [from, to) of {@code cells} that are not {@code done}, made on demand. */
    private static List<SweepCell> pending(List<SweepCell> cells, BitSet done, int from, int to) {
        return SweepShard.at(cells, java.util.stream.IntStream.range(from, to).filter(i -> !done.get(i)).toArray());
    }

    /** One model's pending cells, (kind, sparsity) group by group: pruned once, then every repair setting. */
    private static void runModel(SweepModel model, List<SweepCell> modelCells, Settings settings, Progress progress,
                                 Recorder rec, int total) throws IOException {
        Opened opened;
        try {
            opened = open(model);
        } catch (Exception ex) {
            for (SweepCell c : modelCells) {
                rec.failed(c, ex, 0);
            }
            return;
        }
        try (opened; DenseCaches caches = new DenseCaches(settings, modelCells)) {
            EvalResult dense = null;
            for (int from = 0; from < modelCells.size(); ) {
                SweepCell first = modelCells.get(from);
                int to = from + 1;
                while (to < modelCells.size() && modelCells.get(to).kind() == first.kind()
                        && modelCells.get(to).sparsity() == first.sparsity()) {
                    to++;
                }
                List<SweepCell> group = modelCells.subList(from, to);
                from = to;
                int recorded = 0;
                long t0 = System.nanoTime();
                try (RepairSession session = new RepairSession(opened.model, Pruner.prune(opened.model.graph(),
                        opened.model.weights(), PruneSettings.of(first.kind(), first.sparsity())), settings.device())) {
                    if (dense == null) {
                        dense = session.evaluateDense(opened.eval, opened.evalIdx, settings.batchSize(), Progress.NONE);
                    }
                    EvalResult none = session.evaluatePruned(Map.of(), opened.eval, opened.evalIdx,
                            settings.batchSize(), Progress.NONE);
                    Map<String, int[]> calibIdx = new HashMap<>();
                    for (SweepCell c : group) {
                        progress.checkCancelled();
                        progress.update(rec.count() / (double) total, c.describe());
                        long t = System.nanoTime();
                        SweepRow row;
                        try {
                            int[] idx = calibIdx.computeIfAbsent(c.calibN() + "|" + c.seed(), k -> CalibrationSampler
                                    .indices(opened.calib, c.calibN(), CalibrationSampler.parseSeed(c.seed())));
                            row = cell(session, opened, c, idx, settings, dense, none, caches.of(c));
                        } catch (CancelledException ex) {
                            throw ex;
                        } catch (Exception ex) {
                            rec.failed(c, ex, seconds(t));
                            recorded++;
                            continue;
                        } finally {
                            NativeMemory.trim(); // the cell's tensors are freed: their pages go back before the next cell
                        }
                        rec.done(c, row, seconds(t));
                        recorded++;
                    }
                } catch (CancelledException | ListenerFailure ex) {
                    throw ex;
                } catch (Exception ex) {
                    // pruning, the session or a shared evaluation failed: every cell left in the group fails
                    for (SweepCell c : group.subList(recorded, group.size())) {
                        rec.failed(c, ex, seconds(t0));
                    }
                }
            }
        }
    }

    /** A listener's failure, carried past the cells' error handling so that it never marks a cell failed. */
    private static final class ListenerFailure extends RuntimeException {
        ListenerFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Records each cell in the store first, then tells the listener. */
    private record Recorder(SweepStore store, SweepShard shard, Listener listener, int[] counts) {
        void done(SweepCell c, SweepRow row, double seconds) throws IOException {
            counts[0]++;
            tell(c, store.recordDone(c, row, shard, seconds));
        }

        void failed(SweepCell c, Exception ex, double seconds) throws IOException {
            counts[1]++;
            tell(c, store.recordFailed(c, ex, shard, seconds));
        }

        int count() {
            return counts[0] + counts[1];
        }

        private void tell(SweepCell c, SweepStore.CellRecord r) {
            try {
                listener.finished(c, r);
            } catch (IOException e) {
                throw new ListenerFailure(e);
            } catch (RuntimeException e) {
                throw new ListenerFailure(new IOException("after recording cell " + c.id() + ": " + e, e));
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A model with its evaluation and calibration data, open for one model's cells. */
    private record Opened(LoadedModel model, ImageDataset eval, int[] evalIdx, ImageDataset calib)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (eval; calib) {
                // closes both
            }
        }
    }

    /**
     * Loads the model and opens its data: the test split of {@code data}, and {@code calibData}'s
     * train split, else the train split of a {@code data} directory (never the evaluation split).
     */
    private static Opened open(SweepModel m) throws Exception {
        LoadedModel model = ModelLoader.load(Path.of(m.path()), m.arch(), m.norm());
        DatasetOptions opts = DatasetOptions.defaults().withInput(model.normalization());
        Path calibPath = m.calibData() != null ? Path.of(m.calibData()) : Path.of(m.data());
        if (m.calibData() == null && !Files.isDirectory(calibPath)) {
            throw new IllegalArgumentException("sweep model " + m.path() + ": no calibData, and data " + m.data()
                    + " is not a directory with a train split (calibration images never come from the evaluation data)");
        }
        ImageDataset eval = Datasets.open(Path.of(m.data()), m.format(), opts.withSplit(DatasetSplit.TEST));
        try {
            ImageDataset calib = Datasets.open(calibPath, m.format(), opts.withSplit(DatasetSplit.TRAIN));
            return new Opened(model, eval, EvaluationSampler.firstK(eval, m.limit()), calib);
        } catch (Exception e) {
            eval.close();
            throw e;
        }
    }

    /**
     * One dense cache per calibration size, seed and units choice among a model's cells, made on first use;
     * the memory budget is shared between them.
     */
    private static final class DenseCaches implements AutoCloseable {
        private final Map<String, DenseCache> caches = new HashMap<>();
        private final Settings settings;
        private final long budget;

        DenseCaches(Settings settings, List<SweepCell> cells) {
            this.settings = settings;
            long keys = cells.stream().filter(c -> !c.repair().method().isIdentity()).map(DenseCaches::key)
                    .distinct().count();
            this.budget = settings.pass().memoryBudgetBytes() / Math.max(1, keys);
        }

        static String key(SweepCell c) {
            // the units measured differ between --units all and bn: one cache each, or they would refill in turn
            return c.calibN() + "|" + c.seed() + "|" + c.repair().units().id();
        }

        DenseCache of(SweepCell c) {
            return caches.computeIfAbsent(key(c), k -> new DenseCache(settings.device(), budget));
        }

        @Override
        public void close() {
            caches.values().forEach(DenseCache::close);
        }
    }

    private static SweepRow cell(RepairSession session, Opened o, SweepCell c, int[] calibIdx, Settings settings,
                                 EvalResult dense, EvalResult none, DenseCache cache) throws IOException {
        EvalResult result = none;
        double passSeconds = 0;
        if (!c.repair().method().isIdentity()) {
            RepairedPass pass = session.pass(o.calib, calibIdx, c.repair(), settings.pass(), Progress.NONE, cache);
            passSeconds = pass.seconds();
            result = session.evaluatePruned(pass.plan().overrides(), o.eval, o.evalIdx, settings.batchSize(),
                    Progress.NONE);
        }
        PruneResult p = session.prune();
        return new SweepRow(o.model.source().getFileName().toString(), p.settings().kind().id(), p.requested(),
                p.achieved(), c.repair().method().id(), c.repair().param("lambda"), calibIdx.length, c.seed(),
                result.n(), result.top1(), none.top1(), dense.top1(), passSeconds, result.seconds(), result.device(),
                c.repair().params(), c.repair().units().id());
    }
}
