package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.AtomicText;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.export.ModelExport;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.tensor.StateDict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Exports the repaired model (background job), the statistics JSON and the runs CSV. */
public final class ExportController {
    private final WorkbenchModel model;
    private final ComputeService compute;

    public ExportController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /**
     * Writes the pruned network with the applied (exact) repair folded in: {@code .onnx} (the
     * model's own graph, for a model opened from ONNX) or safetensors, with its sidecar.
     */
    public boolean exportRepaired(Path file) {
        PruneResult pr = model.getPruneResult();
        RepairPlan plan = model.getAppliedPlan();
        if (pr == null || plan == null) {
            throw new IllegalStateException("Nothing to export yet: run Apply & Evaluate (or a statistics pass) first");
        }
        LoadedModel loaded = model.getModel();
        try {
            ModelExport.checkTarget(loaded, file);
        } catch (org.asrworkbench.core.io.ModelFormatException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return compute.submit("Export " + file.getFileName(), p -> {
            StateDict sd = RepairExport.repairedWeights(loaded.graph(), pr.pruned(), plan);
            ModelExport.write(loaded, sd, file);
            return file;
        }, f -> { });
    }

    /** The file patterns the repaired model can be exported as, the preferred first. */
    public List<String> repairedPatterns() {
        LoadedModel m = model.getModel();
        return m != null && ModelExport.offersOnnx(m) ? List.of("*.onnx", "*.safetensors") : List.of("*.safetensors");
    }

    /**
     * Writes the statistics of the last pass as JSON (the spec's field names), each unit with the
     * named per-channel values of the method the pass applied (ASR's {@code w}, a rule's
     * {@code let} values).
     */
    public void exportStats(Path file) {
        NetworkStats s = model.getStats();
        if (s == null) {
            throw new IllegalStateException("No statistics yet: run Apply & Evaluate (or a statistics pass) first");
        }
        RepairPlan plan = model.getAppliedPlan();
        StatsJson.write(file, s, unit -> plan != null && plan.hasUnit(unit) ? plan.unit(unit).values() : java.util.Map.of());
    }

    /** Writes the runs table as CSV. */
    public void exportRuns(Path file) throws IOException {
        AtomicText.write(file, runsCsv(model.getRuns()));
    }

    /**
     * The runs as CSV with a header row; lambda is empty for a method without a parameter of that
     * name, and params lists every parameter as name=value separated by ';'.
     */
    public static String runsCsv(List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder("model,pruning,sparsity,achieved,method,lambda,n,seed,top1,images,seconds,"
                + "params,top1Dense,top1Pruned,gainOverNone,normalization\n");
        for (RunRecord r : runs) {
            Map<String, Double> p = r.paramValues();
            sb.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%s,%s,%d,%s,%.4f,%d,%.2f,%s,%s,%s,%s,%s%n", csv(r.model()),
                    r.pruning(), r.sparsity(), r.achieved(), csv(r.method()),
                    p.containsKey("lambda") ? Double.toString(p.get("lambda")) : "", r.n(),
                    csv(r.seed()), r.top1(), r.images(), r.seconds(), csv(String.join(";", p.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).toList())), fraction(r.top1Dense()), fraction(r.top1Pruned()),
                    fraction(r.gainOverNone()), r.normalization() == null ? "" : csv(r.normalization())));
        }
        return sb.toString();
    }

    private static String fraction(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
