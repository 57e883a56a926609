package org.asrworkbench.app;

import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.repair.RepairMethod;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rule files in the window (headless): load two rules, see each one's parameter controls, draw
 * a rule's {@code let} value in the channel view with stat-corr and the rule beside ASR, and
 * save {@code methods-channels.png} and {@code methods-teaching.png}.
 */
@ExtendWith(ApplicationExtension.class)
class MethodsFxTest {
    private static final Path FASHION = Path.of("sample-models/fashion-mnist");
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-methods-fx");
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
    }

    @Test
    void rulesInTheMethodListAndTheViews(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        robot.interact(() -> {
            model.calibNProperty().set(64);
            model.sparsityProperty().set(0.8);
        });
        robot.interact(() -> workbench.models().openModel(Path.of("sample-models/resnet20-w0.5-fashion.safetensors")));
        window.awaitIdle(60);
        robot.interact(() -> workbench.models().openEvalDataset(FASHION.resolve("fashion-test-2000-images-idx3-ubyte.gz")));
        window.awaitIdle(60);
        robot.interact(() -> workbench.models().openCalibDataset(FASHION.resolve("fashion-calib-2000-images-idx3-ubyte.gz")));
        window.awaitIdle(60);
        robot.interact(() -> workbench.repair().statisticsPass());
        window.awaitIdle(180);

        robot.interact(() -> workbench.window().methods().loadRule(Path.of("rules/clamped-channel-wise.json")));
        window.awaitIdle(30);
        Slider limit = robot.lookup("#limit").queryAs(Slider.class);
        assertEquals(Math.log10(4), limit.getValue(), 1e-9, "a log slider at the rule's default");
        robot.interact(() -> robot.lookup("#limitField").queryAs(TextField.class).setText("2"));
        robot.clickOn("#limitField").type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2.0, model.paramProperty("limit").get());
        assertEquals(Math.log10(2), limit.getValue(), 1e-9);

        robot.interact(() -> workbench.window().methods().loadRule(Path.of("rules/asr.json")));
        window.awaitIdle(30);
        assertEquals("rule:asr-as-rule", robot.lookup("#method").queryAs(ChoiceBox.class).getValue().toString());
        assertTrue(robot.lookup("#lambda").tryQuery().isPresent(), "the rule's lambda has its own slider");
        assertTrue(robot.lookup("#limit").tryQuery().isEmpty(), "the other rule's controls are gone");
        RepairMethod rule = model.methodProperty().get();

        robot.interact(() -> {
            model.compareFirstProperty().set(RepairMethod.STAT_CORR);
            model.compareSecondProperty().set(rule);
            model.selectedUnitProperty().set(model.getStats().units().get(12).unit());
            model.channelValueProperty().set("rule:asr-as-rule: t");
            workbench.window().tabs().node().getSelectionModel().select(2);
        });
        awaitCharts();
        assertEquals("rule:asr-as-rule: t", robot.lookup("#channelValue").queryAs(ChoiceBox.class).getValue());
        robot.interact(() -> window.shoot("methods-channels"));
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(4));
        awaitCharts();
        robot.interact(() -> window.shoot("methods-teaching"));
    }

    private void awaitCharts() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workbench.window().tabs().chartsSettled());
        WaitForAsyncUtils.waitForFxEvents();
    }
}
