package org.asrworkbench.cli;

import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.estimate.CovarianceGatherer;
import org.asrworkbench.core.estimate.InputCovariances;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.estimate.UnitEstimate;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneWarnings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code prune}: one-shot pruning; reports requested and achieved sparsity, overall and per layer. */
@Command(name = "prune", description = "Prune a model (global-magnitude, layer-uniform, filter-l1) and report the achieved sparsity.")
final class PruneCommand extends PruningCommand {
    @Option(names = "--out", paramLabel = "FILE", description = "write the pruned weights as safetensors")
    Path out;

    @Option(names = "--estimate", description = "add the local damage estimate of every unit (r_est, R_est) on the"
            + " first --calib-n calibration images (needs --calib-data, or --data with a train split)")
    boolean estimate;

    @Option(names = "--estimate-vs-pass", paramLabel = "METHOD", description = "with --estimate: also run the exact"
            + " sequential pass (this repair method, default lambda) on the same images and add each unit's r and R")
    String versusPass;

    @Override
    public Integer call() throws Exception {
        CliSupport.outputs(common, repair).output("--out", out).verify();
        LoadedModel m = CliSupport.model(spec, common);
        PruneResult p = CliSupport.prune(m, repair);
        if (out != null) {
            SafetensorsWriter.write(out, p.pruned(), Map.of("asr.prune", repair.prune,
                    "asr.sparsity", Double.toString(p.achieved())));
        }
        var w = spec.commandLine().getOut();
        for (var l : p.perLayer()) {
            w.printf("%-28s %10d / %-10d %.4f%n", l.layer(), l.pruned(), l.prunable(), l.sparsity());
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", m.source().toString());
        r.put("prune", p.settings().kind().id());
        r.put("sparsity", p.requested());
        r.put("sparsityAchieved", p.achieved());
        r.put("prunable", p.prunableWeights());
        r.put("pruned", p.prunedWeights());
        r.put("perLayer", p.perLayer());
        List<String> emptied = PruneWarnings.emptiedLayers(p);
        r.put("emptiedLayers", emptied);
        String warning = PruneWarnings.message(emptied, List.of());
        if (warning != null) {
            spec.commandLine().getErr().println(warning);
        }
        if (out != null) {
            r.put("out", out.toString());
        }
        if (estimate) {
            r.putAll(estimate(m, p));
        }
        JsonOut.print(w, r);
        return 0;
    }

    /** {@code nEst}, the gathering time, the skipped units and {@code units: [{unit, R_est, r_est}]} in unit order. */
    private Map<String, Object> estimate(LoadedModel m, PruneResult p) throws Exception {
        try (ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
            int[] idx = CalibrationSampler.indices(calib, repair.calibN, CalibrationSampler.parseSeed(repair.calibSeed));
            InputCovariances cov = CovarianceGatherer.gather(m, Engines.device(common.device), calib, idx,
                    CliSupport.passConfig(repair), CliSupport.terminalProgress(spec.commandLine().getErr(), "estimate"));
            NetworkStats exact = null;
            if (versusPass != null) {
                try (RepairSession session = new RepairSession(m, p, Engines.device(common.device))) {
                    exact = session.pass(calib, idx, RepairSettings.of(RepairMethods.parse(versusPass))
                                    .withUnits(repair.unitSelection()),
                            CliSupport.passConfig(repair), CliSupport.terminalProgress(spec.commandLine().getErr(),
                                    "pass")).stats();
                }
            }
            List<Map<String, Object>> units = new ArrayList<>();
            for (UnitEstimate e : new LocalEstimate(m.graph(), m.weights(), cov, repair.unitSelection())
                    .update(p.masks())) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("unit", e.unit());
                u.put("R_est", e.available() ? e.R() : null);
                u.put("r_est", e.rEst());
                if (!e.available()) {
                    u.put("note", e.note());
                }
                if (exact != null) {
                    u.put("R", exact.unit(e.unit()).R());
                    u.put("r", exact.unit(e.unit()).r());
                }
                units.add(u);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("estimate", LocalEstimate.LABEL);
            r.put("nEst", cov.n());
            r.put("calibSeed", repair.calibSeed);
            r.put("unitSelection", repair.unitSelection().id());
            r.put("estimateSeconds", cov.seconds());
            if (versusPass != null) {
                r.put("passMethod", versusPass);
            }
            r.put("units", units);
            return r;
        }
    }
}
