package org.asrworkbench.app.view;

import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import org.asrworkbench.app.chart.Charts;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;

import java.util.List;

/**
 * The bar above the channel and teaching charts: which two methods go beside ASR, and (channel
 * view) which reported per-channel value is drawn over r_c.
 */
final class ComparisonBar {
    private ComparisonBar() {
    }

    static HBox channels(WorkbenchModel model) {
        ChoiceBox<String> value = new ChoiceBox<>();
        value.setId("channelValue");
        Runnable fill = () -> {
            List<String> labels = List.copyOf(Charts.channelValues(selected(model), model.getPreviews()).keySet());
            if (!labels.equals(value.getItems())) {
                String keep = model.channelValueProperty().get();
                value.getItems().setAll(labels);
                value.setValue(labels.contains(keep) ? keep : null);
            }
        };
        model.previewsProperty().addListener(o -> fill.run());
        model.selectedUnitProperty().addListener(o -> fill.run());
        fill.run();
        value.setValue(model.channelValueProperty().get());
        value.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.channelValueProperty().set(b);
            }
        });
        model.channelValueProperty().addListener((o, a, b) -> {
            if (value.getItems().contains(b)) {
                value.setValue(b);
            }
        });
        HBox bar = bar(model);
        bar.getChildren().addAll(new Label("Drawn over r_c:"), value);
        return bar;
    }

    static HBox teaching(WorkbenchModel model) {
        return bar(model);
    }

    private static HBox bar(WorkbenchModel model) {
        HBox bar = new HBox(8, new Label("Beside ASR:"), chooser(model, model.compareFirstProperty(), "compareFirst"),
                chooser(model, model.compareSecondProperty(), "compareSecond"));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 2, 10));
        return bar;
    }

    private static ChoiceBox<RepairMethod> chooser(WorkbenchModel model, ObjectProperty<RepairMethod> p, String id) {
        ChoiceBox<RepairMethod> c = new ChoiceBox<>(model.getMethods());
        c.setId(id);
        c.valueProperty().bindBidirectional(p);
        return c;
    }

    private static UnitStats selected(WorkbenchModel model) {
        NetworkStats s = model.getStats();
        String name = model.selectedUnitProperty().get();
        return s == null || name == null || !s.hasUnit(name) ? null : s.unit(name);
    }
}
