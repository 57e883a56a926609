package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs a {@link SweepGrid} on one model: the dense network is evaluated once; each (kind,
 * sparsity) is pruned once and its unrepaired top-1 measured once; every repair setting and seed
 * gets its own exact sequential pass and evaluation. Rows are handed out as they finish.
 */
public final class Sweep {
    private Sweep() {
    }

    public static List<SweepRow> run(LoadedModel model, ImageDataset eval, int[] evalIdx, ImageDataset calib,
                                     SweepGrid grid, SequentialPass.Config config, Device device, int batchSize,
                                     Progress progress, Consumer<SweepRow> onRow) throws IOException {
        List<SweepRow> rows = new ArrayList<>();
        String name = model.source().getFileName().toString();
        int total = grid.cellCount();
        EvalResult dense = null;
        for (PruneKind kind : grid.kinds()) {
            for (double s : grid.sparsities()) {
                PruneResult p = Pruner.prune(model.graph(), model.weights(), PruneSettings.of(kind, s));
                try (RepairSession session = new RepairSession(model, p, device)) {
                    if (dense == null) {
                        dense = session.evaluateDense(eval, evalIdx, batchSize, Progress.NONE);
                    }
                    EvalResult none = session.evaluatePruned(Map.of(), eval, evalIdx, batchSize, Progress.NONE);
                    for (String seed : grid.seeds()) {
                        int[] calibIdx = CalibrationSampler.indices(calib, grid.calibN(), CalibrationSampler.parseSeed(seed));
                        for (RepairSettings rs : grid.repairSettings()) {
                            progress.checkCancelled();
                            progress.update(rows.size() / (double) total, kind.id() + " " + s + " " + rs.method().id()
                                    + (rs.method() == RepairMethod.ASR ? " lambda " + rs.lambda() : "") + " seed " + seed);
                            SweepRow row = cell(session, name, p, rs, calib, calibIdx, seed, eval, evalIdx, config,
                                    batchSize, dense, none);
                            rows.add(row);
                            onRow.accept(row);
                        }
                    }
                }
            }
        }
        progress.update(1, "sweep done");
        return rows;
    }

    private static SweepRow cell(RepairSession session, String model, PruneResult p, RepairSettings rs,
                                 ImageDataset calib, int[] calibIdx, String seed, ImageDataset eval, int[] evalIdx,
                                 SequentialPass.Config config, int batchSize, EvalResult dense, EvalResult none)
            throws IOException {
        EvalResult result = none;
        double passSeconds = 0;
        if (rs.method() != RepairMethod.NONE) {
            SequentialPass.Result pass = session.pass(calib, calibIdx, rs, config, Progress.NONE);
            passSeconds = pass.seconds();
            result = session.evaluatePruned(pass.plan().overrides(), eval, evalIdx, batchSize, Progress.NONE);
        }
        return new SweepRow(model, p.settings().kind().id(), p.requested(), p.achieved(), rs.method().id(),
                rs.method() == RepairMethod.ASR ? rs.lambda() : null, calibIdx.length, seed, result.n(),
                result.top1(), none.top1(), dense.top1(), passSeconds, result.seconds(), result.device());
    }
}
