package org.asrworkbench.app;

import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.experiments.AutoSelect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Auto button headless, on the bundled default sample (no shared data needed): it runs the
 * spec's nine candidates, fills the candidates table, shows the Auto tab and sets the method and
 * lambda controls to the choice. Saves {@code auto.png}, the window with the Auto tab.
 */
@ExtendWith(ApplicationExtension.class)
class AutoFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-auto");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void autoButtonFillsTheTableAndSetsTheControls(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        window.openDefaultSample(robot);
        robot.interact(() -> {
            model.calibNProperty().set(64);
            model.selectNProperty().set(128);
            model.evalLimitProperty().set(300);
            model.sparsityProperty().set(0.85);
        });

        robot.clickOn("#auto");
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> !workbench.compute().isBusy()
                && model.jobStatusProperty().get() != JobStatus.RUNNING);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get(), model.lastErrorProperty().get());
        int n = AutoSelect.DEFAULT_CANDIDATES.size();
        assertEquals(n, robot.lookup("#autoTable").queryAs(TableView.class).getItems().size());
        assertEquals("Auto", workbench.window().tabs().node().getSelectionModel().getSelectedItem().getText());
        int chosen = model.autoChosenProperty().get();
        assertTrue(chosen >= 0);
        assertEquals(model.getAutoCandidates().get(chosen).settings().method(), model.methodProperty().get());

        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workbench.window().tabs().chartsSettled());
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> window.shoot("auto"));
    }
}
