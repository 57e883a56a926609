package org.asrworkbench.cli;

import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.AutoResult;
import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.experiments.RepairReport;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code select}: runs {@code auto} and prints its candidates table (KL to D and agreement on the
 * selection set, and top-1 when {@code --data} has labels), without writing a model.
 */
@Command(name = "select", description = "Choose the repair method and lambda without labels (auto) and print the"
        + " candidates table; writes no model. --data is optional: with labels, each candidate's top-1 is reported.")
final class SelectCommand extends PruningCommand {
    @Mixin
    AutoOptions auto;

    @Override
    public Integer call() throws Exception {
        var candidates = auto.candidateList(repair.unitSelection());
        LoadedModel m = CliSupport.model(spec, common);
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try (ImageDataset calib = CliSupport.calibration(spec, common, repair, m);
             ImageDataset data = common.data == null ? null : CliSupport.data(spec, common, m, common.data, "test")) {
            CalibrationSampler.CalibrationSplit split = CalibrationSampler.split(calib, repair.calibN, auto.selectN,
                    CalibrationSampler.parseSeed(repair.calibSeed));
            AutoSelect.Evaluation eval = data != null && CliSupport.hasLabels(data)
                    ? new AutoSelect.Evaluation(data, EvaluationSampler.firstK(data, common.limit), common.batchSize) : null;
            PruneResult p = CliSupport.prune(m, repair);
            try (RepairSession s = new RepairSession(m, p, Engines.device(common.device))) {
                AutoResult r = AutoSelect.run(s, calib, split, candidates, CliSupport.passConfig(repair), common.batchSize,
                        eval, CliSupport.terminalProgress(err, "select"));
                AutoSelect.table(r).forEach(out::println);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("model", m.source().toString());
                json.put("prune", p.settings().kind().id());
                json.put("sparsity", p.requested());
                json.put("sparsityAchieved", p.achieved());
                json.put("calibN", split.calibration().length);
                json.put("calibSeed", repair.calibSeed);
                json.putAll(RepairReport.units(m.graph(), repair.unitSelection()));
                if (eval != null) {
                    json.put("n", eval.indices().length);
                }
                json.put("device", Engines.describe(s.dense().device()));
                json.putAll(r.summary());
                JsonOut.print(out, json);
                if (!r.hasChoice()) {
                    err.println("error: every candidate failed");
                    return 2;
                }
            }
        }
        return 0;
    }
}
