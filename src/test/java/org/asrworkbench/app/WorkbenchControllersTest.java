package org.asrworkbench.app;

import ai.djl.Device;
import org.asrworkbench.app.controller.ExportController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.controller.SweepController;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.app.chart.ChartExport;
import org.asrworkbench.app.chart.Charts;
import org.asrworkbench.app.chart.RepairMetrics;
import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.stats.UnitStats;
import org.jfree.chart.JFreeChart;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench's main flow through the controllers, without the FX toolkit: jobs and UI
 * updates run on the calling thread, on the shared ResNet-20 and CIFAR-10 files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchControllersTest {
    private final WorkbenchModel model = new WorkbenchModel();
    private final ComputeService compute = new ComputeService(model, Runnable::run, Runnable::run, Device::cpu);
    private final ModelController models = new ModelController(model, compute);
    private final RepairController repair = new RepairController(model, compute);
    private final SessionController sessions = new SessionController(model, compute);
    private final ExportController exports = new ExportController(model, compute);
    private final List<String> errors = new ArrayList<>();
    private NetworkStats firstPass;
    @TempDir
    Path tmp;

    @BeforeAll
    void open() {
        compute.setErrorSink(errors::add);
        model.normalizationProperty().set("cifar");
        assertTrue(models.openModel(SharedData.resnet20Safetensors()));
        assertTrue(models.openEvalDataset(SharedData.cifarTest()));
        assertTrue(models.openCalibDataset(SharedData.cifarCalib()));
        assertEquals(List.of(), errors);
        model.calibNProperty().set(64);
        model.evalLimitProperty().set(200);
        model.sparsityProperty().set(0.9);
    }

    @Test
    @Order(1)
    void pruneFillsTheLayerTable() {
        assertEquals(null, model.selectedUnitProperty().get(), "no unit is preselected before a pass (not conv1)");
        assertNotNull(model.getModel());
        assertEquals(19, model.getUnitRows().size(), "ResNet-20 has 19 conv+BN units");
        assertTrue(Double.isNaN(model.getUnitRows().get(5).sparsity()));
        assertTrue(repair.prune());
        assertEquals(0.9, model.getPruneResult().achieved(), 0.01);
        assertTrue(model.pruneIsCurrent());
        assertFalse(Double.isNaN(model.getUnitRows().get(5).sparsity()));
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get());
    }

    @Test
    @Order(2)
    void passGivesStatisticsAndPreviewsFollowLambda() {
        assertTrue(repair.statisticsPass());
        NetworkStats stats = model.getStats();
        firstPass = stats;
        assertEquals(1, repair.denseCacheFills(), "a new pass fills the dense cache");
        assertEquals(stats.units().get(Heterogeneity.mostInstructive(stats.units())).unit(),
                model.selectedUnitProperty().get(), "the first pass selects the most instructive unit, not the first");
        assertNotNull(stats);
        assertEquals(19, stats.units().size());
        assertFalse(model.getAppliedPlan().preview());
        assertEquals(RepairMethods.builtins().size(), model.getPreviews().size());
        RepairPlan before = model.getPreviewPlan();
        assertTrue(before.preview());
        String deep = stats.units().get(15).unit();
        float[] gainsBefore = before.unit(deep).gain().clone();

        model.lambdaProperty().set(4.0);

        RepairPlan after = model.getPreviewPlan();
        assertEquals(4.0, after.settings().param("lambda"));
        assertSame(stats, model.getStats(), "a lambda change must not run a pass");
        assertNotEquals(gainsBefore[0] + gainsBefore[1], after.unit(deep).gain()[0] + after.unit(deep).gain()[1]);
        assertFalse(Double.isNaN(model.getUnitRows().get(15).retention()));
        model.lambdaProperty().set(0.25);
    }

    @Test
    @Order(3)
    void applyAndEvaluateAddsARun() {
        assertTrue(repair.applyAndEvaluate());
        assertSame(firstPass, model.getStats(), "Apply reuses the pass of order 2 (same model, pruning, N, seed, method, lambda)");
        assertTrue(model.jobMessageProperty().get().contains("reused the statistics pass"), model.jobMessageProperty().get());
        assertEquals(1, repair.denseCacheFills(), "a reused pass runs nothing, so it neither fills nor reads the dense cache");
        assertEquals(1, model.getRuns().size());
        RunRecord r = model.getRuns().get(0);
        assertEquals("asr", r.method());
        assertEquals(200, r.images());
        assertEquals(64, r.n());
        assertTrue(r.top1() > 0.3 && r.top1() <= 1, "top-1 " + r.top1());
        assertTrue(r.top1Dense() > 0.8, "ResNet-20's dense top-1 " + r.top1Dense());
        assertTrue(r.top1Pruned() < r.top1(), "90% pruned without repair " + r.top1Pruned() + " vs repaired " + r.top1());
        assertEquals(r.top1() - r.top1Pruned(), r.gainOverNone());
        assertEquals("cifar", r.normalization());
        assertEquals(0.25, model.getStats().setting(NetworkStats.LAMBDA));
        String status = model.jobMessageProperty().get();
        assertTrue(status.contains("top-1 " + Formats.percent(r.top1())) && status.contains("dense "
                + Formats.percent(r.top1Dense())), status);

        model.lambdaProperty().set(1.0);
        assertTrue(repair.applyAndEvaluate());
        assertNotEquals(firstPass, model.getStats(), "another lambda is another pass");
        RunRecord second = model.getRuns().get(1);
        assertEquals(r.top1Dense(), second.top1Dense(), "dense and pruned top-1 are measured once per pruning");
        assertEquals(r.top1Pruned(), second.top1Pruned());
        assertEquals(2, model.getPasses().size(), "both passes are kept for comparison");
        model.lambdaProperty().set(0.25);
        assertTrue(repair.statisticsPass());
        assertSame(firstPass, model.getStats(), "a kept pass comes back without a forward pass");
        assertEquals(2, model.getPasses().size());
    }

    @Test
    @Order(4)
    void cancelledJobLeavesTheStateAsItWas() {
        PruneResult prune = model.getPruneResult();
        NetworkStats stats = model.getStats();
        RepairPlan plan = model.getAppliedPlan();
        javafx.beans.value.ChangeListener<Number> cancelEarly = (o, a, b) -> {
            if (b.doubleValue() > 0.05) {
                compute.cancel();
            }
        };
        model.jobProgressProperty().addListener(cancelEarly);
        model.methodProperty().set(RepairMethod.LAYER_WISE);
        model.sparsityProperty().set(0.8);
        assertTrue(repair.applyAndEvaluate());
        assertEquals(JobStatus.CANCELLED, model.jobStatusProperty().get());
        assertSame(prune, model.getPruneResult());
        assertSame(stats, model.getStats());
        assertSame(plan, model.getAppliedPlan());
        assertEquals(2, model.getRuns().size());
        assertFalse(compute.isBusy());
        model.jobProgressProperty().removeListener(cancelEarly);
        model.methodProperty().set(RepairMethod.ASR);
        model.sparsityProperty().set(0.9);
    }

    @Test
    @Order(5)
    void failedOpenNamesTheFileAndKeepsTheModel() {
        LoadedModel before = model.getModel();
        Path missing = tmp.resolve("no-such-model.safetensors");
        assertTrue(models.openModel(missing));
        assertEquals(JobStatus.FAILED, model.jobStatusProperty().get());
        assertSame(before, model.getModel());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("no-such-model.safetensors"), errors.get(0));
        errors.clear();
    }

    @Test
    @Order(6)
    void exportsWriteRepairedModelStatsAndRuns() throws Exception {
        Path st = tmp.resolve("repaired.safetensors");
        assertTrue(exports.exportRepaired(st));
        assertEquals(List.of(), errors);
        var sd = SafetensorsReader.read(st);
        assertEquals("asr", sd.metadata().get("asr.method"));
        Path json = tmp.resolve("stats.json");
        exports.exportStats(json);
        assertEquals(19, StatsJson.read(json).units().size());
        Path csv = tmp.resolve("runs.csv");
        exports.exportRuns(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("resnet20.safetensors,global-magnitude,0.9000"), lines.get(1));
        assertTrue(lines.get(0).endsWith(",top1Dense,top1Pruned,gainOverNone,normalization"), lines.get(0));
        assertTrue(lines.get(1).endsWith(",cifar"), lines.get(1));
    }

    @Test
    @Order(7)
    void everyChartExportsAsPngAndSvg() throws Exception {
        NetworkStats stats = model.getStats();
        UnitStats unit = stats.units().get(10);
        var previews = model.getPreviews();
        List<JFreeChart> charts = List.of(Charts.layers(stats, previews, null, null, false),
                Charts.layers(stats, previews, stats, "itself", false),
                Charts.channels(unit, previews, Charts.COMPARED, Charts.DEFAULT_CHANNEL_VALUE, 3, true),
                Charts.damageMap(stats, null, null, unit.unit(), 3, false), Charts.damageMap(stats, stats, "itself", null, -1, true),
                Charts.runs(model.getRuns(), false), Charts.teaching(unit, previews, Charts.COMPARED, false));
        for (int i = 0; i < charts.size(); i++) {
            Path png = tmp.resolve("chart" + i + ".png");
            Path svg = tmp.resolve("chart" + i + ".svg");
            ChartExport.write(charts.get(i), png, 800, 500);
            ChartExport.write(charts.get(i), svg, 800, 500);
            assertEquals(800, ImageIO.read(png.toFile()).getWidth());
            assertTrue(Files.readString(svg).contains("<svg"), svg.toString());
        }
        assertTrue(RepairMetrics.retentionAfter(unit, previews.get(RepairMethod.CHANNEL_WISE).unit(unit.unit())) > unit.R(),
                "channel-wise repair restores retention above the pruned network's");
    }

    @Test
    @Order(8)
    void sessionRoundTrip() throws Exception {
        Path file = tmp.resolve("session.json");
        model.lambdaProperty().set(0.5);
        sessions.save(file);
        var saved = sessions.snapshot();

        WorkbenchModel other = new WorkbenchModel();
        ComputeService otherCompute = new ComputeService(other, Runnable::run, Runnable::run, Device::cpu);
        List<String> otherErrors = new ArrayList<>();
        otherCompute.setErrorSink(otherErrors::add);
        assertTrue(new SessionController(other, otherCompute).load(file));
        assertEquals(List.of(), otherErrors);
        assertEquals(saved, new SessionController(other, otherCompute).snapshot());
        assertEquals(0.5, other.lambdaProperty().get());
        assertEquals(model.getRuns(), other.getRuns());
        assertNotNull(other.getModel());
        assertNotNull(other.getCalibDataset());

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{ not json");
        assertTrue(new SessionController(other, otherCompute).load(broken));
        assertEquals(1, otherErrors.size());
        assertTrue(otherErrors.get(0).contains("broken.json"), otherErrors.get(0));
        assertEquals(0.5, other.lambdaProperty().get());
    }

    @Test
    @Order(9)
    void sweepAddsItsRunsTogether() {
        SweepController sweeps = new SweepController(model, compute);
        SweepController.Plan grid = SweepController.grid(List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5, 0.9",
                List.of(RepairMethod.NONE, RepairMethod.ASR), java.util.Map.of("lambda", "0.25"), "0", 32);
        int before = model.getRuns().size();
        int[] changes = {0};
        model.getRuns().addListener((javafx.collections.ListChangeListener<RunRecord>) c -> changes[0]++);
        assertTrue(sweeps.sweep(grid));
        assertEquals(List.of(), errors);
        assertEquals(before + 4, model.getRuns().size());
        assertEquals(1, changes[0], "a sweep's runs land in one change");
        List<RunRecord> added = model.getRuns().subList(before, before + 4);
        assertEquals(List.of("none", "asr", "none", "asr"), added.stream().map(RunRecord::method).toList());
        assertEquals(0.9, added.get(3).sparsity());
        assertEquals(32, added.get(3).n());
        assertTrue(added.get(3).top1() > added.get(2).top1(), "ASR repairs the 90% pruned network: " + added);
        String csv = ExportController.runsCsv(added);
        assertTrue(csv.lines().skip(1).findFirst().orElseThrow().contains(",none,,32,"), csv);

        // a grid above SweepGrid.MAX_CELLS is refused with its count before any work (issue 21)
        String hundred = java.util.stream.IntStream.range(0, 100).mapToObj(i -> String.format(java.util.Locale.ROOT,
                "%.2f", i / 100.0)).collect(java.util.stream.Collectors.joining(","));
        String seeds = java.util.stream.IntStream.range(0, 1000).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        SweepController.Plan huge = SweepController.grid(List.of(PruneKind.GLOBAL_MAGNITUDE), hundred,
                List.of(RepairMethod.ASR), java.util.Map.of("lambda", hundred), seeds, 32);
        var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> sweeps.sweep(huge));
        assertTrue(refused.getMessage().contains("10000000 cells"), refused.getMessage());
        assertEquals(before + 4, model.getRuns().size());
        assertTrue(!compute.isBusy());
    }

    @Test
    @Order(10)
    void datasetsThatDoNotFitANewModelAreReportedAtOnce() {
        List<String> warnings = new ArrayList<>();
        compute.setWarningSink(warnings::add);
        var sample = org.asrworkbench.core.model.SampleModels.defaultSample().orElseThrow();
        assertTrue(models.openSample(sample));
        assertEquals(List.of(), errors);
        model.normalizationProperty().set("cifar");
        assertTrue(models.openModel(SharedData.resnet20Safetensors()));
        assertEquals(List.of(), errors);
        assertEquals(1, warnings.size(), "one warning for both datasets: " + warnings);
        assertTrue(warnings.get(0).contains("evaluation dataset does not fit resnet20.safetensors")
                && warnings.get(0).contains("calibration dataset"), warnings.get(0));
        assertEquals(null, model.getEvalDataset());
        assertEquals(null, model.getCalibDataset());
        assertEquals("cifar", model.modelNormalizationProperty().get());

        model.normalizationProperty().set(WorkbenchModel.SIDECAR);
        Path bare = tmp.resolve("bare.safetensors");
        try {
            Files.copy(SharedData.resnet20Safetensors(), bare);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(models.openModel(bare));
        assertEquals(1, errors.size());
        assertFalse(errors.get(0).contains("--norm"), errors.get(0));
        assertTrue(errors.get(0).contains("choose a Normalisation in the left panel"), errors.get(0));
        errors.clear();
        model.normalizationProperty().set("cifar");
    }

    @Test
    void sweepGridNamesTheBadField() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SweepController.grid(
                List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5, x", List.of(RepairMethod.ASR), java.util.Map.of("lambda", "0.25"),
                "0", 32));
        assertEquals("Sparsities: 'x' is not a number", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SweepController.grid(
                List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5", List.of(RepairMethod.ASR), java.util.Map.of("lambda", " "),
                "0", 32));
        assertTrue(e.getMessage().startsWith("lambda: give at least one value"), e.getMessage());
        assertEquals(java.util.Map.of(), SweepController.grid(List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5",
                List.of(RepairMethod.NONE), java.util.Map.of("lambda", ""), "none, 3", 8).axes());
    }
}
