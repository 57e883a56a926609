package org.asrworkbench.cli;

import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.experiments.Sweep;
import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepOutputs;
import org.asrworkbench.core.experiments.SweepRow;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sweep}: pruning kinds × sparsities × methods × lambdas × seeds → CSV, JSON and PNG plots. */
@Command(name = "sweep", description = "Sweep pruning kinds, sparsities, methods, lambdas and calibration seeds;"
        + " writes results.csv, results.json, summary.csv and top1-<kind>.png to --out-dir.")
final class SweepCommand extends PruningCommand {
    @Option(names = "--sparsities", split = ",", paramLabel = "S,...", defaultValue = "0.5,0.7,0.8,0.9,0.95")
    List<Double> sparsities;
    @Option(names = "--methods", split = ",", paramLabel = "M,...", defaultValue = "none,bn-recal,layer-wise,channel-wise,asr")
    List<String> methods;
    @Option(names = "--lambdas", split = ",", paramLabel = "L,...", defaultValue = "0.25")
    List<Double> lambdas;
    @Option(names = "--seeds", split = ",", paramLabel = "SEED,...", defaultValue = "0")
    List<String> seeds;
    @Option(names = "--out-dir", paramLabel = "DIR", required = true, description = "where the results go")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        List<PruneKind> kinds = new ArrayList<>();
        for (String k : repair.prune.split(",")) {
            kinds.add(PruneKind.parse(k.trim()));
        }
        List<RepairMethod> ms = methods.stream().map(String::trim).map(RepairMethod::parse).toList();
        SweepGrid grid = new SweepGrid(kinds, sparsities, ms, lambdas, seeds, repair.calibN);
        LoadedModel m = CliSupport.model(spec, common);
        var err = spec.commandLine().getErr();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", m.source().toString());
        settings.put("arch", m.arch().toString());
        settings.put("calibN", repair.calibN);
        try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test");
             ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
            settings.put("data", data.source().toString());
            settings.put("calibData", calib.source().toString());
            int[] evalIdx = EvaluationSampler.firstK(data, common.limit);
            settings.put("n", evalIdx.length);
            List<SweepRow> done = new ArrayList<>();
            List<SweepRow> rows = Sweep.run(m, data, evalIdx, calib, grid, CliSupport.passConfig(repair),
                    Engines.device(common.device), common.batchSize, CliSupport.terminalProgress(err, "sweep"), row -> {
                        done.add(row);
                        err.printf("  %-16s %.2f %-22s seed %-4s top-1 %.4f (pruned %.4f, dense %.4f)%n", row.prune(),
                                row.sparsity(), row.series(), row.calibSeed(), row.top1(), row.top1Pruned(), row.top1Dense());
                        try {
                            SweepOutputs.writeAll(outDir, done, settings);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            Map<String, Object> r = new LinkedHashMap<>(settings);
            r.put("cells", rows.size());
            r.put("outDir", outDir.toString());
            r.put("summary", SweepOutputs.summarise(rows));
            JsonOut.print(spec.commandLine().getOut(), r);
        }
        return 0;
    }
}
