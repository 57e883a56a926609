package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.StatsPass;
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
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pruning, the exact statistics pass, evaluation, and the live preview: whenever the
 * statistics the views show (a pass's, or the local estimate while the sparsity moves), the
 * method or lambda change, every method's plan is recomputed from them (no forward pass), fast
 * enough to follow the lambda slider.
 *
 * <p>Passes share D's side through one {@link DenseCache}: every pass of the same model,
 * calibration images, chunking and device after the first (another sparsity, kind or method)
 * runs the pruned network alone; anything else refills it.
 */
public final class RepairController {
    private static final int EVAL_BATCH = 100;
    private static final int MEASURED_KEPT = 64;

    private final WorkbenchModel model;
    private final ComputeService compute;
    private DenseCache denseCache;
    /** Dense and pruned top-1 measured so far (UI thread only). */
    private final java.util.List<Measured> measured = new java.util.ArrayList<>();

    public RepairController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
        model.viewStatsProperty().addListener((o, a, b) -> refreshPreviews());
        model.methodProperty().addListener((o, a, b) -> refreshPreviews());
        model.getMethods().addListener((javafx.collections.ListChangeListener<RepairMethod>) c -> refreshPreviews());
        listenToParams();
    }

    /** Follows the value of every parameter of every method in the list (new ones as rules are loaded). */
    private void listenToParams() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        Runnable hook = () -> {
            for (RepairMethod m : model.getMethods()) {
                for (var p : m.params()) {
                    if (seen.add(p.name())) {
                        model.paramProperty(p.name()).addListener((o, a, b) -> refreshPreviews());
                    }
                }
            }
        };
        hook.run();
        model.getMethods().addListener((javafx.collections.ListChangeListener<RepairMethod>) c -> hook.run());
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

    /**
     * Recomputes the preview plans of every method in the list at its current parameters (UI
     * thread, no forward pass), unless the shown estimate brought them, computed with it for the
     * same settings. A method whose preview fails (a rule giving a non-finite gain) is left out,
     * the message goes to the error line, and the other previews stay.
     */
    public void refreshPreviews() {
        NetworkStats stats = model.getViewStats();
        if (stats == null) {
            model.commitPreviews(Map.of());
            return;
        }
        List<RepairSettings> settings = model.previewSettings();
        WorkbenchModel.Estimate e = model.estimateProperty().get();
        Map<RepairMethod, RepairPlan> ready = e == null ? null : e.previewsFor(stats, settings);
        model.commitPreviews(ready != null ? ready : Preview.previews(stats, settings, model::commitError));
    }

    /** What a job hands to the UI thread: the pruning, the pass, and the three top-1 figures (NaN: not evaluated). */
    private record Outcome(PruneResult prune, StatsPass pass, boolean reused, double dense, double pruned,
                           EvalResult eval, double seconds) {
    }

    /** A top-1 measured in this session: the dense network ({@code prune} null) or the pruned one without repair. */
    private record Measured(LoadedModel model, ImageDataset eval, int limit, PruneSettings prune, double top1) {
        boolean matches(LoadedModel m, ImageDataset e, int l, PruneSettings p) {
            return model == m && eval == e && limit == l && java.util.Objects.equals(prune, p);
        }
    }

    private double measured(LoadedModel m, ImageDataset e, int limit, PruneSettings p) {
        return this.measured.stream().filter(x -> x.matches(m, e, limit, p)).mapToDouble(Measured::top1).findFirst()
                .orElse(Double.NaN);
    }

    private void remember(Measured x) {
        if (measured(x.model(), x.eval(), x.limit(), x.prune()) != x.top1()) {
            measured.add(x);
            if (measured.size() > MEASURED_KEPT) {
                measured.remove(0);
            }
        }
    }

    /**
     * The pass (reused when a kept pass has the same model, pruning, calibration set, N, seed,
     * method and lambda) and, for Apply, the dense, pruned and repaired top-1 on the same images
     * (dense and pruned measured once per model, pruning and evaluation set).
     */
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
        StatsPass.Key key = new StatsPass.Key(m, ps, calib, n, seedText, rs);
        StatsPass kept = model.findPass(key);
        double denseKnown = measured(m, eval, limit, null);
        double prunedKnown = measured(m, eval, limit, ps);
        String title = (evaluate ? "Apply & evaluate " : "Statistics pass ") + rs.method();
        return compute.submitWithSummary(title, p -> {
            long t0 = System.nanoTime();
            PruneResult pr = existing != null ? existing : Pruner.prune(m.graph(), m.weights(), ps);
            p.checkCancelled();
            if (kept != null && !evaluate) {
                return new Outcome(pr, kept, true, Double.NaN, Double.NaN, null, 0);
            }
            try (RepairSession session = new RepairSession(m, pr, compute.device())) {
                StatsPass pass = kept;
                if (pass == null) {
                    int[] idx = CalibrationSampler.indices(calib, n, seed);
                    RepairedPass r = session.pass(calib, idx, rs, SequentialPass.Config.DEFAULT,
                            evaluate ? p.slice(0, 0.6) : p, denseCache());
                    pass = new StatsPass(key, new NetworkStats(statsSettings(m, pr, rs, calib, n, seedText, compute),
                            r.stats().units()), r.plan());
                }
                if (!evaluate) {
                    return new Outcome(pr, pass, false, Double.NaN, Double.NaN, null, (System.nanoTime() - t0) / 1e9);
                }
                int[] evalIdx = EvaluationSampler.firstK(eval, limit > 0 ? limit : null);
                Progress rest = kept == null ? p.slice(0.6, 1) : p;
                double dense = Double.isNaN(denseKnown)
                        ? session.evaluateDense(eval, evalIdx, EVAL_BATCH, rest.slice(0, 0.33)).top1() : denseKnown;
                double pruned = Double.isNaN(prunedKnown)
                        ? session.evaluatePruned(Map.of(), eval, evalIdx, EVAL_BATCH, rest.slice(0.33, 0.66)).top1()
                        : prunedKnown;
                EvalResult er = session.evaluatePruned(pass.plan().overrides(), eval, evalIdx, EVAL_BATCH,
                        rest.slice(0.66, 1));
                return new Outcome(pr, pass, kept != null, dense, pruned, er, (System.nanoTime() - t0) / 1e9);
            }
        }, o -> {
            if (o.prune() != model.getPruneResult()) {
                model.commitPrune(o.prune());
            }
            model.commitPass(o.pass());
            String reused = o.reused() ? "reused the statistics pass computed earlier with these settings" : null;
            if (o.eval() == null) {
                return reused;
            }
            remember(new Measured(m, eval, limit, null, o.dense()));
            remember(new Measured(m, eval, limit, ps, o.pruned()));
            RunRecord run = RunRecord.of(m.source().getFileName().toString(), ps.kind().id(), ps.sparsity(),
                    o.prune().achieved(), rs, n, seedText, o.eval().top1(), o.eval().n(), o.seconds(), o.dense(),
                    o.pruned(), m.normalization().name());
            model.addRun(run);
            return "top-1 " + Formats.percent(run.top1()) + " (pruned " + Formats.percent(run.top1Pruned()) + ", "
                    + Formats.points(run.gainOverNone()) + " points over none; dense " + Formats.percent(run.top1Dense())
                    + ")" + (reused == null ? "" : "; " + reused);
        });
    }

    /** The passes' dense cache (made on the job thread on first use, on the compute device). */
    private synchronized DenseCache denseCache() {
        if (denseCache == null) {
            denseCache = new DenseCache(compute.device(), SequentialPass.Config.DEFAULT.memoryBudgetBytes());
        }
        return denseCache;
    }

    /** How many passes computed D's side (the others read it from the cache). */
    public synchronized int denseCacheFills() {
        return denseCache == null ? 0 : denseCache.fills();
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
        s.putAll(rs.describe());
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
