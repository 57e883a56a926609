package org.asrworkbench.app;

import javafx.scene.control.Tab;
import javafx.scene.control.TextField;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.chart.RepairMetrics;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.view.ChartView;
import org.asrworkbench.core.stats.UnitStats;
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
        var units = model.getStats().units();
        UnitStats shown = units.get(Heterogeneity.mostInstructive(units));
        assertEquals(shown.unit(), model.selectedUnitProperty().get(), "Channels and Teaching open on the most instructive unit");

        for (Tab tab : workbench.window().tabs().node().getTabs()) {
            if (tab.getText().equals("Auto")) {
                continue; // auto.png comes from AutoFxTest, after an auto run
            }
            robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(tab));
            awaitCharts();
            if (tab.getText().equals("Damage map")) {
                // hover and click the unit's weakest channel: the inspector shows its numbers
                int c = RepairMetrics.channelsByRetention(shown)[0];
                ChartView map = workbench.window().tabs().damageView();
                robot.clickOn(map.localToScreen(map.viewAt(units.indexOf(shown), c)));
                awaitCharts();
                assertEquals(c, model.selectedChannelProperty().get());
            }
            String name = tab.getText().toLowerCase().replace(' ', '-');
            robot.interact(() -> window.shoot(name));
        }

        // a second pass at 80%: compare it with the first in the layer chart and the damage map
        var first = model.currentPassProperty().get();
        robot.interact(() -> model.sparsityProperty().set(0.8));
        robot.interact(() -> workbench.repair().statisticsPass());
        window.awaitIdle(180);
        robot.interact(() -> model.compareWithProperty().set(first));
        for (String name : new String[] {"Layer chart", "Damage map"}) {
            robot.interact(() -> workbench.window().tabs().node().getTabs().stream().filter(t -> t.getText().equals(name))
                    .findFirst().ifPresent(t -> workbench.window().tabs().node().getSelectionModel().select(t)));
            awaitCharts();
            robot.interact(() -> window.shoot(name.toLowerCase().replace(' ', '-') + "-compare"));
        }
        robot.interact(() -> {
            model.compareWithProperty().set(null);
            model.sparsityProperty().set(0.9);
        });
        robot.interact(() -> workbench.repair().statisticsPass());
        window.awaitIdle(60);
        assertTrue(first == model.currentPassProperty().get(), "the 90% pass comes back from the kept passes");
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
