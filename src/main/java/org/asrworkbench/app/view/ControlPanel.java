package org.asrworkbench.app.view;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.asrworkbench.app.model.WorkbenchModel;
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

    /**
     * @param onPrune    called when the sparsity slider is released or the kind changes
     * @param onPass     the statistics pass button
     * @param onApply    the apply and evaluate button
     * @param onAuto     the auto button (chooses the method and lambda without labels)
     */
    public ControlPanel(WorkbenchModel model, Runnable onPrune, Runnable onPass, Runnable onApply, Runnable onAuto) {
        getStyleClass().add("control-panel");
        setSpacing(10);
        setPadding(new Insets(12));
        setPrefWidth(290);
        setMinWidth(260);

        ChoiceBox<String> norm = new ChoiceBox<>();
        norm.getItems().addAll(WorkbenchModel.SIDECAR, "cifar", "imagenet", "fashion-mnist");
        norm.valueProperty().bindBidirectional(model.normalizationProperty());
        norm.setTooltip(new Tooltip("Input normalisation used when a model is opened: its sidecar file, or a preset"));

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

        Slider sparsity = new Slider(0, 0.99, model.sparsityProperty().get());
        sparsity.setId("sparsity");
        sparsity.setShowTickMarks(true);
        sparsity.setMajorTickUnit(0.25);
        sparsity.valueProperty().bindBidirectional(model.sparsityProperty());
        sparsity.valueProperty().addListener((o, a, b) -> {
            if (sparsity.isValueChanging() || sparsity.isPressed() || sparsity.isFocused()) {
                onPruningMoved.accept(sparsity.isValueChanging());
            }
        });
        sparsity.valueChangingProperty().addListener((o, was, is) -> {
            if (!is) {
                onPruningMoved.accept(false);
                onPrune.run();
            }
        });
        TextField sparsityField = numberField(model.sparsityProperty().get(), "%.3f", v -> {
            model.sparsityProperty().set(Math.max(0, Math.min(0.99, v)));
            onPruningMoved.accept(false);
            onPrune.run();
        });
        model.sparsityProperty().addListener((o, a, b) -> sparsityField.setText(format("%.3f", b.doubleValue())));

        ChoiceBox<RepairMethod> method = new ChoiceBox<>(model.getMethods());
        method.valueProperty().bindBidirectional(model.methodProperty());
        method.setId("method");
        method.setTooltip(new Tooltip("The built-in methods and the rule files loaded (File \u203a Load repair rule\u2026)"));
        ParamControls params = new ParamControls(model);
        Label preview = new Label("preview \u2014 no forward pass");
        preview.getStyleClass().add("preview-badge");
        preview.visibleProperty().bind(model.statsProperty().isNotNull());
        preview.managedProperty().bind(preview.visibleProperty());

        Label estimate = new Label("\u2248 " + org.asrworkbench.core.estimate.LocalEstimate.LABEL);
        estimate.setId("estimateBadge");
        estimate.getStyleClass().add("estimate-badge");
        estimate.setWrapText(true);
        estimate.setTooltip(new Tooltip("While the sparsity moves the views show each layer's own damage, estimated from"
                + " the dense network's input covariances (no forward pass); the exact pass runs when the slider rests"));
        estimate.visibleProperty().bind(model.showingEstimateProperty());
        estimate.managedProperty().bind(estimate.visibleProperty());
        javafx.scene.control.CheckBox overlay = new javafx.scene.control.CheckBox("Overlay the estimate on the layer chart");
        overlay.setId("overlayEstimate");
        overlay.selectedProperty().bindBidirectional(model.overlayEstimateProperty());
        overlay.setWrapText(true);

        Label modelName = fileLabel(model.modelProperty().map(m -> m.source()), "none \u2014 File menu");
        modelName.setId("modelName");
        Label evalName = fileLabel(model.evalDatasetProperty().map(d -> d.source()), "none \u2014 File menu");
        Label calibName = fileLabel(model.calibDatasetProperty().map(d -> d.source()), "none \u2014 File menu");

        TextField n = numberField(model.calibNProperty().get(), "%.0f", v -> model.calibNProperty().set((int) v));
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
        TextField selectN = numberField(model.selectNProperty().get(), "%.0f", v -> model.selectNProperty().set((int) v));
        selectN.setId("selectN");
        selectN.setTooltip(new Tooltip("Auto's selection set N_sel: calibration images drawn after the N statistics images,"
                + " on which each candidate is scored by its KL divergence from the dense network"));
        model.selectNProperty().addListener((o, a, b) -> selectN.setText(b.toString()));
        TextField limit = numberField(model.evalLimitProperty().get(), "%.0f", v -> model.evalLimitProperty().set((int) v));
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

        getChildren().addAll(
                section("Input"), stacked("Model", modelName), stacked("Evaluation data", evalName),
                stacked("Calibration data", calibName), grid(new Object[][] {{"Normalisation", norm}}),
                new Separator(), section("Pruning"),
                grid(new Object[][] {{"Kind", kind}, {"Sparsity", sparsityField}}), sparsity, estimate, overlay,
                new Separator(), section("Repair"),
                grid(new Object[][] {{"Method", method}}), params, preview,
                new Separator(), section("Calibration & evaluation"),
                grid(new Object[][] {{"Calibration N", n}, {"Seed", seed}, {"Selection N", selectN},
                        {"Eval images", limit}}),
                new Separator(), buttons);
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

    /** A text field that commits a number on Enter or when it loses focus, and reverts bad input. */
    private static TextField numberField(double initial, String fmt, DoubleConsumer commit) {
        TextField f = new TextField(format(fmt, initial));
        f.setPrefColumnCount(7);
        Runnable apply = () -> {
            try {
                commit.accept(Double.parseDouble(f.getText().trim()));
                f.getStyleClass().remove("invalid");
            } catch (NumberFormatException ex) {
                if (!f.getStyleClass().contains("invalid")) {
                    f.getStyleClass().add("invalid");
                }
            }
        };
        f.setOnAction(e -> apply.run());
        f.focusedProperty().addListener((o, a, b) -> {
            if (!b) {
                apply.run();
            }
        });
        return f;
    }

    private static String format(String fmt, double v) {
        return String.format(Locale.ROOT, fmt, v);
    }
}
