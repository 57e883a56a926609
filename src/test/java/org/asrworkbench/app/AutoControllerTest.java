package org.asrworkbench.app;

import ai.djl.Device;
import javafx.beans.value.ChangeListener;
import org.asrworkbench.app.controller.AutoController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench's Auto action through its controller, without the FX toolkit (jobs and UI
 * updates on the calling thread), on the bundled sample ResNet-20 with its Fashion-MNIST subsets:
 * three candidates, N = 64 statistics images and N_sel = 64 selection images.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoControllerTest {
    private static final List<RepairSettings> CANDIDATES = List.of(RepairSettings.of(RepairMethod.BN_RECAL),
            RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), RepairSettings.of(RepairMethod.ASR, "lambda", 1));

    private final WorkbenchModel model = new WorkbenchModel();
    private final ComputeService compute = new ComputeService(model, Runnable::run, Runnable::run, Device::cpu);
    private final AutoController auto = new AutoController(model, compute);
    private final RepairController repair = new RepairController(model, compute);
    private final List<String> errors = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final List<Double> fractions = new ArrayList<>();

    @BeforeAll
    void open() {
        compute.setErrorSink(errors::add);
        model.jobMessageProperty().addListener((o, a, b) -> messages.add(b));
        model.jobProgressProperty().addListener((o, a, b) -> fractions.add(b.doubleValue()));
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow(() ->
                new AssertionError("the bundled sample-models/ folder is missing"));
        assertTrue(new ModelController(model, compute).openSample(sample));
        assertEquals(List.of(), errors);
        model.calibNProperty().set(64);
        model.selectNProperty().set(64);
        model.evalLimitProperty().set(200);
        model.sparsityProperty().set(0.8);
    }

    @Test
    @Order(1)
    void autoFillsTheTableAndSetsMethodAndLambdaToTheChoice() {
        model.methodProperty().set(RepairMethod.LAYER_WISE);
        model.lambdaProperty().set(3.0);
        messages.clear();
        fractions.clear();
        assertTrue(auto.auto(CANDIDATES));
        assertEquals(List.of(), errors);
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get());
        assertFalse(compute.isBusy());
        for (int k = 1; k <= 3; k++) {
            String expected = "candidate " + k + " of 3";
            assertTrue(messages.stream().anyMatch(m -> m.contains(expected)), expected + " in " + messages);
        }
        List<Double> running = fractions.subList(0, fractions.size() - 1); // the last is the finished job's 1
        for (int i = 1; i < running.size(); i++) {
            assertTrue(running.get(i) >= running.get(i - 1), "the progress bar only moves forward: " + running);
        }

        List<CandidateScore> table = model.getAutoCandidates();
        assertEquals(CANDIDATES, table.stream().map(CandidateScore::settings).toList());
        int chosen = model.autoChosenProperty().get();
        assertTrue(chosen >= 0, "a candidate is chosen");
        assertEquals(AutoSelect.choose(table), chosen);
        assertTrue(table.stream().noneMatch(CandidateScore::isFailed), table.toString());
        assertTrue(table.stream().allMatch(c -> c.top1() != null), "the sample's evaluation data has labels");
        assertEquals(200, table.get(0).eval().n());

        RepairSettings choice = table.get(chosen).settings();
        assertEquals(choice.method(), model.methodProperty().get());
        assertEquals(choice.method() == RepairMethod.ASR ? choice.param("lambda") : 3.0, model.lambdaProperty().get());
        NetworkStats stats = model.getStats();
        assertNotNull(stats, "the chosen candidate's pass becomes the current statistics");
        assertEquals(choice.method().id(), stats.setting(NetworkStats.METHOD));
        assertEquals(choice, model.getAppliedPlan().settings());
        assertEquals(choice.method(), model.getPreviewPlan().settings().method(), "the preview continues from the choice");
        assertTrue(model.pruneIsCurrent());
        assertTrue(model.autoSummaryProperty().get().startsWith("Chosen: " + table.get(chosen).label()),
                model.autoSummaryProperty().get());
    }

    @Test
    @Order(2)
    void cancelledAutoLeavesThePreviousResultAndControls() {
        List<CandidateScore> table = List.copyOf(model.getAutoCandidates());
        int chosen = model.autoChosenProperty().get();
        NetworkStats stats = model.getStats();
        RepairPlan plan = model.getAppliedPlan();
        RepairMethod method = model.methodProperty().get();
        double lambda = model.lambdaProperty().get();
        String summary = model.autoSummaryProperty().get();
        ChangeListener<String> cancelAtSecond = (o, a, b) -> {
            if (b.contains("candidate 2 of 3")) {
                compute.cancel();
            }
        };
        model.jobMessageProperty().addListener(cancelAtSecond);
        try {
            assertTrue(auto.auto(List.of(RepairSettings.of(RepairMethod.CHANNEL_WISE), RepairSettings.of(RepairMethod.ASR, "lambda", 0.5),
                    RepairSettings.of(RepairMethod.LAYER_WISE))));
        } finally {
            model.jobMessageProperty().removeListener(cancelAtSecond);
        }
        assertEquals(JobStatus.CANCELLED, model.jobStatusProperty().get());
        assertFalse(compute.isBusy());
        assertEquals(table, model.getAutoCandidates());
        assertEquals(chosen, model.autoChosenProperty().get());
        assertSame(stats, model.getStats());
        assertSame(plan, model.getAppliedPlan());
        assertEquals(method, model.methodProperty().get());
        assertEquals(lambda, model.lambdaProperty().get());
        assertEquals(summary, model.autoSummaryProperty().get());
        assertEquals(List.of(), errors);
    }

    @Test
    @Order(3)
    void selectionSetMustFitBesideTheCalibrationImages() {
        model.selectNProperty().set(5000);
        try {
            assertTrue(auto.auto(CANDIDATES));
            assertEquals(JobStatus.FAILED, model.jobStatusProperty().get());
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).contains("fashion-calib-2000") && errors.get(0).contains("only 2000"), errors.get(0));
            assertEquals(3, model.getAutoCandidates().size(), "the previous result stays");
        } finally {
            errors.clear();
            model.selectNProperty().set(64);
        }
        model.selectNProperty().set(0);
        assertThrows(IllegalArgumentException.class, () -> auto.auto(CANDIDATES));
        model.selectNProperty().set(64);
    }

    @Test
    @Order(4)
    void aNewPruningDropsTheAutoResult() {
        assertFalse(model.getAutoCandidates().isEmpty());
        model.sparsityProperty().set(0.5);
        assertTrue(repair.prune());
        assertTrue(model.getAutoCandidates().isEmpty());
        assertEquals(-1, model.autoChosenProperty().get());
        assertEquals("", model.autoSummaryProperty().get());
    }

    /** A method whose every decision fails, so that auto has no candidate to choose. */
    private static RepairMethod broken(String id) {
        return new RepairMethod() {
            public String id() { return id; }
            public String displayName() { return id; }
            public String description() { return "fails on purpose"; }
            public List<org.asrworkbench.core.repair.MethodParam> params() { return List.of(); }
            public org.asrworkbench.core.repair.UnitRepair decide(org.asrworkbench.core.stats.UnitStats stats,
                                                                  java.util.Map<String, Double> params) {
                throw new IllegalStateException(id + " cannot repair " + stats.unit());
            }
            public String key() { return id; }
            public boolean isIdentity() { return false; }
            public org.asrworkbench.core.repair.MethodParam param(String name) { return null; }
        };
    }

    /**
     * Auto whose candidates all fail is a failed job, and a failed job changes nothing: it
     * committed its new pruning and its candidates table before it threw to mark the job failed.
     * The failure says why each candidate failed (the table that said it is not shown).
     */
    @Test
    @Order(5)
    void anAutoWhoseCandidatesAllFailChangesNothing() {
        assertTrue(auto.auto(CANDIDATES));
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get(), errors.toString());
        var prune = model.getPruneResult();
        var table = List.copyOf(model.getAutoCandidates());
        int chosen = model.autoChosenProperty().get();
        String summary = model.autoSummaryProperty().get();
        var stats = model.getStats();
        var method = model.methodProperty().get();
        model.sparsityProperty().set(0.6); // the job prunes anew: the pruning it made must not land either
        errors.clear();
        assertTrue(auto.auto(List.of(RepairSettings.of(broken("broken-a")), RepairSettings.of(broken("broken-b")))));
        assertEquals(JobStatus.FAILED, model.jobStatusProperty().get());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("every candidate failed") && errors.get(0).contains("broken-a cannot repair")
                && errors.get(0).contains("broken-b cannot repair"), errors.get(0));
        assertSame(prune, model.getPruneResult(), "the pruning is as it was");
        assertEquals(table, List.copyOf(model.getAutoCandidates()), "the candidates table is as it was");
        assertEquals(chosen, model.autoChosenProperty().get());
        assertEquals(summary, model.autoSummaryProperty().get());
        assertSame(stats, model.getStats());
        assertSame(method, model.methodProperty().get());
        assertFalse(compute.isBusy());
    }
}
