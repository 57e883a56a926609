package org.asrworkbench.app;

import javafx.application.Platform;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.core.model.SampleModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is lost (issue 19): a Quit and a restart on the same state folder reopen the session
 * with its runs; a start that opens the default sample does not overwrite an autosave that has
 * runs, so File › Restore autosaved session brings them back; Esc cancels a running job with
 * the focus in a text field, and the Run menu's items are disabled while a job runs.
 */
@ExtendWith(ApplicationExtension.class)
class NothingLostFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-lost");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void quitAndRestartKeepTheSession(FxRobot robot) throws Exception {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow();
        WorkbenchModel model = workbench.model();
        robot.interact(() -> workbench.openAtStart(null, p -> false));
        window.awaitIdle(120);
        assertEquals(sample.model().toAbsolutePath().normalize(), model.getModel().source().toAbsolutePath().normalize(),
                "a first start (no autosave) opens the default sample");
        robot.interact(() -> {
            model.calibNProperty().set(32);
            model.evalLimitProperty().set(100);
            model.sparsityProperty().set(0.8);
        });
        robot.clickOn("#apply");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> model.getRuns().size() == 1);
        window.awaitIdle(180);
        String status = robot.lookup("#statusBar").queryAs(org.controlsfx.control.StatusBar.class).getText();
        assertTrue(status.contains("top-1 ") && status.contains("over none"), status);
        List<RunRecord> runs = List.copyOf(model.getRuns());
        robot.interact(() -> workbench.shutdown()); // what Quit does (WorkbenchApp.stop)

        // a restart: a new workbench on the same state folder, started as the app starts
        ExecutorService jobs = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Workbench> next = new AtomicReference<>();
            robot.interact(() -> {
                next.set(new Workbench(jobs, Platform::runLater, window.stateDir()));
                next.get().openAtStart(null, p -> {
                    throw new AssertionError("a clean Quit is not a crash");
                });
            });
            Workbench b = next.get();
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !b.compute().isBusy()
                    && b.model().jobStatusProperty().get() != JobStatus.IDLE);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(JobStatus.SUCCEEDED, b.model().jobStatusProperty().get(), b.model().lastErrorProperty().get());
            assertEquals(runs, b.model().getRuns(), "the restart reopened the last session with its runs");
            assertEquals(0.8, b.model().sparsityProperty().get());
            assertTrue(b.model().getEvalDataset() != null && b.model().getCalibDataset() != null);

            // the old behaviour at start: the default sample opened over it; the autosave keeps the runs
            robot.interact(() -> b.models().openSample(sample));
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !b.compute().isBusy());
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> b.model().replaceRuns(List.of()));
            robot.interact(() -> b.window().autosave());
            assertEquals(runs, SessionFile.read(window.stateDir().resolve("autosave.json")).runs(),
                    "a session without runs never replaces an autosave with runs");
            robot.interact(() -> b.sessions().load(window.stateDir().resolve("autosave.json")));
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !b.compute().isBusy() && !b.model().getRuns().isEmpty());
            assertEquals(runs, b.model().getRuns(), "File \u203a Restore autosaved session brings them back");
        } finally {
            jobs.shutdownNow();
        }
    }

    @Test
    void escapeCancelsWhereverTheFocusIsAndRunItemsWaitForTheJob(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        List<MenuItem> run = bar.getMenus().stream().filter(m -> m.getText().replace("_", "").equals("Run"))
                .map(Menu::getItems).findFirst().orElseThrow();
        MenuItem prune = run.get(0);
        MenuItem cancel = run.get(run.size() - 1);
        assertFalse(prune.isDisable());
        assertTrue(cancel.isDisable(), "nothing to cancel");
        robot.interact(() -> workbench.compute().submit("A long job", p -> {
            while (!p.isCancelled()) {
                Thread.sleep(10);
            }
            p.checkCancelled();
            return null;
        }, x -> { }));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(model.jobRunningProperty().get());
        for (MenuItem i : run) {
            assertEquals(i != cancel, i.isDisable(), i.getText() + " while a job runs");
        }
        robot.clickOn("#lambdaField");
        assertTrue(robot.lookup("#lambdaField").query().isFocused());
        robot.push(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !workbench.compute().isBusy());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(JobStatus.CANCELLED, model.jobStatusProperty().get());
        assertFalse(prune.isDisable());
    }

}
