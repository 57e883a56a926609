package org.asrworkbench.app;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX models through the window, headless: File › Open model opens a BN-kept export (the Layers
 * table shows its ONNX node names) and a BN-folded one (the status bar says it has no units);
 * saves {@code onnx-folded.png}.
 */
@ExtendWith(ApplicationExtension.class)
class OnnxWindowFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-onnx");
    private final Deque<Path> answers = new ArrayDeque<>();
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
        workbench.window().setFileDialogs(FxWindow.answering(answers, (title, patterns) ->
                assertTrue(java.util.Arrays.asList(patterns).contains("*.onnx") || !title.equals("Open model"))));
    }

    private void open(FxRobot robot, Path file) throws Exception {
        answers.add(file.toAbsolutePath());
        robot.clickOn(FxWindow.labeled(robot, "File"));
        robot.clickOn(FxWindow.labeled(robot, "Open model\u2026"));
        WaitForAsyncUtils.waitForFxEvents();
        window.awaitIdle(120);
    }

    @Test
    @SuppressWarnings("unchecked")
    void openOnnxModelsFromTheFileMenu(FxRobot robot) throws Exception {
        open(robot, OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx"));
        assertEquals("resnet20-w0.5-fashion-bn", workbench.model().getModel().source().getFileName().toString()
                .replace(".onnx", ""));
        TableView<UnitRow> layers = robot.lookup("#layerTable").queryAs(TableView.class);
        assertEquals(19, layers.getItems().size());
        assertEquals("/conv1/Conv", layers.getItems().get(0).unit());
        Label warning = robot.lookup("#warning").queryAs(Label.class);
        assertTrue(!warning.isVisible());

        open(robot, OnnxFixtures.committed("resnet20-w0.5-fashion-folded.onnx"));
        assertTrue(warning.isVisible() && warning.getText().contains("no BatchNorm units"), warning.getText());
        assertTrue(robot.lookup("#layerTablePlaceholder").queryAs(Label.class).getText().startsWith("This model has no BatchNorm"));
        robot.interact(() -> window.shoot("onnx-folded"));
    }
}
