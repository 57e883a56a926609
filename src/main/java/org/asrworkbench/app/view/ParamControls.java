package org.asrworkbench.app.view;

import javafx.beans.value.ChangeListener;
import javafx.beans.property.DoubleProperty;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.RepairMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The selected method's parameter controls, generated from its {@link MethodParam}s: a field and
 * a slider (log or linear, as the parameter says) for each, rebuilt when the method changes.
 * Moving a slider updates the views through the preview path. Ids: the slider is the
 * parameter's name ({@code lambda}), the field its name + {@code Field}; a refused value is marked
 * and explained under the slider (its name + {@code Message}), as the other fields of the panel do.
 */
final class ParamControls extends VBox {
    private final WorkbenchModel model;
    private final List<Runnable> unbind = new ArrayList<>();

    ParamControls(WorkbenchModel model) {
        this.model = model;
        setSpacing(6);
        model.methodProperty().addListener((o, a, b) -> rebuild(b));
        rebuild(model.methodProperty().get());
    }

    private void rebuild(RepairMethod m) {
        unbind.forEach(Runnable::run);
        unbind.clear();
        getChildren().clear();
        if (m == null || m.params().isEmpty()) {
            Label none = new Label(m == null ? "" : m.id() + " has no parameters");
            none.getStyleClass().add("muted");
            getChildren().add(none);
            return;
        }
        for (MethodParam p : m.params()) {
            getChildren().addAll(row(p));
        }
    }

    private List<javafx.scene.Node> row(MethodParam p) {
        DoubleProperty value = model.paramProperty(p.name());
        Slider slider = new Slider(p.sliderLow(), p.sliderHigh(), p.toSlider(value.get()));
        slider.setId(p.name());
        slider.setShowTickMarks(true);
        slider.setMajorTickUnit(p.log() ? 1 : (p.sliderHigh() - p.sliderLow()) / 4);
        String range = (p.log() ? "log scale" : "linear") + " from " + num(p.log() ? Math.pow(10, p.sliderLow()) : p.min())
                + " to " + num(p.max());
        slider.setTooltip(new Tooltip(p.name() + ", " + range));
        TextField field = new TextField(num(value.get()));
        field.setId(p.name() + "Field");
        field.setPrefColumnCount(7);
        field.setTooltip(new Tooltip(p.name() + " in [" + num(p.min()) + ", " + num(p.max()) + "], default "
                + num(p.defaultValue())));
        Label message = ControlPanel.message();
        message.setId(p.name() + "Message");
        ControlPanel.validated(field, message, p.name(), v -> value.set(p.check(v)), () -> num(value.get()));
        boolean[] syncing = {false};
        slider.valueProperty().addListener((o, a, b) -> {
            if (!syncing[0]) {
                value.set(p.fromSlider(b.doubleValue()));
            }
        });
        ChangeListener<Number> follow = (o, a, b) -> {
            field.setText(num(b.doubleValue()));
            field.getStyleClass().remove("invalid");
            message.setText("");
            syncing[0] = true;
            slider.setValue(p.toSlider(b.doubleValue()));
            syncing[0] = false;
        };
        value.addListener(follow);
        unbind.add(() -> value.removeListener(follow));
        GridPane g = new GridPane();
        g.setHgap(8);
        Label l = new Label(p.name());
        l.setMinWidth(110);
        field.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(field, Priority.ALWAYS);
        g.addRow(0, l, field);
        return List.of(g, slider, message);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
