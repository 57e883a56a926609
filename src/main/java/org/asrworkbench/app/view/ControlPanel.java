package org.asrworkbench.app.view;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.util.SettingRules;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;

import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * The left panel: normalisation, pruning kind and sparsity, repair method and its parameters
 * ({@link ParamControls}; moving a slider updates the views through the preview path), calibration size and seed,
 * auto's selection set size, evaluation limit, and the buttons that start the exact pass, the
 * evaluation and auto.
 */
public final class ControlPanel extends VBox {
    private java.util.function.Consumer<Boolean> onPruningMoved = dragging -> { };

    /**
     * Called whenever the user moves the sparsity (slider or field) or picks a pruning kind, and
     * when the slider is released (the live estimate); the argument is true while the slider is held.
     */
    public void setOnPruningMoved(java.util.function.Consumer<Boolean> r) {
        onPruningMoved = r;
    }

    private static final double SPARSITY_MAX = 0.99;
    /** The normalisation entry that asks for a JSON file. */
    static final String FROM_FILE = "From file\u2026";

    private final ChoiceBox<String> norm = new ChoiceBox<>();
    private java.util.function.Supplier<java.util.Optional<java.nio.file.Path>> normalizationFiles = java.util.Optional::empty;

    /**
     * @param onPrune    called when the sparsity slider is released or the kind changes
     * @param onPass     the statistics pass button
     * @param onApply    the apply and evaluate button
     * @param onAuto     the auto button (chooses the method and lambda without labels)
     */
    public ControlPanel(WorkbenchModel model, Runnable onPrune, Runnable onPass, Runnable onApply, Runnable onAuto) {
        getStyleClass().add("control-panel");
        setPrefWidth(310); // room for "global-magnitude" in the Kind box beside the fields' scroll bar
        setMinWidth(260);

        Label inputMessage = message();
        Label pruneMessage = message();
        Label calibMessage = message();

        norm.getItems().addAll(WorkbenchModel.SIDECAR, "cifar", "imagenet", "fashion-mnist", FROM_FILE);
        norm.setId("normalization");
        norm.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String v) {
                return v == null ? "" : v.endsWith(".json") ? java.nio.file.Path.of(v).getFileName().toString() : v;
            }

            @Override
            public String fromString(String v) {
                return v;
            }
        });
        boolean[] normSync = {false};
        Runnable showNorm = () -> {
            String v = model.normalizationProperty().get();
            normSync[0] = true;
            if (v != null && !norm.getItems().contains(v)) {
                norm.getItems().add(norm.getItems().size() - 1, v);
            }
            norm.setValue(v);
            normSync[0] = false;
        };
        norm.valueProperty().addListener((o, was, now) -> {
            if (normSync[0] || now == null) {
                return;
            }
            if (now.equals(FROM_FILE)) {
                java.util.Optional<java.nio.file.Path> file = normalizationFiles.get();
                if (file.isPresent()) {
                    model.normalizationProperty().set(file.get().toAbsolutePath().toString());
                }
                javafx.application.Platform.runLater(showNorm);
            } else {
                model.normalizationProperty().set(now);
            }
        });
        model.normalizationProperty().addListener(o -> showNorm.run());
        showNorm.run();
        norm.disableProperty().bind(model.jobRunningProperty());
        norm.setTooltip(new Tooltip("Input normalisation: the sidecar file beside the model, a preset, or a JSON file"
                + " (mean, std, input size). Changing it with a model open reloads the model and its datasets"
                + " (statistics and pruning start over); disabled while a job runs"));

        ChoiceBox<PruneKind> kind = new ChoiceBox<>();
        kind.getItems().addAll(PruneKind.values());
        kind.valueProperty().bindBidirectional(model.pruneKindProperty());
        kind.valueProperty().addListener((o, a, b) -> {
            if (kind.isShowing() || kind.isFocused()) {
                onPruningMoved.accept(false);
            }
            onPrune.run();
        });
        kind.setId("pruneKind");

        Slider sparsity = new Slider(0, SPARSITY_MAX, model.sparsityProperty().get());
        sparsity.setId("sparsity");
        sparsity.setShowTickMarks(true);
        sparsity.setMajorTickUnit(0.05);
        sparsity.setMinorTickCount(4);
        sparsity.setSnapToTicks(true);
        sparsity.setBlockIncrement(0.01);
        sparsity.setTooltip(new Tooltip("Sparsity: steps of 0.01, ticks every 0.05"));
        sparsity.valueProperty().addListener((o, a, b) -> {
            double v = Math.round(b.doubleValue() * 100) / 100.0;
            // only the user's moves drive the live estimate (a session or a test setting the value starts nothing)
            boolean user = v != model.sparsityProperty().get()
                    && (sparsity.isValueChanging() || sparsity.isPressed() || sparsity.isFocused());
            if (user) {
                model.moveSparsity(v);
                onPruningMoved.accept(sparsity.isValueChanging());
            } else {
                model.sparsityProperty().set(v);
            }
        });
        sparsity.valueChangingProperty().addListener((o, was, is) -> {
            if (!is) {
                onPruningMoved.accept(false);
                onPrune.run();
            }
        });
        TextField sparsityField = numberField(model.sparsityProperty().get(), "%.2f", pruneMessage, "Sparsity", v -> {
            SettingRules.sparsity("Sparsity", v);
            if (v > SPARSITY_MAX) {
                throw new IllegalArgumentException("Sparsity above " + SPARSITY_MAX + " is beyond the slider's end"
                        + " (the command line takes it), not " + format("%.3f", v));
            }
            model.sparsityProperty().set(v);
            onPruningMoved.accept(false);
            onPrune.run();
        });
        sparsityField.setId("sparsityField");
        model.sparsityProperty().addListener((o, a, b) -> {
            sparsityField.setText(format("%.2f", b.doubleValue()));
            sparsity.setValue(b.doubleValue());
        });

        ChoiceBox<RepairMethod> method = new ChoiceBox<>(model.getMethods());
        method.valueProperty().bindBidirectional(model.methodProperty());
        method.setId("method");
        method.setTooltip(new Tooltip("The built-in methods and the rule files loaded (File \u203a Load repair rule\u2026)"));
        ChoiceBox<org.asrworkbench.core.graph.UnitSelection> units = new ChoiceBox<>(
                javafx.collections.FXCollections.observableArrayList(org.asrworkbench.core.graph.UnitSelection.values()));
        units.valueProperty().bindBidirectional(model.unitsProperty());
        units.setId("units");
        units.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(org.asrworkbench.core.graph.UnitSelection u) {
                return u == null ? "" : u.id();
            }

            @Override
            public org.asrworkbench.core.graph.UnitSelection fromString(String s) {
                return org.asrworkbench.core.graph.UnitSelection.parse(s);
            }
        });
        units.setTooltip(new Tooltip("Units repaired — all: every BatchNorm, and a virtual BN after each conv or linear"
                + " layer without its own (the classifier excepted); bn: BatchNorm units only, as in the paper"));
        units.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        method.setMaxWidth(Double.MAX_VALUE);
        // beside the method, so the panel keeps its height and Auto stays in view in a 1280x800 window
        HBox methodRow = new HBox(4, method, units);
        HBox.setHgrow(method, Priority.ALWAYS);
        ParamControls params = new ParamControls(model);
        Label preview = new Label("preview \u2014 no forward pass");
        preview.setId("previewBadge");
        preview.getStyleClass().add("preview-badge");
        // only its visibility changes: the space stays reserved, so the buttons below never move
        preview.visibleProperty().bind(model.statsProperty().isNotNull());

        Label estimate = new Label("\u2248 " + org.asrworkbench.core.estimate.LocalEstimate.LABEL);
        estimate.setId("estimateBadge");
        estimate.getStyleClass().add("estimate-badge");
        estimate.setWrapText(true);
        estimate.setTooltip(new Tooltip("While the sparsity moves the views show each layer's own damage, estimated from"
                + " the dense network's input covariances (no forward pass); the exact pass runs when the slider rests"));
        estimate.visibleProperty().bind(model.showingEstimateProperty());
        estimate.managedProperty().bind(estimate.visibleProperty());
        javafx.scene.control.CheckBox overlay = new javafx.scene.control.CheckBox("Overlay R_est on the layer chart");
        overlay.setId("overlayEstimate");
        overlay.selectedProperty().bindBidirectional(model.overlayEstimateProperty());
        overlay.setWrapText(true);
        overlay.setMnemonicParsing(false); // "R_est" keeps its underscore
        // there is nothing to overlay before the first estimate; hidden until then, it keeps the
        // buttons below where they were (in view in a small window)
        overlay.visibleProperty().bind(model.estimateProperty().isNotNull());
        overlay.managedProperty().bind(overlay.visibleProperty());

        Label modelName = fileLabel(model.modelProperty().map(m -> m.source()), "none \u2014 File menu");
        modelName.setId("modelName");
        Label evalName = fileLabel(model.evalDatasetProperty().map(d -> d.source()), "none \u2014 File menu");
        Label calibName = fileLabel(model.calibDatasetProperty().map(d -> d.source()), "none \u2014 File menu");

        TextField n = numberField(model.calibNProperty().get(), "%.0f", calibMessage, "Calibration N",
                v -> model.calibNProperty().set(SettingRules.calibrationSize("Calibration N", whole(v, "Calibration N"))));
        n.setId("calibN");
        model.calibNProperty().addListener((o, a, b) -> n.setText(b.toString()));
        TextField seed = new TextField(model.seedProperty().get());
        seed.setId("seed");
        seed.setOnAction(e -> model.seedProperty().set(seed.getText().trim()));
        seed.focusedProperty().addListener((o, a, b) -> {
            if (!b) {
                model.seedProperty().set(seed.getText().trim());
            }
        });
        model.seedProperty().addListener((o, a, b) -> seed.setText(b));
        TextField selectN = numberField(model.selectNProperty().get(), "%.0f", calibMessage, "Selection N",
                v -> model.selectNProperty().set(SettingRules.calibrationSize("Selection N", whole(v, "Selection N"))));
        selectN.setId("selectN");
        selectN.setTooltip(new Tooltip("Auto's selection set N_sel: calibration images drawn after the N statistics images,"
                + " on which each candidate is scored by its KL divergence from the dense network"));
        model.selectNProperty().addListener((o, a, b) -> selectN.setText(b.toString()));
        TextField limit = numberField(model.evalLimitProperty().get(), "%.0f", calibMessage, "Eval images",
                v -> model.evalLimitProperty().set(SettingRules.evalLimit("Eval images", whole(v, "Eval images"))));
        limit.setId("evalLimit");
        limit.setTooltip(new Tooltip("Evaluate the first K images of the evaluation split; 0 = all"));
        model.evalLimitProperty().addListener((o, a, b) -> limit.setText(b.toString()));

        Button pass = new Button("Statistics pass");
        pass.setId("pass");
        pass.setOnAction(e -> onPass.run());
        pass.setMaxWidth(Double.MAX_VALUE);
        Button apply = new Button("Apply & Evaluate");
        apply.setId("apply");
        apply.getStyleClass().add("accent");
        apply.setDefaultButton(true);
        apply.setOnAction(e -> onApply.run());
        apply.setMaxWidth(Double.MAX_VALUE);
        pass.disableProperty().bind(model.jobRunningProperty().or(model.modelProperty().isNull()));
        apply.disableProperty().bind(pass.disableProperty());
        Button auto = new Button("Auto: choose method & \u03bb");
        auto.setId("auto");
        auto.setTooltip(new Tooltip("Tries bn-recal, layer-wise, channel-wise and asr at several \u03bb, each with its own"
                + " exact pass, and keeps the one whose outputs are closest to the dense network's (no labels needed)"));
        auto.setOnAction(e -> onAuto.run());
        auto.setMaxWidth(Double.MAX_VALUE);
        auto.disableProperty().bind(pass.disableProperty());
        HBox row = new HBox(8, pass, apply);
        HBox.setHgrow(pass, Priority.ALWAYS);
        HBox.setHgrow(apply, Priority.ALWAYS);
        VBox buttons = new VBox(8, row, auto);
        buttons.setId("actionButtons");
        buttons.setPadding(new Insets(8, 12, 12, 12));

        VBox fields = new VBox(10,
                section("Input"), stacked("Model", modelName), stacked("Evaluation data", evalName),
                stacked("Calibration data", calibName), grid(new Object[][] {{"Normalisation", norm}}), inputMessage,
                new Separator(), section("Pruning"),
                grid(new Object[][] {{"Kind", kind}, {"Sparsity", sparsityField}}), sparsity, pruneMessage, estimate,
                overlay,
                new Separator(), section("Repair"),
                grid(new Object[][] {{"Method, units", methodRow}}), params, preview,
                new Separator(), section("Calibration & evaluation"),
                grid(new Object[][] {{"Calibration N", n}, {"Seed", seed}, {"Selection N", selectN},
                        {"Eval images", limit}}), calibMessage);
        fields.setPadding(new Insets(12, 12, 8, 12));
        // the fields scroll; the action buttons stay below them, whole and in view, however tall the
        // fields grow (a refusal message under a field once pushed them out of a 1280x800 window)
        ScrollPane scroll = new ScrollPane(fields);
        scroll.setId("controlFields");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().addAll(scroll, new Separator(), buttons);
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    /** A small caption above a value that gets the panel's full width (file names are long). */
    private static VBox stacked(String caption, Label value) {
        Label c = new Label(caption);
        c.getStyleClass().add("caption");
        return new VBox(1, c, value);
    }

    /** A label with a file's name (its full path in the tooltip), or {@code none} in a muted style. */
    private static Label fileLabel(javafx.beans.value.ObservableValue<java.nio.file.Path> file, String none) {
        Label l = new Label();
        l.setMaxWidth(Double.MAX_VALUE);
        l.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        Tooltip tip = new Tooltip();
        Runnable update = () -> {
            java.nio.file.Path p = file.getValue();
            l.setText(p == null ? none : p.getFileName().toString());
            tip.setText(p == null ? none : p.toString());
            l.getStyleClass().remove("muted");
            if (p == null) {
                l.getStyleClass().add("muted");
            }
        };
        file.addListener(o -> update.run());
        update.run();
        l.setTooltip(tip);
        return l;
    }

    private static GridPane grid(Object[][] rows) {
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        for (int i = 0; i < rows.length; i++) {
            Label l = new Label((String) rows[i][0]);
            l.setMinWidth(110);
            javafx.scene.Node field = (javafx.scene.Node) rows[i][1];
            if (field instanceof javafx.scene.control.Control c) {
                c.setMaxWidth(Double.MAX_VALUE);
            }
            GridPane.setHgrow(field, Priority.ALWAYS);
            g.addRow(i, l, field);
        }
        return g;
    }

    /** A number field written with {@code fmt}; see {@link #validated}. */
    private static TextField numberField(double initial, String fmt, Label message, String name, DoubleConsumer commit) {
        TextField f = new TextField(format(fmt, initial));
        f.setPrefColumnCount(7);
        validated(f, message, name, commit, null);
        return f;
    }

    /**
     * Commits the field's number on Enter or when it loses focus. Text that is not a number, or
     * a number {@code commit} rejects (an IllegalArgumentException with the reason), marks the
     * field and says why in {@code message}; on leaving the field its text reverts to
     * {@code current} (when given), so field and slider show the same value. The field's own
     * tooltip comes back once its value is taken.
     */
    static void validated(TextField f, Label message, String name, DoubleConsumer commit,
                                  java.util.function.Supplier<String> current) {
        Tooltip help = f.getTooltip();
        Runnable apply = () -> {
            String text = f.getText().trim();
            String problem = null;
            try {
                commit.accept(Double.parseDouble(text));
            } catch (NumberFormatException ex) {
                problem = name + ": \u201c" + text + "\u201d is not a number";
            } catch (IllegalArgumentException ex) {
                problem = ex.getMessage();
            }
            f.getStyleClass().remove("invalid");
            if (problem != null) {
                f.getStyleClass().add("invalid");
            }
            f.setTooltip(problem == null ? help : new Tooltip(problem));
            message.setText(problem == null ? "" : problem);
        };
        f.setOnAction(e -> apply.run());
        f.focusedProperty().addListener((o, a, b) -> {
            if (!b) {
                apply.run();
                if (current != null && f.getStyleClass().contains("invalid")) {
                    f.setText(current.get());
                    f.getStyleClass().remove("invalid");
                }
            }
        });
    }

    /** {@code v} as a whole number (its range is the setting's rule); the reason otherwise. */
    private static long whole(double v, String name) {
        if (v != Math.rint(v) || Math.abs(v) > Long.MAX_VALUE / 2.0) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + v);
        }
        return (long) v;
    }

    /** The line under a group of fields that says why a value was not taken (hidden while empty). */
    static Label message() {
        Label l = new Label();
        l.getStyleClass().add("field-message");
        l.setWrapText(true);
        l.visibleProperty().bind(l.textProperty().isNotEmpty());
        l.managedProperty().bind(l.visibleProperty());
        return l;
    }

    /** Where "From file..." asks for a normalisation JSON (the window's file dialog). */
    public void setNormalizationFiles(java.util.function.Supplier<java.util.Optional<java.nio.file.Path>> chooser) {
        this.normalizationFiles = chooser;
    }

    private static String format(String fmt, double v) {
        return String.format(Locale.ROOT, fmt, v);
    }
}
