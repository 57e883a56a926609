package org.asrworkbench.robustness;

import ai.djl.Device;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.SessionFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench's controllers without the FX toolkit (UI updates on the calling thread), opened
 * on the bundled Fashion-MNIST sample, with a way to take and compare its whole state.
 */
final class Bench {
    static final Path SAMPLE = Path.of("sample-models/resnet20-w0.5-fashion.safetensors");
    static final Path EVAL_IMAGES = Path.of("sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz");
    static final Path CALIB_IMAGES = Path.of("sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz");
    static final String NORM = "fashion-mnist";

    final WorkbenchModel model = new WorkbenchModel();
    final ComputeService compute;
    final ModelController models;
    final RepairController repair;
    final SessionController sessions;
    final List<String> errors = new ArrayList<>();

    Bench(Executor jobs, Supplier<Device> device) {
        compute = new ComputeService(model, jobs, Runnable::run, device);
        models = new ModelController(model, compute);
        repair = new RepairController(model, compute);
        sessions = new SessionController(model, compute);
        compute.setErrorSink(errors::add);
    }

    /** Jobs on the calling thread, on the CPU. */
    Bench() {
        this(Runnable::run, Device::cpu);
    }

    /** Opens the sample model and both datasets. */
    Bench openSample() {
        model.normalizationProperty().set(NORM);
        assertTrue(models.openModel(SAMPLE));
        assertTrue(models.openEvalDataset(EVAL_IMAGES));
        assertTrue(models.openCalibDataset(CALIB_IMAGES));
        assertEquals(List.of(), errors);
        model.calibNProperty().set(32);
        model.evalLimitProperty().set(200);
        return this;
    }

    /** Everything a job may change, and the session as it would be saved. */
    record State(Object model, Object eval, Object calib, Object prune, Object stats, Object plan,
                 List<RunRecord> runs, SessionFile session) {
    }

    State state() {
        return new State(model.getModel(), model.getEvalDataset(), model.getCalibDataset(), model.getPruneResult(),
                model.getStats(), model.getAppliedPlan(), List.copyOf(model.getRuns()), sessions.snapshot());
    }

    /** The state is {@code before} (the same objects, an equal session) and no job holds the service. */
    void assertUnchanged(State before) {
        State now = state();
        assertSame(before.model(), now.model(), "model");
        assertSame(before.eval(), now.eval(), "evaluation dataset");
        assertSame(before.calib(), now.calib(), "calibration dataset");
        assertSame(before.prune(), now.prune(), "pruning");
        assertSame(before.stats(), now.stats(), "statistics");
        assertSame(before.plan(), now.plan(), "applied plan");
        assertEquals(before.runs(), now.runs(), "runs");
        assertEquals(before.session(), now.session(), "session");
        assertFalse(compute.isBusy(), "the service is free for the next job");
    }

    /** The app is usable: a new pruning runs and lands. */
    void assertNextJobRuns() {
        errors.clear();
        model.sparsityProperty().set(model.sparsityProperty().get() == 0.5 ? 0.6 : 0.5);
        assertTrue(repair.prune(), "a job starts");
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get(), String.valueOf(errors));
        assertEquals(model.sparsityProperty().get(), model.getPruneResult().requested());
    }
}
