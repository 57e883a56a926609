package org.asrworkbench.app;

import javafx.collections.ListChangeListener;
import org.asrworkbench.app.controller.ExportController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.SessionRecovery;
import org.asrworkbench.app.view.MainWindow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The workbench assembled: model, compute service, controllers and main window. Every run and
 * every finished job autosaves the session (atomically), so a closed window or a crash loses
 * nothing, and the next start after a crash offers the autosave back.
 */
public final class Workbench {
    /** Where the session is autosaved. */
    public static final Path AUTOSAVE = Path.of(System.getProperty("user.home"), ".asr-workbench", "autosave.json");

    private final WorkbenchModel model = new WorkbenchModel();
    private final ComputeService compute;
    private final ModelController models;
    private final RepairController repair;
    private final SessionController sessions;
    private final MainWindow window;
    private final SessionRecovery recovery;

    /**
     * @param jobs the background executor (one thread)
     * @param ui   the FX thread executor ({@code Platform::runLater})
     */
    public Workbench(Executor jobs, Executor ui, Path autosave) {
        compute = ComputeService.withAutoDevice(model, jobs, ui);
        models = new ModelController(model, compute);
        repair = new RepairController(model, compute);
        sessions = new SessionController(model, compute);
        window = new MainWindow(model, compute, models, repair, sessions, new ExportController(model, compute), autosave);
        recovery = new SessionRecovery(autosave);
        model.getRuns().addListener((ListChangeListener<Object>) c -> window.autosave());
        model.jobStatusProperty().addListener((o, was, now) -> {
            if (now == JobStatus.SUCCEEDED) {
                window.autosave();
            }
        });
    }

    /**
     * Marks this run as running and returns the autosaved session of a previous run that was
     * killed, if any (see {@link SessionRecovery}); call once at start, before any job.
     */
    public Optional<Path> recoverableSession() throws IOException {
        return recovery.start();
    }

    /** Saves the session one last time and records the clean shutdown. */
    public void shutdown() {
        compute.cancel();
        window.autosave();
        try {
            recovery.cleanShutdown();
        } catch (IOException e) {
            model.commitError("shutdown: " + e.getMessage());
        }
    }

    public WorkbenchModel model() {
        return model;
    }

    public ComputeService compute() {
        return compute;
    }

    public ModelController models() {
        return models;
    }

    public RepairController repair() {
        return repair;
    }

    public SessionController sessions() {
        return sessions;
    }

    public MainWindow window() {
        return window;
    }
}
