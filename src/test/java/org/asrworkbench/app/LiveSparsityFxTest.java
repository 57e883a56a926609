package org.asrworkbench.app;

import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.stats.NetworkStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparsity slider dragged in the real window on the bundled sample: while it moves the views
 * show the local estimate (badge, marked charts); released, the exact pass replaces it, and the
 * layer chart overlays the estimate on the exact retention. Screenshots {@code live-sparsity*.png}
 * ({@code -Dscreenshots=assets/screenshots} regenerates the README's).
 */
@ExtendWith(ApplicationExtension.class)
class LiveSparsityFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-live");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void dragShowsTheEstimateAndTheRestingSliderTheExactPass(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        window.openDefaultSample(robot);
        robot.interact(() -> {
            model.calibNProperty().set(128);
            model.sparsityProperty().set(0.5);
            workbench.window().tabs().node().getSelectionModel().select(1);
        });
        Slider slider = robot.lookup("#sparsity").queryAs(Slider.class);
        robot.interact(() -> {
            slider.setValueChanging(true);
            slider.setValue(0.6); // the first move gathers the covariances
        });
        window.awaitIdle(120);
        for (int i = 1; i <= 25; i++) {
            double v = 0.6 + 0.01 * i;
            robot.interact(() -> slider.setValue(v));
            Thread.sleep(16);
        }
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> model.showingEstimateProperty().get()
                && model.getEstimate() != null && Math.abs(model.getEstimate().settings().sparsity() - 0.85) < 1e-9);
        window.awaitCharts();
        assertTrue(LocalEstimate.isEstimate(model.getViewStats()));
        assertTrue(robot.lookup("#estimateBadge").queryAs(Label.class).isVisible());
        // the left panel's fields scroll here (the badge makes them taller than the window): the
        // scroll bar must not squeeze the Kind box below its longest kind's width
        ChoiceBox<?> kind = robot.lookup("#pruneKind").queryAs(ChoiceBox.class);
        assertTrue(kind.getWidth() >= kind.prefWidth(-1) - 0.5,
                "Kind box " + kind.getWidth() + " px wide, its content needs " + kind.prefWidth(-1));
        robot.interact(() -> window.shoot("live-sparsity"));
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(3));
        window.awaitCharts();
        robot.interact(() -> window.shoot("live-sparsity-damage-map"));

        robot.interact(() -> {
            workbench.window().tabs().node().getSelectionModel().select(1);
            slider.setValueChanging(false); // released: the exact pass runs once the slider rests
        });
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> !model.showingEstimateProperty().get()
                && model.getStats() != null && !workbench.compute().isBusy());
        window.awaitIdle(60);
        window.awaitCharts();
        NetworkStats exact = model.getViewStats();
        assertFalse(LocalEstimate.isEstimate(exact));
        assertFalse(robot.lookup("#estimateBadge").queryAs(Label.class).isVisible());
        robot.interact(() -> window.shoot("live-sparsity-exact"));
    }
}
