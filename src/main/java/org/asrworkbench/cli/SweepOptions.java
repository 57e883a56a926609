package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sweep crosses and where its results go, shared by {@code sweep} and {@code sweep submit}:
 * a JSON grid file ({@code --grid}), or the model options with these lists (one model).
 */
public final class SweepOptions {
    @Option(names = "--grid", paramLabel = "FILE", description = "JSON grid file (models, kinds, sparsities, methods,"
            + " lambdas, calibNs, seeds); replaces --model/--data and the lists below")
    Path grid;
    @Option(names = "--sparsities", split = ",", paramLabel = "S,...", converter = SettingOptions.Sparsity.class, defaultValue = "0.5,0.7,0.8,0.9,0.95")
    List<Double> sparsities;
    @Option(names = "--methods", split = ",", paramLabel = "M,...", defaultValue = "none,bn-recal,layer-wise,channel-wise,asr",
            description = "methods: built-in ids, bias-corr, stat-corr, rule:FILE (default: ${DEFAULT-VALUE})")
    List<String> methods;
    @Option(names = "--lambdas", split = ",", paramLabel = "L,...", defaultValue = "0.25",
            description = "the lambda axis, for every method with a parameter lambda (default: ${DEFAULT-VALUE})")
    List<Double> lambdas;
    @Option(names = "--param", paramLabel = "NAME=V,...", description = "an axis for the methods' parameter NAME"
            + " (repeatable), e.g. --param k=1,2,4; a parameter without an axis takes its default")
    Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--seeds", split = ",", paramLabel = "SEED,...", defaultValue = "0")
    List<String> seeds;
    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "(required) results directory: grid.json, cells/<id>.json, and the tables")
    Path outDir;

    /** The grid: read from {@code --grid}, or built from the options ({@code --prune} may list several kinds). */
    SweepGrid grid(CommandSpec spec, CommonOptions common, RepairOptions repair) throws IOException {
        // not picocli-required: a required option here would be demanded of `sweep merge`/`sweep status` too
        if (outDir == null) {
            throw new ParameterException(spec.commandLine(), "missing --out-dir DIR");
        }
        if (grid != null) {
            if (common.model != null || common.data != null) {
                throw new ParameterException(spec.commandLine(), "--grid replaces --model and --data: give one or the other");
            }
            return SweepGrid.read(grid);
        }
        if (common.model == null) {
            throw new ParameterException(spec.commandLine(), "missing --model FILE (or --grid FILE)");
        }
        if (common.data == null) {
            throw new ParameterException(spec.commandLine(), "missing --data FILE|DIR");
        }
        if (repair.calibData == null && !java.nio.file.Files.isDirectory(common.data)) {
            throw new ParameterException(spec.commandLine(), "missing --calib-data FILE|DIR (calibration images come"
                    + " from a training split, never from the evaluation data)");
        }
        SweepModel m = new SweepModel(common.model.toString(), common.arch, common.norm, common.data.toString(),
                repair.calibData == null ? null : repair.calibData.toString(), common.format, common.limit);
        List<PruneKind> kinds = Arrays.stream(repair.prune.split(",")).map(String::trim).map(PruneKind::parse).toList();
        List<RepairMethod> ms = methods.stream().map(String::trim).map(RepairMethods::parse).toList();
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        axes.put("lambda", lambdas);
        params.forEach((k, v) -> {
            if (axes.put(k, Arrays.stream(v.split(",")).map(String::trim).map(Double::parseDouble).toList()) != null
                    && !k.equals("lambda")) {
                throw new ParameterException(spec.commandLine(), "--param " + k + " is given twice");
            }
        });
        return new SweepGrid(List.of(m), kinds, sparsities, ms, axes, List.of(repair.calibN), seeds,
                repair.unitSelections());
    }
}
