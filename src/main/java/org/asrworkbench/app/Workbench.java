package org.asrworkbench.app;

import javafx.collections.ListChangeListener;
import org.asrworkbench.app.controller.AutoController;
import org.asrworkbench.app.controller.ExportController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.controller.SweepController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.RecentFiles;
import org.asrworkbench.app.service.SessionRecovery;
import org.asrworkbench.app.view.MainWindow;

import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.core.model.SampleModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The workbench assembled: model, compute service, controllers and main window. Every run and
 * every finished job autosaves the session (atomically), so a closed window or a crash loses
 * nothing, and the next start after a crash offers the autosave back.
 */
public final class Workbench {
    /** Where the workbench keeps its state between runs (the autosaved session, the recent files). */
    public static final Path STATE_DIR = Path.of(System.getProperty("user.home"), ".asr-workbench");

    private final WorkbenchModel model = new WorkbenchModel();
    private final ComputeService compute;
    private final ModelController models;
    private final RepairController repair;
    private final SessionController sessions;
    private final SweepController sweeps;
    private final AutoController auto;
    private final RecentFiles recent;
    private final MainWindow window;
    private final SessionRecovery recovery;
    private final Path autosave;

    /**
     * @param jobs the background executor (one thread)
     * @param ui       the FX thread executor ({@code Platform::runLater})
     * @param stateDir where {@code autosave.json} and {@code recent.json} live ({@link #STATE_DIR} in the app)
     */
    public Workbench(Executor jobs, Executor ui, Path stateDir) {
        compute = ComputeService.withAutoDevice(model, jobs, ui);
        models = new ModelController(model, compute);
        repair = new RepairController(model, compute);
        sessions = new SessionController(model, compute);
        sweeps = new SweepController(model, compute);
        auto = new AutoController(model, compute);
        recent = new RecentFiles(stateDir.resolve("recent.json"));
        autosave = stateDir.resolve("autosave.json");
        window = new MainWindow(model, compute, models, repair, sessions, new ExportController(model, compute), sweeps,
                auto, recent, autosave);
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

    /**
     * What the window opens at start (call once, before any job): after a run that was killed,
     * its autosave if {@code askToRecover} says so; else {@code open} (a model, or a session
     * when it ends in {@code .json}); else the last session (the autosave of the previous run,
     * when its model file is still there); else the bundled default sample.
     */
    public void openAtStart(Path open, Predicate<Path> askToRecover) {
        Optional<Path> crashed;
        try {
            crashed = recoverableSession();
        } catch (IOException e) {
            window.showError("session recovery: " + e.getMessage());
            crashed = Optional.empty();
        }
        if (crashed.isPresent() && askToRecover.test(crashed.get())) {
            sessions.load(crashed.get());
        } else if (open != null && open.getFileName().toString().endsWith(".json")) {
            sessions.load(open);
        } else if (open != null) {
            models.openModel(open);
        } else if (crashed.isEmpty() && lastSession()) {
            sessions.load(autosave, "Reopen the last session (" + autosave + ")");
        } else {
            SampleModels.defaultSample().ifPresent(models::openSample);
        }
    }

    /** True when the autosave holds a session whose model file still exists. */
    private boolean lastSession() {
        try {
            SessionFile s = SessionFile.read(autosave);
            return s.model() != null && Files.isRegularFile(Path.of(s.model()));
        } catch (SessionFormatException e) {
            return false;
        }
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

    public SweepController sweeps() {
        return sweeps;
    }

    public AutoController auto() {
        return auto;
    }

    public RecentFiles recent() {
        return recent;
    }

    public MainWindow window() {
        return window;
    }
}
