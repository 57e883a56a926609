package org.asrworkbench.app;

import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.graph.UnitKind;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.stats.UnitStats;
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
 * table shows its ONNX node names) and a BN-folded one (the status bar says it has no BatchNorm
 * units; every conv is a virtual unit, "virtual" in the Layers table's unit kind column, repaired by
 * a statistics pass and marked in the layer chart; with units "bn" the table is empty and says why,
 * and the session records the choice); saves {@code onnx-folded.png} and
 * {@code onnx-folded-virtual-units.png}.
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
        // the bundled sample brings its datasets, which fit its ONNX exports
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow(() ->
                new AssertionError("the bundled sample-models/ folder is missing"));
        robot.interact(() -> workbench.models().openSample(sample));
        window.awaitIdle(120);
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
        // --units all (the default): every conv is a virtual unit; the classifier is none
        assertEquals(19, layers.getItems().size());
        assertTrue(layers.getItems().stream().allMatch(r -> r.kind() == UnitKind.VIRTUAL));
        TableColumn<UnitRow, ?> kind = layers.getColumns().stream().filter(c -> "unitKindColumn".equals(c.getId()))
                .findFirst().orElseThrow();
        assertEquals("virtual", kind.getCellData(0));
        robot.interact(() -> window.shoot("onnx-folded"));

        // a statistics pass on the sample's data repairs the virtual units, marked in the layer chart
        WorkbenchModel model = workbench.model();
        assertTrue(model.getCalibDataset() != null, "the sample's calibration data stay open");
        robot.interact(() -> {
            model.calibNProperty().set(32);
            model.evalLimitProperty().set(64);
        });
        robot.clickOn("#pass");
        window.awaitIdle(180);
        assertTrue(model.getStats().units().stream().allMatch(UnitStats::isVirtual));
        assertEquals(19, model.getStats().units().size());
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(1));
        window.awaitCharts();
        robot.interact(() -> window.shoot("onnx-folded-virtual-units"));
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(0));

        // --units bn: nothing to repair, and the table says why
        ChoiceBox<UnitSelection> units = robot.lookup("#units").queryAs(ChoiceBox.class);
        robot.clickOn(units);
        robot.clickOn(FxWindow.labeled(robot, "bn"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(UnitSelection.BN, model.unitsProperty().get());
        assertEquals(UnitSelection.BN, model.repairSettings().units());
        assertEquals(0, layers.getItems().size());
        assertTrue(robot.lookup("#layerTablePlaceholder").queryAs(Label.class).getText().startsWith("This model has no BatchNorm"));
        // the choice is part of the session
        assertEquals("bn", workbench.sessions().snapshot().units());
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
