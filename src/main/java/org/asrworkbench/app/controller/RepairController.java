package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.Preview;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pruning, the exact statistics pass, evaluation, and the live preview: whenever the
 * statistics, the method or lambda change, every method's plan is recomputed from the cached
 * statistics (no forward pass), fast enough to follow the lambda slider.
 */
public final class RepairController {
    private static final int EVAL_BATCH = 100;

    private final WorkbenchModel model;
    private final ComputeService compute;

    public RepairController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
        model.statsProperty().addListener((o, a, b) -> refreshPreviews());
        model.lambdaProperty().addListener((o, a, b) -> refreshPreviews());
    }

    /** Prunes with the current settings. */
    public boolean prune() {
        LoadedModel m = requireModel(model);
        PruneSettings s = model.pruneSettings();
        return compute.submit("Prune " + s.kind() + " " + percent(s.sparsity()), p -> {
            p.update(0, "ranking weights");
            return Pruner.prune(m.graph(), m.weights(), s);
        }, model::commitPrune);
    }

    /** Prunes if needed and runs the exact sequential pass with the current method and lambda. */
    public boolean statisticsPass() {
        return run(false);
    }

    /** Prunes if needed, runs the sequential pass and evaluates top-1; the run lands in the runs list. */
    public boolean applyAndEvaluate() {
        return run(true);
    }

    /** Recomputes the preview plans of every method at the current lambda (UI thread, no forward pass). */
    public void refreshPreviews() {
        NetworkStats stats = model.getStats();
        if (stats == null) {
            model.commitPreviews(Map.of());
            return;
        }
        double lambda = model.lambdaProperty().get();
        Map<RepairMethod, RepairPlan> plans = new EnumMap<>(RepairMethod.class);
        for (RepairMethod m : RepairMethod.values()) {
            plans.put(m, Preview.preview(stats, new RepairSettings(m, lambda)));
        }
        model.commitPreviews(plans);
    }

    private record Outcome(PruneResult prune, SequentialPass.Result pass, EvalResult eval, double seconds) {
    }

    private boolean run(boolean evaluate) {
        LoadedModel m = requireModel(model);
        ImageDataset calib = requireCalibration(model);
        ImageDataset eval = model.getEvalDataset();
        if (evaluate && eval == null) {
            throw new IllegalStateException("Open an evaluation dataset first (File \u203a Open evaluation dataset\u2026)");
        }
        PruneSettings ps = model.pruneSettings();
        PruneResult existing = model.pruneIsCurrent() ? model.getPruneResult() : null;
        RepairSettings rs = model.repairSettings();
        int n = model.calibNProperty().get();
        String seedText = model.seedProperty().get();
        Long seed = CalibrationSampler.parseSeed(seedText);
        int limit = model.evalLimitProperty().get();
        String title = (evaluate ? "Apply & evaluate " : "Statistics pass ") + rs.method();
        return compute.submit(title, p -> {
            long t0 = System.nanoTime();
            int[] idx = CalibrationSampler.indices(calib, n, seed);
            PruneResult pr = existing != null ? existing : Pruner.prune(m.graph(), m.weights(), ps);
            p.checkCancelled();
            try (RepairSession session = new RepairSession(m, pr, compute.device())) {
                Progress passProgress = evaluate ? p.slice(0, 0.6) : p;
                SequentialPass.Result pass = session.pass(calib, idx, rs, SequentialPass.Config.DEFAULT, passProgress);
                EvalResult er = null;
                if (evaluate) {
                    int[] evalIdx = EvaluationSampler.firstK(eval, limit > 0 ? limit : null);
                    er = session.evaluatePruned(pass.plan().overrides(), eval, evalIdx, EVAL_BATCH, p.slice(0.6, 1));
                }
                NetworkStats stats = new NetworkStats(statsSettings(m, pr, rs, calib, n, seedText, compute), pass.stats().units());
                return new Outcome(pr, new SequentialPass.Result(stats, pass.plan(), pass.seconds(), pass.spilledBytes()),
                        er, (System.nanoTime() - t0) / 1e9);
            }
        }, o -> {
            if (o.prune() != model.getPruneResult()) {
                model.commitPrune(o.prune());
            }
            model.commitPass(o.pass().stats(), o.pass().plan());
            if (o.eval() != null) {
                model.addRun(new RunRecord(m.source().getFileName().toString(), ps.kind().id(), ps.sparsity(),
                        o.prune().achieved(), rs.method().id(), rs.lambda(), n, seedText, o.eval().top1(),
                        o.eval().n(), o.seconds()));
            }
        });
    }

    /** The settings recorded with a pass's statistics (model, pruning, calibration, repair, device). */
    static Map<String, Object> statsSettings(LoadedModel m, PruneResult pr, RepairSettings rs, ImageDataset calib, int n,
                                             String seed, ComputeService compute) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(NetworkStats.MODEL, m.name());
        s.put(NetworkStats.PRUNE, pr.settings().kind().id());
        s.put(NetworkStats.SPARSITY, pr.requested());
        s.put(NetworkStats.SPARSITY_ACHIEVED, pr.achieved());
        s.put(NetworkStats.CALIB, NetworkStats.calib(calib.source().toString(), n, seed));
        s.put(NetworkStats.METHOD, rs.method().id());
        s.put(NetworkStats.LAMBDA, rs.lambda());
        s.put(NetworkStats.DEVICE, Engines.describe(compute.device()));
        return s;
    }

    /** The open model; an error that says how to open one when there is none. */
    static LoadedModel requireModel(WorkbenchModel model) {
        LoadedModel m = model.getModel();
        if (m == null) {
            throw new IllegalStateException("Open a model first (File \u203a Open model\u2026)");
        }
        return m;
    }

    /** The open calibration dataset; an error that says how to open one when there is none. */
    static ImageDataset requireCalibration(WorkbenchModel model) {
        ImageDataset calib = model.getCalibDataset();
        if (calib == null) {
            throw new IllegalStateException("Open a calibration dataset first (File \u203a Open calibration dataset\u2026)");
        }
        return calib;
    }

    static String percent(double v) {
        return Math.round(v * 1000) / 10.0 + "%";
    }
}
