package org.asrworkbench.robustness;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.core.exec.Engines;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoublePredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Faults inside jobs: cancellation in each phase, errors thrown by a job, a device that cannot be
 * opened and an executor that refuses work. Each leaves the model and the session as they were,
 * and the next job runs.
 */
class JobFaultsTest {
    private Bench bench;

    /** The sample opened, pruned, passed and evaluated once, so that every part of the state is set. */
    @BeforeEach
    void workedSession() {
        bench = new Bench().openSample();
        assertTrue(bench.repair.applyAndEvaluate());
        assertEquals(JobStatus.SUCCEEDED, bench.model.jobStatusProperty().get(), bench.errors.toString());
        assertEquals(1, bench.model.getRuns().size());
        bench.model.sparsityProperty().set(0.7);
        bench.model.calibNProperty().set(256);
    }

    /** Cancels the running job at the first progress report whose fraction passes {@code when}; returns that fraction. */
    private AtomicReference<Double> cancelWhen(DoublePredicate when) {
        AtomicReference<Double> at = new AtomicReference<>();
        bench.model.jobProgressProperty().addListener((o, was, now) -> {
            if (at.get() == null && bench.compute.isBusy() && when.test(now.doubleValue())) {
                at.set(now.doubleValue());
                bench.compute.cancel();
            }
        });
        return at;
    }

    /** Cancels the running job once, when its status message contains {@code part}. */
    private void cancelOnMessage(String part) {
        AtomicBoolean done = new AtomicBoolean();
        bench.model.jobMessageProperty().addListener((o, was, now) -> {
            if (now != null && now.contains(part) && !done.getAndSet(true)) {
                bench.compute.cancel();
            }
        });
    }

    private void assertCancelled(Bench.State before) {
        assertEquals(JobStatus.CANCELLED, bench.model.jobStatusProperty().get());
        assertEquals(java.util.List.of(), bench.errors, "a cancellation is not an error");
        bench.assertUnchanged(before);
        bench.assertNextJobRuns();
    }

    @Test
    void cancelWhileLoadingAModel() {
        Bench.State before = bench.state();
        cancelOnMessage("reading");
        assertTrue(bench.models.openModel(Bench.SAMPLE));
        assertCancelled(before);
    }

    @Test
    void cancelWhilePruning() {
        Bench.State before = bench.state();
        cancelOnMessage("ranking weights");
        assertTrue(bench.repair.prune());
        assertCancelled(before);
    }

    @Test
    void cancelDuringTheStatisticsPass() {
        Bench.State before = bench.state();
        AtomicReference<Double> at = cancelWhen(f -> f > 0 && f < 1);
        assertTrue(bench.repair.statisticsPass());
        assertTrue(at.get() != null && at.get() < 1, "cancelled within the pass at " + at.get());
        assertCancelled(before);
    }

    @Test
    void cancelDuringEvaluation() {
        Bench.State before = bench.state();
        AtomicReference<Double> at = cancelWhen(f -> f >= 0.6);
        assertTrue(bench.repair.applyAndEvaluate());
        assertTrue(at.get() != null && at.get() >= 0.6, "cancelled in the evaluation phase at " + at.get());
        assertCancelled(before);
    }

    private void assertFailed(Bench.State before, String message) {
        assertEquals(JobStatus.FAILED, bench.model.jobStatusProperty().get());
        assertEquals(1, bench.errors.size(), bench.errors.toString());
        assertTrue(bench.errors.get(0).contains(message), bench.errors.get(0));
        bench.assertUnchanged(before);
        bench.assertNextJobRuns();
    }

    @Test
    void outOfMemoryInsideAJob() {
        Bench.State before = bench.state();
        assertTrue(bench.compute.submit("Allocate", p -> {
            throw new OutOfMemoryError("Java heap space");
        }, r -> fail("a failed job commits nothing")));
        assertFailed(before, "out of memory (Java heap space)");
    }

    @Test
    void outOfMemoryWhileCommittingAResult() {
        Bench.State before = bench.state();
        assertTrue(bench.compute.submit("Commit", p -> 1, r -> {
            throw new OutOfMemoryError("Java heap space");
        }));
        assertFailed(before, "out of memory");
    }

    @Test
    void stackOverflowInsideAJob() {
        Bench.State before = bench.state();
        assertTrue(bench.compute.submit("Recurse", p -> {
            throw new StackOverflowError();
        }, r -> fail("a failed job commits nothing")));
        assertFailed(before, "StackOverflowError");
    }

    @Test
    void gpuRequestedWithoutAGpu() {
        if (Engines.gpuCount() > 0) {
            return; // the device opens here; deviceThatFailsToOpen covers the failure
        }
        bench = new Bench(Runnable::run, () -> Engines.device("gpu")).openSample();
        Bench.State before = bench.state();
        assertTrue(bench.repair.statisticsPass());
        assertFailed(before, "reports no GPU");
    }

    @Test
    void deviceThatFailsToOpen() {
        bench = new Bench(Runnable::run, () -> {
            throw new EngineException("CUDA error: all CUDA-capable devices are busy or unavailable");
        }).openSample();
        Bench.State before = bench.state();
        assertTrue(bench.repair.applyAndEvaluate());
        assertFailed(before, "CUDA-capable devices are busy");
    }

    @Test
    void executorThatRefusesAJob() {
        AtomicBoolean refuse = new AtomicBoolean();
        Executor flaky = r -> {
            if (refuse.getAndSet(false)) {
                throw new RejectedExecutionException("the compute thread has stopped");
            }
            r.run();
        };
        bench = new Bench(flaky, Device::cpu).openSample();
        Bench.State before = bench.state();
        refuse.set(true);
        assertFalse(bench.repair.statisticsPass(), "a refused job did not start");
        assertFailed(before, "the compute thread has stopped");
    }
}
