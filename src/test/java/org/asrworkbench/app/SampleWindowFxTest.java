package org.asrworkbench.app;

import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.RecentFiles;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.stats.StatsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window on the bundled default sample (no shared data needed), headless: it opens as the
 * app does at start, applies a repair, then exports (runs CSV, statistics JSON, a chart as PNG
 * and SVG, the repaired model) and saves and reloads the session through the File menu, with the
 * file choosers answered by the test. Also saves {@code start.png}, the window right after start.
 */
@ExtendWith(ApplicationExtension.class)
class SampleWindowFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-sample");
    private final Deque<Path> answers = new ArrayDeque<>();
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
        workbench.window().setFileDialogs(FxWindow.answering(answers));
    }

    @Test
    void exportAndSessionThroughTheMenus(FxRobot robot) throws Exception {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow(() ->
                new AssertionError("the bundled sample-models/ folder is missing"));
        WorkbenchModel model = workbench.model();
        robot.interact(() -> workbench.models().openSample(sample));
        window.awaitIdle(120);
        assertNotNull(model.getEvalDataset());
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> window.shoot("start"));

        robot.interact(() -> {
            model.calibNProperty().set(64);
            model.evalLimitProperty().set(200);
        });
        robot.clickOn("#apply");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> model.getRuns().size() == 1);
        window.awaitIdle(180);
        assertEquals(1, robot.lookup("#runsTable").queryAs(TableView.class).getItems().size());

        Path dir = Files.createTempDirectory("asr-export");
        Path csv = dir.resolve("runs.csv");
        menu(robot, "Export runs CSV\u2026", csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith(sample.model().getFileName() + ",global-magnitude,0.9000"), lines.get(1));

        Path stats = dir.resolve("stats.json");
        menu(robot, "Export statistics JSON\u2026", stats);
        assertEquals(model.getStats().units().size(), StatsJson.read(stats).units().size());
        exportThatFailsShowsADialog(robot, csv.resolve("stats.json")); // the parent is a file: no directory there

        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(1));
        Path png = dir.resolve("layers.png");
        menu(robot, "Export chart as PNG\u2026", png);
        assertEquals(1200, ImageIO.read(png.toFile()).getWidth());
        Path svg = dir.resolve("layers.svg");
        menu(robot, "Export chart as SVG\u2026", svg);
        assertTrue(Files.readString(svg).contains("<svg"));

        Path repaired = dir.resolve("repaired.safetensors");
        menu(robot, "Export repaired model\u2026", repaired);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !workbench.compute().isBusy());
        assertEquals("asr", SafetensorsReader.read(repaired).metadata().get("asr.method"));

        Path session = dir.resolve("session.json");
        robot.interact(() -> model.lambdaProperty().set(0.5));
        menu(robot, "Save session\u2026", session);
        var saved = workbench.sessions().snapshot();
        robot.interact(() -> {
            model.lambdaProperty().set(3.0);
            model.calibNProperty().set(16);
        });
        menu(robot, "Load session\u2026", session);
        window.awaitIdle(120);
        assertEquals(0.5, model.lambdaProperty().get());
        assertEquals(64, model.calibNProperty().get());
        assertEquals(saved, workbench.sessions().snapshot());
        assertEquals(1, model.getRuns().size());

        RecentFiles.Entry first = workbench.recent().entries().get(0);
        assertEquals(new RecentFiles.Entry(RecentFiles.Kind.SESSION, session.toString()), first);
        assertEquals(List.of(first), new RecentFiles(window.stateDir().resolve("recent.json")).entries(),
                "recent files persist; the sample opened at start is not one of them");
    }

    /**
     * File › Export statistics JSON to a place that cannot be written: an error dialog naming the
     * file (the unchecked I/O exception escaped into the FX thread, and no dialog showed), and
     * the state as it was.
     */
    private void exportThatFailsShowsADialog(FxRobot robot, Path unwritable) {
        Object stats = workbench.model().getStats();
        menu(robot, "Export statistics JSON…", unwritable);
        javafx.scene.control.DialogPane pane = robot.lookup(".dialog-pane").queryAll().stream()
                .map(n -> (javafx.scene.control.DialogPane) n)
                .filter(p -> p.getContentText() != null && p.getContentText().contains(unwritable.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no error dialog names " + unwritable));
        assertEquals("That did not work \u2014 nothing was changed", pane.getHeaderText());
        assertTrue(pane.getContentText().contains("cannot write statistics"), pane.getContentText());
        robot.interact(() -> ((javafx.stage.Stage) pane.getScene().getWindow()).close());
        assertTrue(stats == workbench.model().getStats(), "the statistics are as they were");
        assertFalse(Files.exists(unwritable));
    }

    private void menu(FxRobot robot, String item, Path file) {
        FxWindow.menu(robot, answers, item, file);
    }
}
