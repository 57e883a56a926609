package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.util.SettingRules;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.experiments.Sweep;
import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepModel;
import org.asrworkbench.core.experiments.SweepRow;
import org.asrworkbench.core.experiments.SweepShard;
import org.asrworkbench.core.experiments.SweepStore;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.stats.SequentialPass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs a sweep ({@link Sweep}) on the open model and datasets as one background job. Its rows
 * land in the runs table and chart together when the sweep finishes; a cancelled sweep adds
 * nothing, like every other job.
 */
public final class SweepController {
    private static final int EVAL_BATCH = 100;

    private final WorkbenchModel model;
    private final ComputeService compute;

    public SweepController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** What the sweep dialog asks for; the open model and datasets complete it into a {@link SweepGrid}. */
    public record Plan(List<PruneKind> kinds, List<Double> sparsities, List<RepairMethod> methods,
                       Map<String, List<Double>> axes, List<String> seeds, int calibN) {
        /** Number of runs the sweep makes. */
        public int cellCount() {
            long repairs = methods.stream().mapToLong(m -> SweepGrid.settingsOf(m, axes()).size()).sum();
            return (int) (kinds.size() * sparsities.size() * seeds.size() * repairs);
        }
    }

    /**
     * Starts the sweep on the open model, evaluation images (the first K with an evaluation limit)
     * and calibration images, as one background job with a private results directory; false when a
     * job is running.
     */
    public boolean sweep(Plan plan) {
        LoadedModel m = model.getModel();
        ImageDataset eval = model.getEvalDataset();
        ImageDataset calib = model.getCalibDataset();
        if (m == null || eval == null || calib == null) {
            throw new IllegalStateException("A sweep needs a model, an evaluation dataset and a calibration dataset (File menu)");
        }
        int limit = model.evalLimitProperty().get();
        String norm = model.normalizationProperty().get();
        SweepModel sm = new SweepModel(m.source().toString(), m.archOption(),
                norm == null || norm.equals(WorkbenchModel.SIDECAR) ? null : norm, eval.source().toString(),
                calib.source().toString(), null, limit > 0 ? limit : null);
        SweepGrid grid = new SweepGrid(List.of(sm), plan.kinds(), plan.sparsities(), plan.methods(), plan.axes(),
                List.of(plan.calibN()), plan.seeds(), List.of(model.unitsProperty().get()));
        String normName = m.normalization().name();
        int cells = grid.cellCount(); // refuses a grid above SweepGrid.MAX_CELLS, with the count, before any work
        return compute.submit("Sweep of " + cells + " runs", p -> {
            Path dir = Files.createTempDirectory("asr-sweep-");
            List<SweepRow> rows = new ArrayList<>();
            Sweep.Outcome out = Sweep.run(grid, SweepShard.ALL, SweepStore.open(dir, grid),
                    new Sweep.Settings(SequentialPass.Config.DEFAULT, compute.device(), EVAL_BATCH), p, (cell, rec) -> {
                        if (rec.done()) {
                            rows.add(rec.row());
                        }
                    });
            if (out.failed() > 0) {
                throw new IllegalStateException(out.failed() + " of " + out.shardCells() + " sweep runs failed; results in " + dir);
            }
            return rows;
        }, rows -> model.addRuns(rows.stream().map(r -> record(r, normName)).toList()));
    }

    /** A sweep cell as a run, with its parameter values (lambda NaN where the method has none) and its normalisation (null: not known). */
    public static RunRecord record(SweepRow r, String normalization) {
        return new RunRecord(r.model(), r.prune(), r.sparsity(), r.sparsityAchieved(), r.method(),
                r.lambda() == null ? Double.NaN : r.lambda(), r.calibN(), r.calibSeed(), r.top1(),
                r.n(), r.passSeconds() + r.evalSeconds(), r.paramValues(), r.top1Dense(), r.top1Pruned(), normalization,
                r.units());
    }

    /**
     * The grid from the sweep dialog's fields: comma-separated sparsities and seeds, and for each
     * parameter name of the chosen methods its comma-separated values ({@code axes}: name to text;
     * a parameter no chosen method has is ignored).
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static Plan grid(List<PruneKind> kinds, String sparsities, List<RepairMethod> methods,
                            Map<String, String> axes, String seeds, int calibN) {
        SettingRules.calibrationSize("Calibration N", calibN);
        List<Double> s = list("Sparsities", sparsities, v -> SettingRules.sparsity("Sparsities", Double.parseDouble(v)));
        Map<String, List<Double>> values = new java.util.LinkedHashMap<>();
        axes.forEach((name, text) -> {
            if (methods.stream().anyMatch(m -> m.param(name) != null)) {
                values.put(name, list(name, text, Double::parseDouble));
            }
        });
        List<String> seedList = list("Seeds", seeds, v -> {
            if (!v.equals("none")) {
                Long.parseLong(v);
            }
            return v;
        });
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one pruning kind");
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("Choose at least one repair method");
        }
        for (RepairMethod m : methods) {
            SweepGrid.settingsOf(m, values);
        }
        return new Plan(kinds, s, methods, values, seedList, calibN);
    }

    private static <T> List<T> list(String field, String text, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String v = part.trim().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            try {
                out.add(parse.apply(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + ": '" + part.trim() + "' is not a number");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(field + ": give at least one value, separated by commas");
        }
        return out;
    }
}
