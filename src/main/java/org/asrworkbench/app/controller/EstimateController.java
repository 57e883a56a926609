package org.asrworkbench.app.controller;

import javafx.beans.InvalidationListener;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.Debounce;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.estimate.CovarianceGatherer;
import org.asrworkbench.core.estimate.InputCovariances;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.estimate.UnitEstimate;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneRanking;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.Preview;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live sparsity: while the sparsity or the pruning kind changes, the masks are recomputed
 * from a ranking kept per kind and the local damage estimate of every unit is updated (no
 * forward pass) and shown in every view, labelled as the estimate; once the settings have been
 * quiet for a moment the exact statistics pass runs in the background and replaces it. A newer
 * change supersedes it: a pending pass is rescheduled, a running one cancelled and started
 * again for the newest settings.
 *
 * <p>D's input covariances are gathered once per model and calibration set (the first
 * {@value #N_EST} images of the calibration draw, or all of them when N is smaller), as a job
 * of its own (progress and cancel as any job) at the user's first change of the pruning.
 *
 * <p>Only the user's moves count ({@link #pruningChanged()}, called by the controls): settings
 * set by a loaded session or by a test start nothing.
 */
public final class EstimateController {
    /** {@code N_est}: the spec's default. */
    public static final int N_EST = CovarianceGatherer.DEFAULT_N_EST;

    private final WorkbenchModel model;
    private final ComputeService compute;
    private final RepairController repair;
    private final Executor updates;
    private final Executor ui;
    private final Debounce debounce;
    private final AtomicReference<Request> pending = new AtomicReference<>();
    private volatile Prepared prepared;
    private boolean exactWanted;
    private boolean exactDue;
    private boolean backgroundPass;
    private boolean gatherWanted;
    private final java.util.List<Double> updateMillis = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** An update to run: the pruning, and the methods' settings whose previews come with the estimate (taken on the UI thread). */
    private record Request(PruneSettings settings, List<RepairSettings> previews) {
    }

    /** The estimate for one model and calibration set, with a ranking per pruning kind made on first use. */
    private record Prepared(LoadedModel model, ImageDataset calib, int n, String seed, LocalEstimate estimate,
                            Map<PruneKind, PruneRanking> rankings, UnitSelection units) {
        boolean matches(WorkbenchModel m) {
            return model == m.getModel() && calib == m.getCalibDataset() && n == m.calibNProperty().get()
                    && seed.equals(m.seedProperty().get()) && units == m.unitsProperty().get();
        }

        PruneRanking ranking(PruneKind kind) {
            return rankings.computeIfAbsent(kind, k -> Pruner.ranking(model.graph(), model.weights(),
                    PruneSettings.of(k, 0)));
        }
    }

    /**
     * @param updates  where estimate updates run (a background thread in the app, {@code Runnable::run} in tests);
     *                 only the newest pending update runs
     * @param ui       the UI thread
     * @param debounce schedules the exact pass once the settings are quiet
     */
    public EstimateController(WorkbenchModel model, ComputeService compute, RepairController repair, Executor updates,
                              Executor ui, Debounce debounce) {
        this.model = model;
        this.compute = compute;
        this.repair = repair;
        this.updates = updates;
        this.ui = ui;
        this.debounce = debounce;
        InvalidationListener inputs = o -> {
            if (prepared != null && !prepared.matches(model)) {
                prepared = null;
                model.clearEstimate();
            }
        };
        model.modelProperty().addListener(inputs);
        model.calibDatasetProperty().addListener(inputs);
        model.calibNProperty().addListener(inputs);
        model.seedProperty().addListener(inputs);
        model.jobRunningProperty().addListener((o, was, running) -> {
            if (!running) {
                backgroundPass = false;
                jobEnded();
            }
        });
    }

    /** True when the estimate is ready for the current model and calibration set. */
    public boolean ready() {
        Prepared p = prepared;
        return p != null && p.matches(model);
    }

    /** Durations of the estimate updates so far (masks and every unit's estimate), in ms; the list is then emptied. */
    public List<Double> drainUpdateMillis() {
        synchronized (updateMillis) {
            List<Double> out = List.copyOf(updateMillis);
            updateMillis.clear();
            return out;
        }
    }

    /** D's input covariances the estimate uses, or null before they are gathered. */
    public InputCovariances covariances() {
        Prepared p = prepared;
        return p == null ? null : p.estimate().covariances();
    }

    /**
     * The user moved the sparsity or changed the kind: update the estimate now (gathering the
     * covariances first when needed), and schedule the exact pass for when the settings rest.
     */
    public void pruningChanged() {
        pruningChanged(false);
    }

    /**
     * As {@link #pruningChanged()}; while {@code dragging} (the slider is held) the exact pass
     * waits for the release, then for the quiet time.
     */
    public void pruningChanged(boolean dragging) {
        if (model.getModel() == null || model.getCalibDataset() == null) {
            return;
        }
        if (ready()) {
            model.estimateAsked(model.pruneSettings());
            requestUpdate(model.pruneSettings());
        } else {
            gatherWanted = true;
            if (!compute.isBusy()) {
                gather();
            }
        }
        exactWanted = true;
        exactDue = false;
        if (dragging) {
            debounce.cancel();
        } else {
            debounce.schedule(this::exactPassDue);
        }
    }

    /** Starts gathering D's input covariances as a job; false when another job runs or nothing is open. */
    public boolean gather() {
        LoadedModel m = model.getModel();
        ImageDataset calib = model.getCalibDataset();
        if (m == null || calib == null) {
            return false;
        }
        int n = model.calibNProperty().get();
        String seedText = model.seedProperty().get();
        Long seed = CalibrationSampler.parseSeed(seedText);
        UnitSelection units = model.unitsProperty().get();
        boolean started = compute.submit("Local estimate: input covariances", p -> {
            int[] idx = CalibrationSampler.indices(calib, n, seed);
            int[] images = Arrays.copyOf(idx, Math.min(N_EST, idx.length));
            InputCovariances cov = CovarianceGatherer.gather(m, compute.device(), calib, images,
                    SequentialPass.Config.DEFAULT, p);
            return new Prepared(m, calib, n, seedText, new LocalEstimate(m.graph(), m.weights(), cov, units),
                    new ConcurrentHashMap<>(), units);
        }, prep -> {
            gatherWanted = false;
            prepared = prep;
            if (prep.matches(model)) {
                requestUpdate(model.pruneSettings());
            }
        });
        if (started) {
            gatherWanted = false;
        }
        return started;
    }

    /** Computes the estimate for {@code s} on the update thread; only the newest request runs. */
    private void requestUpdate(PruneSettings s) {
        if (pending.getAndSet(new Request(s, model.previewSettings())) != null) {
            return; // an update is queued already and will take the newest settings
        }
        updates.execute(() -> {
            Request request = pending.getAndSet(null);
            Prepared p = prepared;
            if (request == null || p == null) {
                return;
            }
            PruneSettings settings = request.settings();
            long t0 = System.nanoTime();
            PruneRanking ranking = p.ranking(settings.kind());
            Map<String, boolean[]> masks = ranking.masks(settings.sparsity());
            List<UnitEstimate> units = p.estimate().update(masks);
            updateMillis.add((System.nanoTime() - t0) / 1e6);
            NetworkStats stats = p.estimate().asStats(units, Map.of(NetworkStats.PRUNE, settings.kind().id(),
                    NetworkStats.SPARSITY, settings.sparsity()));
            // the previews too, off the UI thread; one that fails is redone (and reported) there
            List<String> failed = new java.util.ArrayList<>();
            Map<RepairMethod, RepairPlan> previews = Preview.previews(stats, request.previews(), failed::add);
            WorkbenchModel.Estimate e = new WorkbenchModel.Estimate(settings, stats, ranking.perLayer(masks),
                    request.previews(), failed.isEmpty() ? previews : null);
            ui.execute(() -> {
                if (prepared == p && p.matches(model)) {
                    model.commitEstimate(e);
                }
            });
        });
    }

    /** The settings have been quiet: run the exact pass, cancelling our own older one that still runs. */
    private void exactPassDue() {
        exactDue = true;
        if (compute.isBusy()) {
            if (backgroundPass) {
                compute.cancel();
            }
            return; // started when the running job ends
        }
        startExactPass();
    }

    private void startExactPass() {
        if (!exactWanted || !exactDue) {
            return;
        }
        if (model.pruneIsCurrent() && model.getStats() != null) {
            exactWanted = false;
            return;
        }
        if (repair.statisticsPass()) {
            exactWanted = false;
            exactDue = false;
            backgroundPass = compute.isBusy();
        }
    }

    private void jobEnded() {
        if (gatherWanted && !ready() && model.getModel() != null && model.getCalibDataset() != null) {
            gather();
            return;
        }
        startExactPass();
    }
}
