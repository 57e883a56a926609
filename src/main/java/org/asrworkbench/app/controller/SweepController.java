package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.experiments.Sweep;
import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepRow;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.SequentialPass;

import java.util.ArrayList;
import java.util.List;
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

    /** Starts the sweep on the evaluation images (the first K with an evaluation limit); false when a job is running. */
    public boolean sweep(SweepGrid grid) {
        LoadedModel m = model.getModel();
        ImageDataset eval = model.getEvalDataset();
        ImageDataset calib = model.getCalibDataset();
        if (m == null || eval == null || calib == null) {
            throw new IllegalStateException("A sweep needs a model, an evaluation dataset and a calibration dataset (File menu)");
        }
        int limit = model.evalLimitProperty().get();
        return compute.submit("Sweep of " + grid.cellCount() + " runs", p -> {
            int[] evalIdx = EvaluationSampler.firstK(eval, limit > 0 ? limit : null);
            return Sweep.run(m, eval, evalIdx, calib, grid, SequentialPass.Config.DEFAULT, compute.device(), EVAL_BATCH,
                    p, row -> { });
        }, rows -> model.addRuns(rows.stream().map(SweepController::record).toList()));
    }

    /** A sweep cell as a run; methods other than asr carry the default lambda (the runs table shows none for them). */
    static RunRecord record(SweepRow r) {
        return new RunRecord(r.model(), r.prune(), r.sparsity(), r.sparsityAchieved(), r.method(),
                r.lambda() == null ? RepairSettings.DEFAULT_LAMBDA : r.lambda(), r.calibN(), r.calibSeed(), r.top1(),
                r.n(), r.passSeconds() + r.evalSeconds());
    }

    /**
     * The grid from the sweep dialog's fields: comma-separated sparsities, lambdas and seeds.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static SweepGrid grid(List<PruneKind> kinds, String sparsities, List<RepairMethod> methods, String lambdas,
                                 String seeds, int calibN) {
        if (calibN < 1) {
            throw new IllegalArgumentException("Calibration N must be at least 1, not " + calibN);
        }
        List<Double> s = list("Sparsities", sparsities, Double::parseDouble);
        List<Double> l = methods.contains(RepairMethod.ASR) ? list("Lambdas", lambdas, Double::parseDouble) : List.of();
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
        return new SweepGrid(kinds, s, methods, l, seedList, calibN);
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
