package org.asrworkbench.app.view;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.repair.RepairMethod;

import java.util.Locale;
import java.util.function.Function;

/** The layer table (selection drives the channel views), the runs table and auto's candidates table. */
public final class Tables {
    private Tables() {
    }

    public static TableView<UnitRow> layers(WorkbenchModel model) {
        TableView<UnitRow> t = new TableView<>(model.getUnitRows());
        t.setId("layerTable");
        t.getColumns().add(column("Unit", 180, UnitRow::unit));
        t.getColumns().add(column("Shape", 110, UnitRow::shape));
        t.getColumns().add(column("Params", 80, r -> String.format(Locale.ROOT, "%,d", r.params())));
        t.getColumns().add(column("Channels", 70, r -> Integer.toString(r.channels())));
        t.getColumns().add(column("Sparsity", 80, r -> Double.isNaN(r.sparsity()) ? "\u2014" : pct(r.sparsity())));
        t.getColumns().add(column("Retention R", 90, r -> Double.isNaN(r.retention()) ? "\u2014"
                : String.format(Locale.ROOT, "%.3f", r.retention())));
        t.getColumns().add(column("Dead", 60, r -> r.dead() < 0 ? "\u2014" : Integer.toString(r.dead())));
        t.getColumns().add(column("Collapsed", 80, r -> r.collapsed() < 0 ? "\u2014" : Integer.toString(r.collapsed())));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        javafx.scene.control.Label empty = new javafx.scene.control.Label();
        empty.setId("layerTablePlaceholder");
        empty.setWrapText(true);
        empty.setMaxWidth(640);
        // an open model without units (a BN-folded export) says why the table is empty
        empty.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            String why = model.getModel() == null ? null : org.asrworkbench.core.model.ModelCard.of(model.getModel()).warning();
            return why == null ? "Open a model (File \u203a Open model\u2026 or drop a file here)" : "This model has " + why;
        }, model.modelProperty()));
        t.setPlaceholder(empty);
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.selectedUnitProperty().set(b.unit());
            }
        });
        return t;
    }

    public static TableView<RunRecord> runs(WorkbenchModel model) {
        TableView<RunRecord> t = new TableView<>(model.getRuns());
        t.setId("runsTable");
        t.getColumns().add(column("Model", 150, RunRecord::model));
        t.getColumns().add(column("Pruning", 120, RunRecord::pruning));
        t.getColumns().add(column("Sparsity", 70, r -> pct(r.sparsity())));
        t.getColumns().add(column("Method", 100, RunRecord::method));
        t.getColumns().add(column("\u03bb", 60, r -> r.method().equals(RepairMethod.ASR.id())
                ? String.format(Locale.ROOT, "%.3g", r.lambda()) : "\u2014"));
        t.getColumns().add(column("N", 60, r -> Integer.toString(r.n())));
        t.getColumns().add(column("Top-1", 70, r -> pct(r.top1())));
        t.getColumns().add(column("Images", 70, r -> Integer.toString(r.images())));
        t.getColumns().add(column("Time", 70, r -> String.format(Locale.ROOT, "%.1f s", r.seconds())));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new javafx.scene.control.Label("No runs yet: press Apply & Evaluate"));
        return t;
    }

    /**
     * Auto's candidates: method, lambda, KL, agreement, top-1 (shown only when measured) and
     * status; the chosen row is marked and bold, a failed one says why.
     */
    public static TableView<CandidateScore> autoCandidates(WorkbenchModel model) {
        TableView<CandidateScore> t = new TableView<>(model.getAutoCandidates());
        t.setId("autoTable");
        t.getColumns().add(column("Method", 110, c -> c.settings().method().id()));
        t.getColumns().add(column("\u03bb", 60, c -> c.lambda() == null ? "\u2014"
                : String.format(Locale.ROOT, "%.3g", c.lambda())));
        t.getColumns().add(column("KL to dense", 100, c -> c.isFailed() ? "\u2014"
                : String.format(Locale.ROOT, "%.5f", c.kl())));
        t.getColumns().add(column("Agreement", 90, c -> c.isFailed() ? "\u2014" : pct(c.agreement())));
        TableColumn<CandidateScore, String> top1 = column("Top-1", 70, c -> c.top1() == null ? "\u2014" : pct(c.top1()));
        t.getColumns().add(top1);
        t.getColumns().add(column("Status", 260, c -> {
            int i = model.getAutoCandidates().indexOf(c);
            if (i == model.autoChosenProperty().get()) {
                return "\u2714 chosen";
            }
            return c.isFailed() ? "failed: " + (c.error() == null ? "non-finite score" : c.error()) : "";
        }));
        Runnable topVisible = () -> top1.setVisible(model.getAutoCandidates().stream().anyMatch(c -> c.top1() != null));
        model.getAutoCandidates().addListener((javafx.collections.ListChangeListener<CandidateScore>) ch -> topVisible.run());
        topVisible.run();
        t.setRowFactory(v -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(CandidateScore item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().remove("chosen-candidate");
                if (!empty && item != null && getIndex() == model.autoChosenProperty().get()) {
                    getStyleClass().add("chosen-candidate");
                }
            }
        });
        model.autoChosenProperty().addListener(o -> t.refresh());
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new javafx.scene.control.Label(
                "Press Auto: it tries every repair method and \u03bb and picks the one closest to the dense network"));
        return t;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static <S> TableColumn<S, String> column(String title, double width, Function<S, String> value) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        return c;
    }
}
