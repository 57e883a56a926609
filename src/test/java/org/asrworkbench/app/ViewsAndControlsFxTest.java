package org.asrworkbench.app;

import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.Slider;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.view.HelpDialogs;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Views that teach and controls that do not surprise (issue 19), on the bundled sample: the
 * first pass selects the most instructive unit and the Teaching text follows it although its
 * tab was hidden; the preview badge does not move the buttons; the damage map is clicked
 * (unit and channel selected, the layer table and Channels follow) and hovered (r_c, rho_c,
 * gamma_c, s2_d, collapsed/dead); the layer table sorts by heterogeneity; lambda and sparsity
 * fields say why a value is refused; the sparsity slider snaps to 0.01; Apply at sparsity 0
 * asks first; a normalisation choice reloads the open model; saved files get the filter's
 * extension; the runs table scrolls to a new run; Help lists the shortcuts (no Ctrl+W).
 */
@ExtendWith(ApplicationExtension.class)
class ViewsAndControlsFxTest {
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-views");
    private final Deque<Path> answers = new ArrayDeque<>();
    private final List<String> questions = new ArrayList<>();
    private Workbench workbench;

    @Start
    void start(Stage s) throws IOException {
        workbench = window.show(s);
        workbench.window().setFileDialogs(FxWindow.answering(answers));
        workbench.window().setConfirmation(q -> {
            questions.add(q);
            return false;
        });
    }

    @Test
    void viewsTeachAndControlsDoNotSurprise(FxRobot robot) throws Exception {
        SampleModels.Sample sample = SampleModels.defaultSample().orElseThrow();
        WorkbenchModel model = workbench.model();
        robot.interact(() -> workbench.models().openSample(sample));
        window.awaitIdle(120);
        robot.interact(() -> {
            model.calibNProperty().set(64);
            model.evalLimitProperty().set(200);
        });
        Node apply = robot.lookup("#apply").query();
        double applyY = apply.localToScene(0, 0).getY();
        assertFalse(robot.lookup("#previewBadge").query().isVisible());

        robot.clickOn("#pass");
        window.awaitIdle(180);
        NetworkStats stats = model.getStats();
        assertNotNull(stats);
        assertTrue(robot.lookup("#previewBadge").query().isVisible());
        assertEquals(applyY, apply.localToScene(0, 0).getY(), "the preview badge must not move the buttons");

        // the first pass selects the most instructive unit; the hidden Teaching tab's text follows
        UnitStats instructive = stats.units().get(Heterogeneity.mostInstructive(stats.units()));
        assertEquals(instructive.unit(), model.selectedUnitProperty().get());
        select(robot, "Teaching");
        String teaching = robot.lookup("#teachingText").queryAs(Label.class).getText();
        assertTrue(teaching.contains("Each bar is one channel of " + instructive.unit()), teaching);
        robot.interact(() -> window.shoot("teaching-default-unit"));

        // the damage map: hover and click a collapsed channel if there is one, else the weakest live one
        select(robot, "Damage map");
        int ui = stats.units().indexOf(instructive);
        int channel = pick(instructive);
        Point2D cell = workbench.window().tabs().damageView().viewAt(ui, channel);
        Point2D screen = workbench.window().tabs().damageView().localToScreen(cell);
        robot.moveTo(screen);
        WaitForAsyncUtils.waitForFxEvents();
        Label inspector = robot.lookup("#damageInspector").queryAs(Label.class);
        String hover = inspector.getText();
        assertTrue(hover.startsWith(instructive.unit() + ", channel " + channel + ": r_c = ") && hover.contains("\u03c1_c = ")
                && hover.contains("\u03b3_c = ") && hover.contains("s2_d = "), hover);
        assertEquals(instructive.collapsed()[channel], hover.contains("collapsed"), hover);
        robot.clickOn(screen);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(instructive.unit(), model.selectedUnitProperty().get());
        assertEquals(channel, model.selectedChannelProperty().get());
        @SuppressWarnings("unchecked")
        TableView<UnitRow> layers = robot.lookup("#layerTable").queryAs(TableView.class);
        assertEquals(instructive.unit(), layers.getSelectionModel().getSelectedItem().unit(), "the layer table follows");
        awaitCharts();
        robot.interact(() -> window.shoot("damage-map-inspected"));
        select(robot, "Channels");
        assertTrue(robot.lookup("#channelText").queryAs(Label.class).getText().startsWith(instructive.unit() + ", channel "
                + channel), "the Channels view inspects the clicked channel");

        // the layer table sorts by heterogeneity (numbers as numbers)
        select(robot, "Layers");
        robot.interact(() -> {
            TableColumn<UnitRow, ?> iqr = layers.getColumns().stream().filter(c -> "iqrColumn".equals(c.getId()))
                    .findFirst().orElseThrow();
            iqr.setSortType(TableColumn.SortType.DESCENDING);
            layers.getSortOrder().setAll(List.of(iqr));
        });
        List<Double> iqrs = layers.getItems().stream().map(r -> r.spread().iqr()).toList();
        List<Double> sorted = new ArrayList<>(iqrs);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, iqrs);

        // lambda (ParamControls): a refused value says why and changes nothing; field and slider follow the model
        double lambda = model.lambdaProperty().get();
        TextField lambdaField = robot.lookup("#lambdaField").queryAs(TextField.class);
        robot.doubleClickOn(lambdaField).eraseText(12).write("-2").push(KeyCode.ENTER);
        assertEquals(lambda, model.lambdaProperty().get());
        assertTrue(lambdaField.getStyleClass().contains("invalid"));
        assertFalse(lambdaField.getTooltip().getText().isBlank());
        Label lambdaMessage = robot.lookup("#lambdaMessage").queryAs(Label.class);
        assertTrue(lambdaMessage.isVisible() && lambdaMessage.getText().contains("lambda"), lambdaMessage.getText());
        robot.doubleClickOn(lambdaField).eraseText(12).write("abc").push(KeyCode.ENTER);
        assertTrue(lambdaMessage.getText().contains("not a number"), lambdaMessage.getText());
        assertEquals(lambda, model.lambdaProperty().get());
        robot.doubleClickOn(lambdaField).eraseText(12).write("2").push(KeyCode.ENTER);
        assertEquals(2.0, model.lambdaProperty().get());
        assertFalse(lambdaField.getStyleClass().contains("invalid"));
        assertFalse(lambdaMessage.isVisible());

        // sparsity snaps to 0.01 with ticks every 0.05
        Slider sparsity = robot.lookup("#sparsity").queryAs(Slider.class);
        assertEquals(0.05, sparsity.getMajorTickUnit());
        robot.interact(() -> sparsity.adjustValue(0.8734));
        assertEquals(0.87, model.sparsityProperty().get());

        // Apply at sparsity 0 asks first (answered "no" here: nothing starts)
        robot.interact(() -> model.sparsityProperty().set(0));
        int runs = model.getRuns().size();
        robot.clickOn("#apply");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, questions.size());
        assertTrue(questions.get(0).startsWith("The sparsity is 0"), questions.get(0));
        assertFalse(workbench.compute().isBusy());
        assertEquals(runs, model.getRuns().size());
        robot.interact(() -> model.sparsityProperty().set(0.9));

        // files get the extension of the chosen filter
        Path dir = Files.createTempDirectory("asr-files");
        menu(robot, "Save session\u2026", dir.resolve("s1"));
        assertTrue(Files.isRegularFile(dir.resolve("s1.asrsession.json")));
        select(robot, "Layer chart");
        menu(robot, "Export chart as PNG\u2026", dir.resolve("runs"));
        assertTrue(Files.isRegularFile(dir.resolve("runs.png")));

        // the runs table scrolls to a new run
        robot.clickOn("#apply");
        window.awaitIdle(180);
        RunRecord run = model.getRuns().get(model.getRuns().size() - 1);
        robot.interact(() -> {
            List<RunRecord> many = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add(run);
            }
            model.replaceRuns(many);
            model.addRun(run);
        });
        select(robot, "Runs");
        @SuppressWarnings("unchecked")
        TableView<RunRecord> runsTable = robot.lookup("#runsTable").queryAs(TableView.class);
        assertEquals(40, runsTable.getSelectionModel().getSelectedIndex());
        var flow = (javafx.scene.control.skin.VirtualFlow<?>) runsTable.lookup(".virtual-flow");
        assertEquals(40, flow.getLastVisibleCell().getIndex(), "the new run is in view");

        // Help: shortcuts read from the menus; Sweep is not on Ctrl+W
        List<String> shortcuts = HelpDialogs.shortcutLines(robot.lookup(".menu-bar").queryAs(MenuBar.class));
        assertTrue(shortcuts.stream().anyMatch(l -> l.contains("Run \u203a Sweep")), shortcuts.toString());
        assertFalse(shortcuts.stream().anyMatch(l -> l.startsWith("Ctrl+W") || l.startsWith("Shortcut+W")), shortcuts.toString());
        assertTrue(HelpDialogs.aboutText("cpu").contains("Engine: DJL "));

        // a normalisation chosen with a model open applies to it (the model and its datasets are read again)
        LoadedModel before = model.getModel();
        @SuppressWarnings("unchecked")
        ChoiceBox<String> norm = robot.lookup("#normalization").queryAs(ChoiceBox.class);
        robot.interact(() -> norm.setValue("fashion-mnist"));
        window.awaitIdle(120);
        assertNotSame(before, model.getModel());
        assertEquals("fashion-mnist", model.modelNormalizationProperty().get());
        assertNotNull(model.getEvalDataset());
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get());
    }

    /** A collapsed channel of {@code u} if it has one, else its weakest live channel. */
    private static int pick(UnitStats u) {
        for (int c = 0; c < u.channels(); c++) {
            if (u.collapsed()[c]) {
                return c;
            }
        }
        return org.asrworkbench.app.chart.RepairMetrics.channelsByRetention(u)[0];
    }

    private void select(FxRobot robot, String tab) throws Exception {
        robot.interact(() -> workbench.window().tabs().node().getTabs().stream().filter(t -> t.getText().equals(tab))
                .findFirst().ifPresent(t -> workbench.window().tabs().node().getSelectionModel().select(t)));
        awaitCharts();
    }

    private void awaitCharts() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> workbench.window().tabs().chartsSettled());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void menu(FxRobot robot, String item, Path file) {
        FxWindow.menu(robot, answers, item, file);
    }
}
