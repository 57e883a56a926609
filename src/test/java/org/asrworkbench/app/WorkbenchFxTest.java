package org.asrworkbench.app;

import javafx.scene.control.Tab;
import javafx.scene.control.TextField;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window headless (Monocle): open ResNet-20 and CIFAR-10, apply at 90% sparsity, run a
 * sweep from the Run menu (3 sparsities x 5 methods), move
 * lambda, see the run in the table, cancel a running job, and save a screenshot of every tab
 * to {@code target/screenshots/} ({@code -Dscreenshots=assets/screenshots} regenerates the
 * README's).
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-fx");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void mainFlowAndScreenshots(FxRobot robot) throws Exception {
        Path modelFile = SharedData.resnet20Safetensors();
        Path test = SharedData.cifarTest();
        Path calib = SharedData.cifarCalib();
        WorkbenchModel model = workbench.model();
        robot.interact(() -> {
            model.normalizationProperty().set("cifar");
            model.calibNProperty().set(64);
            model.evalLimitProperty().set(200);
            model.sparsityProperty().set(0.9);
        });
        robot.interact(() -> workbench.models().openModel(modelFile));
        window.awaitIdle(60);
        robot.interact(() -> workbench.models().openEvalDataset(test));
        window.awaitIdle(60);
        robot.interact(() -> workbench.models().openCalibDataset(calib));
        window.awaitIdle(60);
        assertEquals(19, robot.lookup("#layerTable").queryAs(TableView.class).getItems().size());

        robot.clickOn("#apply");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> model.getRuns().size() == 1);
        window.awaitIdle(180);
        assertEquals(1, robot.lookup("#runsTable").queryAs(TableView.class).getItems().size());

        robot.clickOn(FxWindow.labeled(robot, "Run"));
        robot.clickOn(FxWindow.labeled(robot, "Sweep\u2026"));
        robot.interact(() -> robot.lookup("#sweepSparsities").queryAs(TextField.class).setText("0.7, 0.8, 0.9"));
        robot.clickOn(FxWindow.labeled(robot, "OK"));
        WaitForAsyncUtils.waitFor(600, TimeUnit.SECONDS, () -> model.getRuns().size() == 16);
        window.awaitIdle(600);

        robot.interact(() -> model.lambdaProperty().set(1.0));
        assertEquals(1.0, model.getPreviewPlan().settings().param("lambda"));
        robot.interact(() -> model.lambdaProperty().set(0.25));
        robot.interact(() -> model.selectedUnitProperty().set(model.getStats().units().get(12).unit()));

        for (Tab tab : workbench.window().tabs().node().getTabs()) {
            if (tab.getText().equals("Auto")) {
                continue; // auto.png comes from AutoFxTest, after an auto run
            }
            robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(tab));
            awaitCharts();
            String name = tab.getText().toLowerCase().replace(' ', '-');
            robot.interact(() -> window.shoot(name));
        }
        robot.interact(() -> model.darkThemeProperty().set(true));
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(1));
        awaitCharts();
        robot.interact(() -> window.shoot("dark-layer-chart"));
        robot.interact(() -> model.darkThemeProperty().set(false));

        var stats = model.getStats();
        robot.interact(() -> {
            model.methodProperty().set(RepairMethod.LAYER_WISE);
            model.calibNProperty().set(512);
        });
        robot.clickOn("#apply");
        robot.clickOn("#cancel");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !workbench.compute().isBusy());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(JobStatus.CANCELLED, model.jobStatusProperty().get());
        assertEquals(16, model.getRuns().size());
        assertTrue(stats == model.getStats(), "a cancelled job must keep the statistics");
        assertFalse(model.jobRunningProperty().get());
    }

    private void awaitCharts() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workbench.window().tabs().chartsSettled());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
