package org.asrworkbench.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;


import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The workbench window. Engine work runs on one background thread owned by the compute
 * service; {@code --open FILE} (or {@code --open=FILE}) opens a model, or a session when the
 * file's name ends in {@code .json}, at start; without it the last session is reopened (see
 * {@link Workbench#openAtStart}). After a run that did not shut down cleanly, the start first
 * offers to restore its autosaved session.
 */
public final class WorkbenchApp extends Application {
    private ExecutorService jobs;
    private Workbench workbench;

    @Override
    public void start(Stage stage) {
        jobs = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "workbench-compute");
            t.setDaemon(true);
            return t;
        });
        workbench = new Workbench(jobs, Platform::runLater, Workbench.STATE_DIR);
        stage.titleProperty().bind(workbench.model().modelProperty().map(m -> "ASR Workbench \u2014 "
                + m.source().getFileName()).orElse("ASR Workbench \u2014 post-pruning repair"));
        // 1360x860, but never larger than the screen's usable area (a 1280x800 laptop cut it off)
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setScene(workbench.window().scene(Math.min(1360, screen.getWidth()), Math.min(860, screen.getHeight())));
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        workbench.openAtStart(openArgument(getParameters().getRaw()), autosave -> askToRecover(stage, autosave));
    }

    /** Asks whether to restore the session of a run that did not shut down cleanly. */
    private static boolean askToRecover(Stage owner, Path autosave) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "The workbench did not shut down cleanly last time. "
                + "Restore its last autosaved session (" + autosave + ")?", ButtonType.YES, ButtonType.NO);
        a.setTitle("ASR Workbench");
        a.setHeaderText("Recover the previous session?");
        a.initOwner(owner);
        return a.showAndWait().filter(ButtonType.YES::equals).isPresent();
    }

    @Override
    public void stop() {
        if (workbench != null) {
            workbench.shutdown();
        }
        if (jobs != null) {
            jobs.shutdownNow();
        }
    }

    /** The file after {@code --open} or in {@code --open=FILE}, or null. */
    static Path openArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--open=")) {
                return Path.of(a.substring("--open=".length()));
            }
            if (a.equals("--open") && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
        }
        return null;
    }
}
