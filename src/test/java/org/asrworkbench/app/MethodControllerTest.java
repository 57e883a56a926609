package org.asrworkbench.app;

import ai.djl.Device;
import org.asrworkbench.app.chart.Charts;
import org.asrworkbench.app.controller.MethodController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.rule.RuleMethod;
import org.jfree.chart.plot.CombinedRangeXYPlot;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Built-in methods and rule files in the workbench, through the controllers without the FX
 * toolkit (jobs run on the calling thread), on the bundled Fashion-MNIST sample.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MethodControllerTest {
    private static final Path FASHION = Path.of("sample-models/fashion-mnist");
    private final WorkbenchModel model = new WorkbenchModel();
    private final ComputeService compute = new ComputeService(model, Runnable::run, Runnable::run, Device::cpu);
    private final ModelController models = new ModelController(model, compute);
    private final RepairController repair = new RepairController(model, compute);
    private final MethodController methods = new MethodController(model, compute);
    private final List<String> errors = new ArrayList<>();
    private final List<Path> loaded = new ArrayList<>();
    @TempDir
    Path tmp;

    @BeforeAll
    void open() {
        compute.setErrorSink(errors::add);
        methods.setOnLoaded(loaded::add);
        assertTrue(models.openModel(Path.of("sample-models/resnet20-w0.5-fashion.safetensors")));
        assertTrue(models.openEvalDataset(FASHION.resolve("fashion-test-2000-images-idx3-ubyte.gz")));
        assertTrue(models.openCalibDataset(FASHION.resolve("fashion-calib-2000-images-idx3-ubyte.gz")));
        model.calibNProperty().set(48);
        model.evalLimitProperty().set(100);
        model.sparsityProperty().set(0.8);
        assertTrue(repair.statisticsPass());
        assertEquals(List.of(), errors);
    }

    @Test
    @Order(1)
    void everyBuiltInIsListedAndPreviewed() {
        assertEquals(RepairMethods.builtins(), model.getMethods());
        assertEquals(RepairMethods.builtins().size(), model.getPreviews().size());
        assertTrue(model.getPreviews().containsKey(RepairMethod.STAT_CORR));
        assertEquals(RepairMethod.ASR, model.methodProperty().get());
        // asr's lambda is the only parameter so far
        assertEquals(0.25, model.lambdaProperty().get());
        assertEquals(List.of("lambda"), model.settingsFor(RepairMethod.ASR).params().keySet().stream().toList());
    }

    @Test
    @Order(2)
    void aLoadedRuleJoinsTheListWithItsParameterAndPreview() {
        assertTrue(methods.loadRule(Path.of("rules/clamped-channel-wise.json")));
        assertEquals(List.of(), errors);
        assertEquals(List.of(Path.of("rules/clamped-channel-wise.json")), loaded);
        RepairMethod rule = model.methodProperty().get();
        assertEquals("rule:clamped-channel-wise", rule.id());
        assertEquals(RepairMethods.builtins().size() + 1, model.getMethods().size());
        assertEquals(4.0, model.paramProperty("limit").get());
        RepairPlan before = model.getPreviewPlan();
        assertNotNull(before);
        var stats = model.getStats();
        String unit = stats.units().get(stats.units().size() - 2).unit();
        float[] gains = before.unit(unit).gain().clone();
        model.paramProperty("limit").set(1.5);
        RepairPlan after = model.getPreviewPlan();
        assertSame(stats, model.getStats(), "a parameter change must not run a pass");
        assertEquals(1.5, after.settings().param("limit"));
        assertFalse(java.util.Arrays.equals(gains, after.unit(unit).gain()));
        for (float g : after.unit(unit).gain()) {
            assertTrue(g <= 1.5f + 1e-6f && g >= 1 / 1.5f - 1e-6f, "clamped: " + g);
        }
    }

    @Test
    @Order(3)
    void aRulesLetValuesArePlottableAndAnyTwoMethodsGoBesideAsr() {
        assertTrue(methods.loadRule(Path.of("rules/asr.json")));
        var u = model.getStats().units().get(5);
        var values = Charts.channelValues(u, model.getPreviews());
        assertTrue(values.containsKey("asr: w"));
        assertTrue(values.containsKey("rule:asr-as-rule: t"));
        assertTrue(values.containsKey("rule:asr-as-rule: w"));
        assertTrue(values.containsKey("gain: stat-corr"));
        assertArrayEquals(values.get("asr: w"), values.get("rule:asr-as-rule: w"), 1e-12);
        model.compareFirstProperty().set(RepairMethod.STAT_CORR);
        model.compareSecondProperty().set(model.getMethods().get(model.getMethods().size() - 1));
        assertEquals(List.of(RepairMethod.STAT_CORR, model.methodProperty().get(), RepairMethod.ASR),
                model.comparedMethods());
        var chart = Charts.teaching(u, model.getPreviews(), model.comparedMethods(), false);
        assertEquals(3, ((CombinedRangeXYPlot) chart.getPlot()).getSubplots().size());
        var channels = Charts.channels(u, model.getPreviews(), model.comparedMethods(), "rule:asr-as-rule: t", -1, false);
        assertNotNull(channels);
    }

    @Test
    @Order(5)
    void aRulesExactPassExportsItsLetValuesWithTheStatistics() throws Exception {
        model.methodProperty().set(model.getMethods().stream().filter(m -> m.id().equals("rule:asr-as-rule"))
                .findFirst().orElseThrow());
        errors.clear();
        assertTrue(repair.statisticsPass());
        assertEquals(List.of(), errors);
        assertEquals("rule:asr-as-rule", model.getAppliedPlan().settings().method().id());
        Path json = tmp.resolve("stats.json");
        new org.asrworkbench.app.controller.ExportController(model, compute).exportStats(json);
        var units = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("units");
        assertEquals(model.getStats().units().get(2).channels(), units.get(2).get("t").size());
        assertEquals(units.get(2).get("s2_d").size(), units.get(2).get("w").size());
        assertEquals("rule:asr-as-rule", new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile())
                .get("method").asText());
    }

    @Test
    @Order(4)
    void theSweepDialogsGridHasAnAxisPerParameter() {
        RepairMethod rule = model.getMethods().stream().filter(m -> m.id().equals("rule:clamped-channel-wise"))
                .findFirst().orElseThrow();
        var plan = org.asrworkbench.app.controller.SweepController.grid(
                List.of(org.asrworkbench.core.prune.PruneKind.GLOBAL_MAGNITUDE), "0.8, 0.9",
                List.of(RepairMethod.STAT_CORR, RepairMethod.ASR, rule),
                java.util.Map.of("lambda", "0.25, 1", "limit", "2, 4, 8", "unused", "x"), "0", 64);
        assertEquals(2 * (1 + 2 + 3), plan.cellCount());
        assertEquals(java.util.Set.of("lambda", "limit"), plan.axes().keySet(), "an axis no chosen method has is ignored");
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.asrworkbench.app.controller.SweepController.grid(
                        List.of(org.asrworkbench.core.prune.PruneKind.GLOBAL_MAGNITUDE), "0.8", List.of(rule),
                        java.util.Map.of("limit", "0.5"), "0", 64));
        assertTrue(bad.getMessage().contains("limit"), bad.getMessage());
    }

    @Test
    @Order(6)
    void aRuleThatCannotBeLoadedChangesNothing() throws Exception {
        Path evil = tmp.resolve("evil.json");
        Files.writeString(evil, "{\"name\": \"evil\", \"gain\": \"java.lang.System.exit(1)\"}");
        RepairMethod selected = model.methodProperty().get();
        int listed = model.getMethods().size();
        errors.clear();
        methods.loadRule(evil);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains(evil.toString()) && errors.get(0).contains("column 5"), errors.get(0));
        assertEquals(listed, model.getMethods().size());
        assertSame(selected, model.methodProperty().get());
    }

    @Test
    @Order(7)
    void aRuleThatFailsOnTheDataShowsWhyAndKeepsThePreviousState() throws Exception {
        Path nan = tmp.resolve("nan.json");
        Files.writeString(nan, "{\"name\": \"nan\", \"gain\": \"1 / (r - r)\"}");
        RepairPlan applied = model.getAppliedPlan();
        errors.clear();
        assertTrue(methods.loadRule(nan));
        assertEquals("rule:nan", model.methodProperty().get().id());
        assertTrue(model.lastErrorProperty().get().contains("rule 'nan'"), model.lastErrorProperty().get());
        assertFalse(model.getPreviews().containsKey(model.methodProperty().get()), "no preview of a failing rule");
        assertTrue(model.getPreviews().containsKey(RepairMethod.ASR), "the other previews stay");
        errors.clear();
        repair.applyAndEvaluate();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("fails on unit") && errors.get(0).contains("channel 0"), errors.get(0));
        assertSame(applied, model.getAppliedPlan(), "nothing is applied");
    }

    @Test
    @Order(8)
    void sessionsKeepTheRulesAndTheirParameters() throws Exception {
        model.methodProperty().set(model.getMethods().stream().filter(m -> m.id().equals("rule:clamped-channel-wise"))
                .findFirst().orElseThrow());
        model.paramProperty("limit").set(2.5);
        SessionController sessions = new SessionController(model, compute);
        Path file = tmp.resolve("s.asrsession.json");
        sessions.save(file);
        WorkbenchModel fresh = new WorkbenchModel();
        ComputeService freshCompute = new ComputeService(fresh, Runnable::run, Runnable::run, Device::cpu);
        List<String> freshErrors = new ArrayList<>();
        freshCompute.setErrorSink(freshErrors::add);
        assertTrue(new SessionController(fresh, freshCompute).load(file));
        assertEquals(List.of(), freshErrors);
        assertEquals("rule:clamped-channel-wise", fresh.methodProperty().get().id());
        assertTrue(fresh.methodProperty().get() instanceof RuleMethod);
        assertEquals(2.5, fresh.paramProperty("limit").get());
        assertEquals(model.getMethods().stream().map(RepairMethod::id).toList(),
                fresh.getMethods().stream().map(RepairMethod::id).toList());
        assertNotEquals(0, fresh.getMethods().size());
    }
}
