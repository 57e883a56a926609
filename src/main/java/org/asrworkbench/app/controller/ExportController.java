package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.AtomicText;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.tensor.StateDict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Exports the repaired model (background job), the statistics JSON and the runs CSV. */
public final class ExportController {
    private final WorkbenchModel model;
    private final ComputeService compute;

    public ExportController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Writes the pruned network with the applied (exact) repair folded in, as safetensors. */
    public boolean exportRepaired(Path file) {
        PruneResult pr = model.getPruneResult();
        RepairPlan plan = model.getAppliedPlan();
        if (pr == null || plan == null) {
            throw new IllegalStateException("Nothing to export yet: run Apply & Evaluate (or a statistics pass) first");
        }
        return compute.submit("Export " + file.getFileName(), p -> {
            StateDict sd = RepairExport.repairedWeights(model.getModel().graph(), pr.pruned(), plan);
            SafetensorsWriter.write(file, sd, sd.metadata());
            return file;
        }, f -> { });
    }

    /** Writes the statistics of the last pass as JSON (the spec's field names). */
    public void exportStats(Path file) {
        NetworkStats s = model.getStats();
        if (s == null) {
            throw new IllegalStateException("No statistics yet: run Apply & Evaluate (or a statistics pass) first");
        }
        StatsJson.write(file, s);
    }

    /** Writes the runs table as CSV. */
    public void exportRuns(Path file) throws IOException {
        AtomicText.write(file, runsCsv(model.getRuns()));
    }

    /** The runs as CSV with a header row; lambda is empty for methods other than asr. */
    public static String runsCsv(List<RunRecord> runs) {
        StringBuilder sb = new StringBuilder("model,pruning,sparsity,achieved,method,lambda,n,seed,top1,images,seconds\n");
        for (RunRecord r : runs) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%s,%s,%d,%s,%.4f,%d,%.2f%n", csv(r.model()),
                    r.pruning(), r.sparsity(), r.achieved(), r.method(),
                    r.method().equals(RepairMethod.ASR.id()) ? Double.toString(r.lambda()) : "", r.n(),
                    csv(r.seed()), r.top1(), r.images(), r.seconds()));
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
