package org.asrworkbench.app.view;

import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ButtonType;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.asrworkbench.app.chart.ChartExport;
import org.asrworkbench.app.controller.AutoController;
import org.asrworkbench.app.controller.ExportController;
import org.asrworkbench.app.controller.MethodController;
import org.asrworkbench.app.controller.ModelController;
import org.asrworkbench.app.controller.RepairController;
import org.asrworkbench.app.controller.SessionController;
import org.asrworkbench.app.controller.SweepController;
import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.RecentFiles;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.UserAction;
import org.asrworkbench.core.model.SampleModels;
import org.controlsfx.control.StatusBar;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The main window's content: menu, control panel, tabs, status bar; file dialogs and error dialogs. */
public final class MainWindow {

    private final WorkbenchModel model;
    private final ComputeService compute;
    private final ModelController models;
    private final RepairController repair;
    private final SessionController sessions;
    private final ExportController exports;
    private final SweepController sweeps;
    private final AutoController auto;
    private final MethodController methods;
    private final RecentFiles recent;
    private final Path autosave;
    private final Menu recentMenu = new Menu("Open _recent");
    private FileDialogs dialogs = FileDialogs.platform();
    private Predicate<String> confirm = this::ask;
    private final BorderPane root = new BorderPane();
    private final WorkbenchTabs tabs;
    private final ControlPanel controls;

    public MainWindow(WorkbenchModel model, ComputeService compute, ModelController models, RepairController repair,
                      SessionController sessions, ExportController exports, SweepController sweeps, AutoController auto,
                      RecentFiles recent, Path autosave) {
        this.model = model;
        this.compute = compute;
        this.models = models;
        this.repair = repair;
        this.sessions = sessions;
        this.exports = exports;
        this.sweeps = sweeps;
        this.auto = auto;
        this.methods = new MethodController(model, compute);
        this.recent = recent;
        this.autosave = autosave;
        models.setOnOpened(this::remember);
        sessions.setOnOpened(p -> remember(RecentFiles.Kind.SESSION, p));
        methods.setOnLoaded(p -> remember(RecentFiles.Kind.RULE, p));
        recent.entries().addListener((javafx.collections.ListChangeListener<RecentFiles.Entry>) c -> rebuildRecent());
        rebuildRecent();
        if (recent.problem() != null) {
            model.commitError(recent.problem());
        }
        this.tabs = new WorkbenchTabs(model);
        this.controls = new ControlPanel(model, this::pruneIfReady, () -> act(repair::statisticsPass),
                () -> act(this::applyIfPruning), () -> act(this::runAuto));
        controls.setNormalizationFiles(() -> open("Normalisation JSON (mean, std, input size)", "*.json"));
        model.normalizationProperty().addListener((o, was, now) -> {
            if (model.getModel() != null && now != null && !now.equals(model.modelNormalizationProperty().get())) {
                act(models::reloadModel);
            }
        });
        root.setTop(menu());
        root.setLeft(controls); // it scrolls its fields itself and keeps its buttons in view
        root.setCenter(tabs.node());
        root.setBottom(statusBar());
        root.getStyleClass().add("workbench");
        root.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        root.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                openDropped(e.getDragboard().getFiles().get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
        compute.setErrorSink(this::showError);
        compute.setWarningSink(this::showWarning);
    }

    /** Replaces the yes/no question before a surprising action (tests answer it without a dialog). */
    public void setConfirmation(Predicate<String> confirm) {
        this.confirm = confirm;
    }

    /** Shows a warning: the action worked, but the user should know something about it. */
    public void showWarning(String message) {
        model.commitError(message);
        alert(Alert.AlertType.WARNING, "Done, with a warning", message).show();
    }

    private boolean ask(String question) {
        Alert a = alert(Alert.AlertType.CONFIRMATION, null, question);
        a.getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        return a.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    /** A dialog of the window (owned by it once it is shown). */
    private Alert alert(Alert.AlertType type, String header, String message) {
        Alert a = new Alert(type, message);
        a.setHeaderText(header);
        a.setTitle("ASR Workbench");
        if (root.getScene() != null) {
            a.initOwner(root.getScene().getWindow());
        }
        return a;
    }

    /** False when the sparsity is 0 and the user does not want to go on (nothing is pruned, so nothing to repair). */
    private boolean pruningOrConfirmed(String action) {
        return model.sparsityProperty().get() > 0 || confirm.test("The sparsity is 0: nothing will be pruned, so there is "
                + "nothing to repair. " + action + " anyway?");
    }

    private void applyIfPruning() {
        if (pruningOrConfirmed("Apply & Evaluate")) {
            repair.applyAndEvaluate();
        }
    }

    public Parent root() {
        return root;
    }

    public WorkbenchTabs tabs() {
        return tabs;
    }

    /** The left panel (pruning, repair and calibration controls). */
    public ControlPanel controls() {
        return controls;
    }

    /** Replaces the file choosers (tests answer them without a platform dialog). */
    public void setFileDialogs(FileDialogs dialogs) {
        this.dialogs = dialogs;
    }

    /** Shows a failure with its message (which names the file); the previous state is kept. */
    public void showError(String message) {
        alert(Alert.AlertType.ERROR, "That did not work \u2014 nothing was changed", message).show();
    }

    /** Saves the session to the autosave file (quietly: a failed autosave must not interrupt work). */
    public void autosave() {
        try {
            sessions.autosave(autosave);
        } catch (IOException | RuntimeException e) {
            model.commitError("autosave: " + e.getMessage());
        }
    }

    /** Runs a user action; every failure is shown in a dialog (see {@link UserAction}). */
    private void act(UserAction.Body action) {
        UserAction.run(action, this::showError);
    }

    /** Starts auto and shows its tab, where the candidates table and chart appear when it is done. */
    private void runAuto() {
        if (pruningOrConfirmed("Auto") && auto.auto()) {
            tabs.showAuto();
        }
    }

    private void pruneIfReady() {
        if (model.getModel() != null && !compute.isBusy() && !model.pruneIsCurrent()) {
            act(repair::prune);
        }
    }

    private void openDropped(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            act(() -> sessions.load(p));
        } else if (name.endsWith(".safetensors") || name.endsWith(".th") || name.endsWith(".pt") || name.endsWith(".pth")
                || name.endsWith(".onnx")) {
            act(() -> models.openModel(p));
        } else if (model.getEvalDataset() == null) {
            act(() -> models.openEvalDataset(p));
        } else {
            act(() -> models.openCalibDataset(p));
        }
    }

    /** Rule files in the method list. */
    public MethodController methods() {
        return methods;
    }

    private MenuBar menu() {
        Menu file = new Menu("_File");
        file.getItems().addAll(
                jobItem("Open _model\u2026", "Shortcut+O", () -> open("Open model", "*.safetensors", "*.th", "*.pt", "*.pth", "*.onnx")
                        .ifPresent(models::openModel)),
                item("Model _card\u2026", null, this::showModelCard),
                jobItem("Open _evaluation dataset\u2026", "Shortcut+E", () -> chooseDataset(models::openEvalDataset)),
                jobItem("Open evaluation image folder\u2026", null, () -> chooseFolder(models::openEvalDataset)),
                jobItem("Open _calibration dataset\u2026", "Shortcut+Shift+E", () -> chooseDataset(models::openCalibDataset)),
                jobItem("Open calibration image folder\u2026", null, () -> chooseFolder(models::openCalibDataset)),
                jobItem("Load repair _rule\u2026", null, () -> open("Load repair rule (JSON, docs/rules.md)", "*.json")
                        .ifPresent(methods::loadRule)),
                recentMenu, samples(),
                jobItem("Open s_weep results\u2026", null, () -> dialogs.folder(window(),
                        "Open sweep results (a sweep --out-dir)").ifPresent(sessions::openSweepResults)),
                new SeparatorMenuItem(),
                item("Export chart as PNG\u2026", "Shortcut+P", () -> exportChart("png")),
                item("Export chart as SVG\u2026", "Shortcut+Shift+P", () -> exportChart("svg")),
                item("Export statistics JSON\u2026", null, () -> save("Export statistics", suggestedName() + "-stats", "*.json")
                        .ifPresent(exports::exportStats)),
                item("Export runs CSV\u2026", null, () -> save("Export runs", "runs", "*.csv")
                        .ifPresent(p -> act(() -> exports.exportRuns(p)))),
                jobItem("Export repaired model\u2026", "Shortcut+Shift+S", () -> save("Export repaired model",
                        suggestedName() + "-repaired", exports.repairedPatterns().toArray(String[]::new))
                        .ifPresent(exports::exportRepaired)),
                new SeparatorMenuItem(),
                item("_Save session\u2026", "Shortcut+S", () -> save("Save session", suggestedName(), "*" + SessionFile.SUFFIX)
                        .ifPresent(p -> act(() -> sessions.save(p)))),
                jobItem("_Load session\u2026", "Shortcut+L", () -> open("Load session", "*" + SessionFile.SUFFIX, "*.json").ifPresent(sessions::load)),
                jobItem("Restore autosaved session", null, () -> sessions.load(autosave)),
                new SeparatorMenuItem(),
                item("_Quit", "Shortcut+Q", () -> root.getScene().getWindow().hide()));
        Menu run = new Menu("_Run");
        MenuItem cancel = item("_Cancel job", "Escape", compute::cancel);
        cancel.disableProperty().bind(model.jobRunningProperty().not());
        run.getItems().addAll(
                jobItem("_Prune", "Shortcut+R", repair::prune),
                jobItem("_Statistics pass", "Shortcut+T", repair::statisticsPass),
                jobItem("_Apply & evaluate", "Shortcut+Enter", this::applyIfPruning),
                jobItem("A_uto: choose method & \u03bb", "Shortcut+U", this::runAuto),
                jobItem("S_weep\u2026", "Shortcut+G", () -> SweepDialog.show(window(), model).ifPresent(sweeps::sweep)),
                cancel);
        CheckMenuItem dark = new CheckMenuItem("_Dark theme");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        dark.selectedProperty().bindBidirectional(model.darkThemeProperty());
        Menu view = new Menu("_View", null, dark,
                item("_Zoomable chart window", "Shortcut+Z", this::openChartWindow));
        Menu help = new Menu("_Help");
        MenuBar bar = new MenuBar(file, run, view, help);
        help.getItems().addAll(item("_Keyboard shortcuts", "F1", () -> HelpDialogs.shortcuts(window(), bar)),
                item("_About ASR Workbench", null, () -> HelpDialogs.about(window(), model.deviceProperty().get())));
        return bar;
    }

    /** A menu item that starts a job: disabled while one runs (its shortcut too), as the buttons are. */
    private MenuItem jobItem(String text, String accelerator, Runnable action) {
        MenuItem i = item(text, accelerator, action);
        i.disableProperty().bind(model.jobRunningProperty());
        return i;
    }

    /** A name to propose for files of this state: model, pruning and sparsity, method (and lambda for asr). */
    String suggestedName() {
        if (model.getModel() == null) {
            return "asr-workbench";
        }
        String base = model.getModel().source().getFileName().toString().replaceFirst("\\.[^.]+$", "");
        var r = model.repairSettings();
        StringBuilder params = new StringBuilder();
        r.params().forEach((k, v) -> params.append('-').append(k).append(Formats.lambda(v)));
        return String.format(Locale.ROOT, "%s-%s-%.0f-%s%s", base, model.pruneKindProperty().get().id(),
                model.sparsityProperty().get() * 100, r.method().id().replace(':', '-'), params);
    }

    private Menu samples() {
        Menu m = new Menu("Samples");
        for (SampleModels.Sample sample : SampleModels.list()) {
            m.getItems().add(item(sample.name(), null, () -> models.openSample(sample)));
        }
        if (m.getItems().isEmpty()) {
            m.getItems().add(disabled("No sample models found (sample-models/)"));
        }
        return m;
    }

    private static MenuItem disabled(String text) {
        MenuItem i = new MenuItem(text);
        i.setDisable(true);
        return i;
    }

    private MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem i = new MenuItem(text);
        if (accelerator != null) {
            i.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        i.setOnAction(e -> act(action::run));
        return i;
    }

    private void exportChart(String ext) {
        JFreeChart chart = tabs.currentChart();
        if (chart == null) {
            throw new IllegalStateException("Select a chart tab first (the Layers tab is a table)");
        }
        String name = tabs.node().getSelectionModel().getSelectedItem().getText().toLowerCase(Locale.ROOT).replace(' ', '-');
        save("Export chart", suggestedName() + "-" + name, "*." + ext)
                .ifPresent(p -> act(() -> ChartExport.write(chart, p, 1200, 700)));
    }

    /**
     * Opens the selected tab's chart in its own window with JFreeChart-FX's interactive viewer
     * (mouse-wheel and drag zoom, pan, tooltips, its context menu). The tabs themselves show
     * images drawn off the FX thread, so the lambda slider never waits for a redraw.
     */
    private void openChartWindow() {
        JFreeChart chart = tabs.currentChart();
        if (chart == null) {
            throw new IllegalStateException("Select a chart tab first (the Layers tab is a table)");
        }
        Stage stage = new Stage();
        stage.initOwner(window());
        stage.setTitle(chart.getTitle() == null ? "Chart" : chart.getTitle().getText());
        stage.setScene(new Scene(new ChartViewer(chart), 1000, 650));
        stage.show();
    }

    private void chooseDataset(Consumer<Path> open) {
        open("Open dataset (CIFAR binary or IDX images file)", "*").ifPresent(open);
    }

    private void chooseFolder(Consumer<Path> open) {
        dialogs.folder(window(), "Open an image folder (one sub-folder per class), an IDX or a CIFAR python folder")
                .ifPresent(open);
    }

    private java.util.Optional<Path> open(String title, String... patterns) {
        return dialogs.open(window(), title, patterns);
    }

    /** The save dialog proposing {@code name}; the file gets the extension of the filter when it has none. */
    private java.util.Optional<Path> save(String title, String name, String... patterns) {
        String ext = patterns[0].substring(1);
        return dialogs.saveAs(window(), title, name + ext, patterns).map(p -> java.util.Arrays.stream(patterns)
                .anyMatch(q -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(q.substring(1).toLowerCase(Locale.ROOT)))
                ? p : withExtension(p, ext));
    }

    /**
     * {@code file} with {@code ext} (such as {@code .png} or {@code .asrsession.json}) appended
     * unless its name already ends with the extension's last part ({@code .png}, {@code .json}).
     */
    public static Path withExtension(Path file, String ext) {
        String name = file.getFileName().toString();
        String last = ext.substring(ext.lastIndexOf('.'));
        return name.toLowerCase(Locale.ROOT).endsWith(last.toLowerCase(Locale.ROOT)) ? file : file.resolveSibling(name + ext);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    /** Records a file the user opened; a list that cannot be saved must not interrupt the work. */
    private void remember(RecentFiles.Kind kind, Path file) {
        try {
            recent.add(kind, file);
        } catch (IOException e) {
            model.commitError(e.getMessage());
        }
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (RecentFiles.Entry e : recent.entries()) {
            Path p = Path.of(e.path());
            MenuItem i = new MenuItem(p.getFileName() + "  \u2014  " + e.kind().label());
            i.setMnemonicParsing(false);
            i.setOnAction(x -> openRecent(e));
            recentMenu.getItems().add(i);
        }
        if (recent.entries().isEmpty()) {
            recentMenu.getItems().add(disabled("No recent files"));
        } else {
            MenuItem clear = new MenuItem("Clear recent files");
            clear.setOnAction(x -> act(recent::clear));
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    private void openRecent(RecentFiles.Entry e) {
        Path p = Path.of(e.path());
        if (!Files.exists(p)) {
            act(() -> recent.remove(e));
            showError(p + ": no longer exists; removed from the recent files");
            return;
        }
        switch (e.kind()) {
            case MODEL -> act(() -> models.openModel(p));
            case EVAL -> act(() -> models.openEvalDataset(p));
            case CALIB -> act(() -> models.openCalibDataset(p));
            case SESSION -> act(() -> sessions.load(p));
            case RULE -> act(() -> methods.loadRule(p));
        }
    }

    /** The open model's card: format, opset, producer, input shape, op census, units, layers without BN. */
    private void showModelCard() {
        if (model.getModel() == null) {
            return;
        }
        Alert a = new Alert(Alert.AlertType.INFORMATION,
                String.join("\n", org.asrworkbench.core.model.ModelCard.of(model.getModel()).lines()));
        a.setHeaderText("Model card: " + model.getModel().name());
        a.getDialogPane().setId("modelCard");
        a.initOwner(window());
        a.show();
    }

    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("statusBar");
        bar.textProperty().bind(model.jobMessageProperty());
        bar.progressProperty().bind(javafx.beans.binding.Bindings.when(model.jobRunningProperty())
                .then(model.jobProgressProperty()).otherwise(0.0));
        Label device = new Label();
        device.textProperty().bind(model.deviceProperty().map(d -> "Device: " + d));
        Label state = new Label();
        state.textProperty().bind(model.jobStatusProperty().map(s -> s.label()));
        state.getStyleClass().add("job-state");
        state.setPadding(new Insets(0, 12, 0, 0));
        Button cancel = new Button("Cancel");
        cancel.setId("cancel");
        cancel.disableProperty().bind(model.jobRunningProperty().not());
        cancel.setOnAction(e -> compute.cancel());
        bar.getLeftItems().add(state);
        Label warning = new Label();
        warning.setId("warning");
        warning.textProperty().bind(model.warningProperty());
        warning.visibleProperty().bind(model.warningProperty().isNotNull());
        warning.managedProperty().bind(warning.visibleProperty());
        warning.setStyle("-fx-text-fill: #b35900;");
        warning.setWrapText(false);
        warning.setMaxWidth(520);
        warning.setTooltip(new javafx.scene.control.Tooltip());
        warning.getTooltip().textProperty().bind(model.warningProperty());
        bar.getLeftItems().add(warning);
        javafx.scene.layout.HBox right = new javafx.scene.layout.HBox(12, device, cancel);
        right.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
        bar.getRightItems().add(right);
        bar.setPadding(new Insets(2, 8, 2, 8));
        return bar;
    }

    /**
     * The scene with the theme stylesheet, switched when the dark theme setting changes. Esc
     * cancels a running job wherever the focus is (a text field or a table would otherwise
     * take the key before the menu's accelerator).
     */
    public Scene scene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && compute.isBusy()) {
                compute.cancel();
                e.consume();
            }
        });
        Runnable theme = () -> scene.getStylesheets().setAll(
                MainWindow.class.getResource("/org/asrworkbench/app/" + (model.darkThemeProperty().get() ? "dark" : "light") + ".css")
                        .toExternalForm());
        theme.run();
        model.darkThemeProperty().addListener(o -> theme.run());
        return scene;
    }
}
