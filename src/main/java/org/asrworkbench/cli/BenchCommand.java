package org.asrworkbench.cli;

import org.asrworkbench.core.bench.AutoBenchmark;
import org.asrworkbench.core.bench.EstimateBenchmark;
import org.asrworkbench.core.bench.ForwardBenchmark;
import org.asrworkbench.core.bench.PassBenchmark;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.model.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.rule.RuleMethod;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * {@code bench}: ratios measured in one run. {@code --what forward}: the graph executor against
 * a plain DJL loop (CIFAR ResNets). {@code --what pass}: the statistics + repair pass against two
 * plain forward passes over the calibration images, and the preview time. {@code --what auto}: the
 * time of {@code auto} and of each extra candidate in sequential passes ({@code --select-n},
 * {@code --candidates}; {@code --rounds} does not apply). {@code --what estimate}: gathering D's input
 * covariances on {@code --calib-n} images, and estimate updates for every unit while the sparsity moves.
 */
@Command(name = "bench", description = "Benchmarks: --what forward (graph executor vs a plain DJL loop) or"
        + " --what pass (sequential pass vs two forward passes; preview time) or --what auto (auto in sequential passes)"
        + " or --what estimate (local damage estimate: covariance gathering and update time) or --what onnx (an"
        + " imported graph vs the same network from --reference). Every one takes an .onnx model; forward times"
        + " a model other than a CIFAR ResNet without the plain loop.")
final class BenchCommand extends PruningCommand {
    @Option(names = "--what", defaultValue = "forward", description = "forward, pass, auto, estimate or onnx (default: ${DEFAULT-VALUE})")
    String what;
    @Mixin
    AutoOptions auto;
    @Option(names = "--reference", paramLabel = "FILE", description = "--what onnx: the same network as a state dict"
            + " (.th, safetensors) to compare the imported graph with")
    java.nio.file.Path reference;
    @Option(names = "--rounds", defaultValue = "3", description = "timed rounds of each variant (default: ${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--rule", paramLabel = "FILE", description = "pass: also time the preview of this rule file"
            + " (default: rules/asr.json when it exists)")
    java.nio.file.Path rule;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = CliSupport.model(spec, common);
        Map<String, Object> r;
        if ("pass".equals(what)) {
            try (ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
                int[] idx = CalibrationSampler.indices(calib, repair.calibN, CalibrationSampler.parseSeed(repair.calibSeed));
                java.nio.file.Path ruleFile = rule != null ? rule : java.nio.file.Path.of("rules", "asr.json");
                RepairMethod ruleMethod = rule != null || java.nio.file.Files.exists(ruleFile)
                        ? RuleMethod.load(ruleFile) : null;
                r = PassBenchmark.run(m, CliSupport.prune(m, repair), calib, idx, CliSupport.passConfig(repair), rounds,
                        common.device, ruleMethod);
            }
        } else if ("auto".equals(what)) {
            try (ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
                CalibrationSampler.CalibrationSplit split = CalibrationSampler.split(calib, repair.calibN, auto.selectN,
                        CalibrationSampler.parseSeed(repair.calibSeed));
                r = AutoBenchmark.run(m, CliSupport.prune(m, repair), calib, split, auto.candidateList(repair.unitSelection()),
                        CliSupport.passConfig(repair), common.batchSize, common.device,
                        CliSupport.terminalProgress(spec.commandLine().getErr(), "bench auto"));
            }
        } else if ("estimate".equals(what)) {
            try (ImageDataset calib = CliSupport.calibration(spec, common, repair, m)) {
                int[] idx = CalibrationSampler.indices(calib, repair.calibN, CalibrationSampler.parseSeed(repair.calibSeed));
                r = EstimateBenchmark.run(m, CliSupport.prune(m, repair).settings(), calib, idx,
                        CliSupport.passConfig(repair), common.device,
                        CliSupport.terminalProgress(spec.commandLine().getErr(), "bench estimate"));
            }
        } else if ("forward".equals(what)) {
            try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test")) {
                int limit = common.limit == null ? data.size() : common.limit;
                r = ForwardBenchmark.run(m, data, limit, common.batchSize, rounds, common.device);
            }
        } else if ("onnx".equals(what)) {
            if (reference == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--what onnx needs --reference FILE");
            }
            LoadedModel ref = org.asrworkbench.core.model.ModelLoader.load(reference, null, common.norm);
            try (ImageDataset data = CliSupport.data(spec, common, m, common.data, "test")) {
                int limit = common.limit == null ? data.size() : common.limit;
                r = org.asrworkbench.core.bench.OnnxBenchmark.run(m, ref, data, limit, common.batchSize, rounds,
                        common.device);
            }
        } else {
            throw new IllegalArgumentException("--what must be forward, pass, auto, estimate or onnx, not " + what);
        }
        JsonOut.print(spec.commandLine().getOut(), r);
        return 0;
    }
}
