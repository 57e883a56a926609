package org.asrworkbench.app;

import ai.djl.Device;
import org.asrworkbench.app.controller.EstimateController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.Debounce;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.stats.NetworkStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live sparsity through the controllers, without the FX toolkit, on the bundled ResNet-20
 * sample: the estimate follows every change at once, the exact pass runs when the debounce fires
 * and replaces it, a newer change supersedes a pending or running pass.
 */
class EstimateControllerTest {
    private static final Path MODEL = Path.of("sample-models/resnet20-w0.5-fashion.safetensors");
    private static final Path CALIB = Path.of("sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz");

    /** A debounce fired by the test. */
    static final class ManualDebounce implements Debounce {
        Runnable pending;

        @Override
        public void schedule(Runnable action) {
            pending = action;
        }

        @Override
        public void cancel() {
            pending = null;
        }

        boolean fire() {
            Runnable r = pending;
            pending = null;
            if (r != null) {
                r.run();
            }
            return r != null;
        }
    }

    private record Bench(WorkbenchModel model, ComputeService compute, RepairController repair,
                         EstimateController estimate, ManualDebounce debounce, List<String> errors) {
    }

    private static Bench open(java.util.concurrent.Executor jobs) {
        return open(jobs, Runnable::run);
    }

    private static Bench open(java.util.concurrent.Executor jobs, java.util.concurrent.Executor updates) {
        WorkbenchModel model = new WorkbenchModel();
        ComputeService compute = new ComputeService(model, jobs, Runnable::run, Device::cpu);
        List<String> errors = new ArrayList<>();
        compute.setErrorSink(errors::add);
        ModelController models = new ModelController(model, compute);
        RepairController repair = new RepairController(model, compute);
        ManualDebounce debounce = new ManualDebounce();
        EstimateController estimate = new EstimateController(model, compute, repair, updates, Runnable::run, debounce);
        model.calibNProperty().set(48);
        model.methodProperty().set(RepairMethod.ASR);
        model.sparsityProperty().set(0.5);
        return new Bench(model, compute, repair, estimate, debounce, errors);
    }

    private static void openFiles(Bench b, Deque<Runnable> queue) {
        assertTrue(new ModelController(b.model(), b.compute()).openModel(MODEL));
        drain(queue);
        assertTrue(new ModelController(b.model(), b.compute()).openCalibDataset(CALIB));
        drain(queue);
    }

    private static void drain(Deque<Runnable> queue) {
        if (queue != null) {
            while (!queue.isEmpty()) {
                queue.poll().run();
            }
        }
    }

    /** A user's move: the setting, then the controls' callback. */
    private static void set(Bench b, Runnable change) {
        change.run();
        b.estimate().pruningChanged();
    }

    /**
     * One step of a drag: the views keep the latest estimate until the new one lands (they never
     * go blank in between, which rebuilt every row, preview and chart twice per step), and the
     * previews arrive with the estimate, computed on the update thread, not redone on the UI thread.
     */
    @Test
    void aDragStepKeepsTheViewsUntilItsEstimateLandsWithItsPreviews() {
        Deque<Runnable> updates = new ArrayDeque<>();
        Bench b = open(Runnable::run, updates::add);
        openFiles(b, null);
        WorkbenchModel m = b.model();
        set(b, () -> m.sparsityProperty().set(0.8));
        drain(updates);
        NetworkStats first = m.getViewStats();
        assertEquals(0.8, first.setting(NetworkStats.SPARSITY));
        assertTrue(previewsCameWithTheEstimate(m), "the previews came with the estimate");
        List<NetworkStats> shown = new ArrayList<>();
        m.viewStatsProperty().addListener((o, a, s) -> shown.add(s));
        var rows = List.copyOf(m.getUnitRows());

        m.moveSparsity(0.81);
        b.estimate().pruningChanged(true);
        assertSame(first, m.getViewStats(), "the latest estimate stays while 0.81's is computed");
        assertEquals(rows, m.getUnitRows(), "the rows stay");
        assertTrue(m.showingEstimateProperty().get());
        assertEquals(List.of(), shown);
        drain(updates);
        assertEquals(1, shown.size(), "one change, to the new estimate: " + shown);
        assertEquals(0.81, m.getViewStats().setting(NetworkStats.SPARSITY));
        assertTrue(previewsCameWithTheEstimate(m));

        // a method parameter moved after the request: the previews shown are those of the new value
        m.moveSparsity(0.82);
        b.estimate().pruningChanged(true);
        m.paramProperty("lambda").set(1.0);
        drain(updates);
        assertFalse(previewsCameWithTheEstimate(m), "computed for lambda 0.25, so redone");
        assertEquals(1.0, m.getPreviews().get(RepairMethod.ASR).settings().params().get("lambda"));
    }

    /** The plans shown are the very objects computed with the estimate (the model copies the map, not the plans). */
    private static boolean previewsCameWithTheEstimate(WorkbenchModel m) {
        var computed = m.getEstimate().previews();
        return computed != null && !m.getPreviews().isEmpty() && m.getPreviews().keySet().equals(computed.keySet())
                && m.getPreviews().entrySet().stream().allMatch(e -> e.getValue() == computed.get(e.getKey()));
    }

    @Test
    void theEstimateFollowsTheSparsityAndTheExactPassReplacesItWhenItRests() {
        Bench b = open(Runnable::run);
        openFiles(b, null);
        WorkbenchModel m = b.model();
        assertFalse(b.estimate().ready());
        set(b, () -> m.sparsityProperty().set(0.8)); // first change: the covariances are gathered (a job), then the estimate shown
        assertTrue(b.estimate().ready(), b.errors().toString());
        assertEquals(List.of(), b.errors());
        assertTrue(m.showingEstimateProperty().get());
        NetworkStats shown = m.getViewStats();
        assertTrue(LocalEstimate.isEstimate(shown));
        assertEquals(0.8, shown.setting(NetworkStats.SPARSITY));
        assertFalse(m.getPreviews().isEmpty(), "repair previews from the estimate");
        for (UnitRow r : m.getUnitRows()) {
            assertTrue(r.estimate());
            assertEquals(shown.unit(r.unit()).R(), r.retention(), 0);
        }
        double sparsity = m.getUnitRows().get(1).sparsity();
        assertTrue(sparsity > 0.3 && sparsity < 1, "the layer's sparsity under the estimate's masks: " + sparsity);
        assertNull(m.getStats(), "no exact pass yet");
        m.sparsityProperty().set(0.82); // set by a session or a test, not by the user: nothing runs
        assertFalse(m.showingEstimateProperty().get(), "no estimate for 0.82 was asked for");
        assertNull(m.getViewStats());
        set(b, () -> { });

        set(b, () -> m.sparsityProperty().set(0.85)); // dragging on: the estimate follows, the pass waits
        assertEquals(0.85, m.getViewStats().setting(NetworkStats.SPARSITY));
        assertTrue(b.debounce().fire(), "the exact pass is scheduled for when the slider rests");
        assertFalse(m.showingEstimateProperty().get());
        NetworkStats exact = m.getViewStats();
        assertSame(m.getStats(), exact);
        assertFalse(LocalEstimate.isEstimate(exact));
        assertEquals(0.85, exact.setting(NetworkStats.SPARSITY));
        assertFalse(m.getUnitRows().get(0).estimate());
        assertEquals(0.85, m.getEstimate().settings().sparsity(), "the estimate of the same pruning stays for the overlay");
        // first unit: the estimate (first 48 images, N_est = N here) is the pass's retention
        String first = exact.units().get(0).unit();
        assertEquals(exact.unit(first).R(), m.getEstimate().stats().unit(first).R(), 1e-4);
        assertEquals(1, b.repair().denseCacheFills());

        set(b, () -> m.pruneKindProperty().set(PruneKind.FILTER_L1)); // a kind change: estimate at once
        assertTrue(m.showingEstimateProperty().get());
        assertEquals("filter-l1", m.getViewStats().setting(NetworkStats.PRUNE));
        set(b, () -> m.sparsityProperty().set(0.3));
        set(b, () -> m.sparsityProperty().set(0.4)); // two changes, one pass: for the newest settings
        assertTrue(b.debounce().fire());
        assertFalse(b.debounce().fire());
        assertEquals(0.4, m.getStats().setting(NetworkStats.SPARSITY));
        assertEquals("filter-l1", m.getStats().setting(NetworkStats.PRUNE));
        assertEquals(1, b.repair().denseCacheFills(), "every later pass reads D's side from the cache");
        assertEquals(List.of(), b.errors());
    }

    @Test
    void aNewerChangeCancelsTheRunningBackgroundPassAndStartsOneForTheNewestSettings() {
        Deque<Runnable> queue = new ArrayDeque<>();
        Bench b = open(queue::add);
        openFiles(b, queue);
        WorkbenchModel m = b.model();
        set(b, () -> m.sparsityProperty().set(0.7));
        drain(queue); // the covariances
        assertTrue(b.estimate().ready());
        assertEquals(0.7, m.getViewStats().setting(NetworkStats.SPARSITY));
        assertTrue(b.debounce().fire());
        assertTrue(b.compute().isBusy(), "the exact pass for 0.7 is queued");
        set(b, () -> m.sparsityProperty().set(0.9));
        assertEquals(0.9, m.getViewStats().setting(NetworkStats.SPARSITY), "the estimate follows while the pass waits");
        assertTrue(b.debounce().fire()); // rests again: the running pass is cancelled ...
        queue.poll().run();
        assertEquals(JobStatus.RUNNING, m.jobStatusProperty().get(), "... and one for 0.9 started");
        drain(queue);
        assertNotNull(m.getStats());
        assertEquals(0.9, m.getStats().setting(NetworkStats.SPARSITY));
        assertFalse(m.showingEstimateProperty().get());
        assertEquals(List.of(), b.errors());
    }
}
