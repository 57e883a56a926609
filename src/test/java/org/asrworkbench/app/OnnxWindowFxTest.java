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

    @Test
    void exportRepairedModelWritesOnnxForAModelOpenedFromOnnx(FxRobot robot) throws Exception {
        Path src = OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx");
        open(robot, src);
        org.asrworkbench.core.model.SampleModels.Sample sample = org.asrworkbench.core.model.SampleModels.defaultSample()
                .orElseThrow();
        var model = workbench.model();
        robot.interact(() -> {
            workbench.models().openEvalDataset(sample.evalImages());
        });
        window.awaitIdle(120);
        robot.interact(() -> workbench.models().openCalibDataset(sample.calibImages()));
        window.awaitIdle(120);
        robot.interact(() -> {
            model.calibNProperty().set(32);
            model.evalLimitProperty().set(100);
        });
        robot.clickOn("#apply");
        WaitForAsyncUtils.waitFor(180, java.util.concurrent.TimeUnit.SECONDS, () -> model.getRuns().size() == 1);
        window.awaitIdle(180);
        Path dir = java.nio.file.Files.createTempDirectory("asr-onnx-export");
        // no extension typed: the first offered one, .onnx, is appended
        FxWindow.menu(robot, answers, "Export repaired model\u2026", dir.resolve("repaired"));
        window.awaitIdle(120);
        Path out = dir.resolve("repaired.onnx");
        assertTrue(java.nio.file.Files.isRegularFile(out), "no " + out);
        org.asrworkbench.testing.OnnxRoundTrip.sameGraph(src, out);
        var back = org.asrworkbench.core.model.ModelLoader.load(out, null, null);
        String bn = back.graph().units().get(0).bn();
        var scale = back.graph().batchNorm(back.graph().units().get(0)).scale();
        var plan = model.getAppliedPlan();
        var original = org.asrworkbench.core.model.ModelLoader.load(src, null, null);
        float[] gamma = original.weights().require(scale).data();
        float[] gain = plan.units().get(0).gain();
        for (int c = 0; c < gamma.length; c++) {
            assertEquals(gamma[c] * gain[c], back.weights().require(scale).data()[c], 0f, bn + " channel " + c);
        }
        // a safetensors export is still offered, and written when asked for
        FxWindow.menu(robot, answers, "Export repaired model\u2026", dir.resolve("repaired.safetensors"));
        window.awaitIdle(120);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("repaired.safetensors")));
    }
}
