package org.asrworkbench.cli;

import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.RepairReport;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.export.ModelExport;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.onnx.OnnxExport;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneWarnings;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.experiments.AutoResult;
import org.asrworkbench.core.experiments.AutoSelect;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code repair}: prune, run the sequential statistics pass with a repair method, evaluate, export.
 * With {@code --method auto} the method and lambda are chosen without labels ({@link AutoSelect});
 * the report then adds {@code chosen}, {@code candidates} and {@code regret}.
 */
@Command(name = "repair", description = "Prune, repair (none, bn-recal, layer-wise, channel-wise, asr, bias-corr, stat-corr,"
        + " rule:FILE, auto) and evaluate; writes the repaired model and a JSON report.")
final class RepairCommand extends PruningCommand {
    static final String AUTO = "auto";

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "asr", description = "none, bn-recal, layer-wise,"
            + " channel-wise, asr, bias-corr, stat-corr, rule:FILE (a rule file, docs/rules.md), or auto (chosen without"
            + " labels, see --select-n and --candidates) (default: ${DEFAULT-VALUE})")
    String method;
    @Option(names = "--lambda", paramLabel = "L", description = "the method's parameter lambda (asr's shrinkage strength,"
            + " default 0.25); the same as --param lambda=L")
    Double lambda;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a parameter of the method (repeatable), e.g."
            + " --param lambda=0.5; absent ones take the method's defaults")
    Map<String, Double> params = new LinkedHashMap<>();
    @Option(names = "--out", paramLabel = "FILE", description = "write the repaired model: X.onnx (a model opened from ONNX:"
            + " the same graph with the repaired initializers) or safetensors (any model; PyTorch names, gain folded into"
            + " the BN weight), with its sidecar")
    Path out;
    @Option(names = "--report", paramLabel = "FILE", description = "write the JSON report (settings, sparsity, statistics, per-channel diagnostics, top-1)")
    Path report;
    @Option(names = "--no-dense-eval", description = "skip evaluating the dense network")
    boolean noDenseEval;

    @Mixin
    AutoOptions auto;

    @Override
    public Integer call() throws Exception {
        boolean isAuto = AUTO.equals(method);
        Map<String, Double> values = new LinkedHashMap<>(params);
        if (lambda != null && values.put("lambda", lambda) != null) {
            throw new IllegalArgumentException("give lambda once: --lambda or --param lambda=L");
        }
        if (isAuto && !values.isEmpty()) {
            throw new IllegalArgumentException("--method auto chooses the parameters: give candidates with --candidates");
        }
        var units = repair.unitSelection();
        RepairSettings settings = isAuto ? null : new RepairSettings(RepairMethods.parse(method), values, units);
        List<RepairSettings> candidates = isAuto ? auto.candidateList(units) : List.of();
        ModelExport.outputs(CliSupport.outputs(common, repair), "--out", out).output("--report", report).verify();
        LoadedModel m = CliSupport.model(spec, common);
        if (out != null) {
            ModelExport.checkTarget(m, out);
        }
        var err = spec.commandLine().getErr();
        try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test");
             ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
            int[] evalIdx = EvaluationSampler.firstK(data, common.limit);
            Long seed = CalibrationSampler.parseSeed(repair.calibSeed);
            CalibrationSampler.CalibrationSplit split = isAuto ? CalibrationSampler.split(calib, repair.calibN, auto.selectN, seed)
                    : new CalibrationSampler.CalibrationSplit(CalibrationSampler.indices(calib, repair.calibN, seed), new int[0]);
            int[] calibIdx = split.calibration();
            PruneResult p = CliSupport.prune(m, repair);
            try (RepairSession s = new RepairSession(m, p, Engines.device(common.device))) {
                Progress progress = CliSupport.terminalProgress(err, "repair");
                EvalResult dense = noDenseEval ? null : s.evaluateDense(data, evalIdx, common.batchSize, progress.slice(0, 0.3));
                EvalResult none = s.evaluatePruned(Map.of(), data, evalIdx, common.batchSize, progress.slice(0.3, 0.5));
                RepairedPass pass;
                EvalResult repaired;
                AutoResult chosen = null;
                if (isAuto) {
                    chosen = AutoSelect.run(s, calib, split, candidates, CliSupport.passConfig(repair), common.batchSize,
                            new AutoSelect.Evaluation(data, evalIdx, common.batchSize), progress.slice(0.5, 1));
                    AutoSelect.table(chosen).forEach(err::println);
                    pass = chosen.chosenPass();
                    repaired = chosen.chosenScore().eval();
                    settings = pass.plan().settings();
                } else {
                    pass = s.pass(calib, calibIdx, settings, CliSupport.passConfig(repair), progress.slice(0.5, 0.7));
                    repaired = s.evaluatePruned(pass.plan().overrides(), data, evalIdx, common.batchSize, progress.slice(0.7, 1));
                }
                NetworkStats stats = pass.stats().withSettings(Map.of(NetworkStats.MODEL, m.source().toString(),
                        NetworkStats.PRUNE, p.settings().kind().id(), NetworkStats.SPARSITY, p.requested(),
                        NetworkStats.SPARSITY_ACHIEVED, p.achieved(),
                        NetworkStats.CALIB, NetworkStats.calib(calib.source().toString(), calibIdx.length, repair.calibSeed),
                        NetworkStats.DEVICE, repaired.device())).withSettings(settings.describe());
                Map<String, Object> summary = RepairReport.summary(pass.plan(), p, dense, none, repaired, pass.seconds());
                summary.putAll(RepairReport.units(m.graph(), units));
                if (chosen != null) {
                    summary.putAll(chosen.summary());
                }
                List<String> emptied = PruneWarnings.emptiedLayers(p);
                List<String> collapsed = PruneWarnings.collapsedUnits(stats);
                summary.put("emptiedLayers", emptied);
                summary.put("collapsedUnits", collapsed);
                String warning = PruneWarnings.message(emptied, collapsed);
                if (warning != null) {
                    err.println(warning);
                }
                if (out != null) {
                    var repairedWeights = RepairExport.repairedWeights(m.graph(), p.pruned(), pass.plan());
                    OnnxExport.Written onnx = ModelExport.write(m, repairedWeights, out);
                    summary.put("out", out.toString());
                    if (onnx != null) {
                        summary.put("onnxTensorsWritten", onnx.written().size());
                        summary.put("onnxBiasesAdded", onnx.addedBiases());
                        summary.put("onnxNodesRewired", onnx.rewired());
                        if (onnx.externalData() != null) {
                            summary.put("onnxExternalData", onnx.externalData().toString());
                        }
                    }
                }
                if (report != null) {
                    RepairReport.write(report, summary, p, stats, pass.plan());
                    summary.put("report", report.toString());
                }
                JsonOut.print(spec.commandLine().getOut(), summary);
            }
        }
        return 0;
    }
}
