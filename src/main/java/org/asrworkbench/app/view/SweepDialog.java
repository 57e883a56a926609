package org.asrworkbench.app.view;

import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import org.asrworkbench.app.controller.SweepController;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Asks for a sweep's grid: pruning kinds, sparsities, methods, lambdas, seeds and calibration
 * size, prefilled from the current settings. Bad input is explained under the fields and the
 * dialog stays open.
 */
public final class SweepDialog {
    private SweepDialog() {
    }

    public static Optional<SweepController.Plan> show(Window owner, WorkbenchModel model) {
        Dialog<SweepController.Plan> d = new Dialog<>();
        d.setTitle("Sweep");
        d.setHeaderText("Prune, repair and evaluate every combination; the runs land in the Runs tab.");
        if (owner != null) {
            d.initOwner(owner);
        }
        Map<PruneKind, CheckBox> kinds = new EnumMap<>(PruneKind.class);
        for (PruneKind k : PruneKind.values()) {
            CheckBox c = new CheckBox(k.id());
            c.setSelected(k == model.pruneKindProperty().get());
            kinds.put(k, c);
        }
        Map<RepairMethod, CheckBox> methods = new java.util.LinkedHashMap<>();
        for (RepairMethod m : model.getMethods()) {
            CheckBox c = new CheckBox(m.id());
            c.setSelected(RepairMethods.builtin(m.id()) != null && !m.id().endsWith("-corr"));
            methods.put(m, c);
        }
        TextField sparsities = new TextField("0.5, 0.7, 0.8, 0.9");
        sparsities.setId("sweepSparsities");
        Map<String, TextField> axes = new java.util.LinkedHashMap<>();
        for (RepairMethod m : model.getMethods()) {
            for (var p : m.params()) {
                axes.computeIfAbsent(p.name(), k -> new TextField(String.format(Locale.ROOT, "%.4g",
                        model.paramProperty(k).get())));
            }
        }
        TextField seeds = new TextField(model.seedProperty().get());
        TextField n = new TextField(Integer.toString(model.calibNProperty().get()));
        Label error = new Label();
        error.getStyleClass().add("error-text");
        error.setWrapText(true);

        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(12));
        g.addRow(0, new Label("Pruning kinds"), new FlowPane(10, 4, kinds.values().toArray(CheckBox[]::new)));
        g.addRow(1, new Label("Sparsities"), sparsities);
        g.addRow(2, new Label("Methods"), new FlowPane(10, 4, methods.values().toArray(CheckBox[]::new)));
        int row = 3;
        for (Map.Entry<String, TextField> a : axes.entrySet()) {
            a.getValue().setId("sweepParam-" + a.getKey());
            g.addRow(row++, new Label(a.getKey() + " (methods that have it)"), a.getValue());
        }
        g.addRow(row++, new Label("Seeds"), seeds);
        g.addRow(row++, new Label("Calibration N"), n);
        g.add(error, 0, row, 2, 1);
        g.setPrefWidth(520);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);

        SweepController.Plan[] grid = new SweepController.Plan[1];
        d.getDialogPane().lookupButton(ButtonType.OK).addEventFilter(ActionEvent.ACTION, e -> {
            try {
                Map<String, String> axisText = new java.util.LinkedHashMap<>();
                axes.forEach((k, f) -> axisText.put(k, f.getText()));
                grid[0] = SweepController.grid(selected(kinds), sparsities.getText(), selected(methods), axisText,
                        seeds.getText(), Integer.parseInt(n.getText().trim()));
            } catch (NumberFormatException ex) {
                error.setText("Calibration N: '" + n.getText().trim() + "' is not a whole number");
                e.consume();
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage());
                e.consume();
            }
        });
        d.setResultConverter(b -> b == ButtonType.OK ? grid[0] : null);
        return d.showAndWait();
    }

    private static <K> List<K> selected(Map<K, CheckBox> boxes) {
        return boxes.entrySet().stream().filter(e -> e.getValue().isSelected()).map(Map.Entry::getKey).toList();
    }
}
