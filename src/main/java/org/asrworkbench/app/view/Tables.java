package org.asrworkbench.app.view;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.UnitRow;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.repair.RepairMethod;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The layer table (selection drives the channel views), the runs table and auto's candidates table. */
public final class Tables {
    private Tables() {
    }

    /**
     * The layer table, sortable by every column (numbers as numbers): shape, sparsity, R_u,
     * dead and collapsed counts, and the heterogeneity of r_c (IQR, shares below 0.3 and above
     * 0.7). Selecting a row selects the unit; a unit selected elsewhere (the damage map) is
     * selected here too. While {@code visible} is false (its tab is not selected) the table keeps
     * its rows and takes the model's newest ones when shown again: a hidden table is still laid
     * out, and rebuilding 55 rows per step of a sparsity drag cost the FX thread most of its time.
     */
    public static TableView<UnitRow> layers(WorkbenchModel model, javafx.beans.value.ObservableBooleanValue visible) {
        javafx.collections.ObservableList<UnitRow> rows = javafx.collections.FXCollections.observableArrayList(
                model.getUnitRows());
        model.getUnitRows().addListener((javafx.collections.ListChangeListener<UnitRow>) c -> {
            if (visible.get()) {
                rows.setAll(model.getUnitRows());
            }
        });
        visible.addListener((o, was, is) -> {
            if (is && !rows.equals(model.getUnitRows())) {
                rows.setAll(model.getUnitRows());
            }
        });
        SortedList<UnitRow> sorted = new SortedList<>(rows);
        TableView<UnitRow> t = new TableView<>(sorted);
        sorted.comparatorProperty().bind(t.comparatorProperty());
        t.setId("layerTable");
        t.getColumns().add(column("Unit", 170, UnitRow::unit));
        TableColumn<UnitRow, String> kind = column("Unit kind", 75, r -> r.kind().id());
        kind.setId("unitKindColumn");
        t.getColumns().add(kind);
        t.getColumns().add(column("Shape", 100, UnitRow::shape));
        t.getColumns().add(number("Params", 80, r -> r.params(), v -> String.format(Locale.ROOT, "%,d", (long) v)));
        t.getColumns().add(number("Channels", 70, UnitRow::channels, v -> Integer.toString((int) v)));
        t.getColumns().add(number("Sparsity", 75, UnitRow::sparsity, Formats::percent));
        t.getColumns().add(retention());
        t.getColumns().add(number("Dead", 55, r -> r.dead() < 0 ? Double.NaN : r.dead(), v -> Integer.toString((int) v)));
        t.getColumns().add(number("Collapsed", 75, r -> r.collapsed() < 0 ? Double.NaN : r.collapsed(),
                v -> Integer.toString((int) v)));
        TableColumn<UnitRow, Number> iqr = number("r_c IQR", 70, r -> r.spread() == null ? Double.NaN : r.spread().iqr(),
                v -> fixed(v, 2));
        iqr.setId("iqrColumn");
        t.getColumns().add(iqr);
        t.getColumns().add(number("r_c < 0.3", 70, r -> r.spread() == null ? Double.NaN : r.spread().weak(), Formats::percent));
        t.getColumns().add(number("r_c > 0.7", 70, r -> r.spread() == null ? Double.NaN : r.spread().strong(), Formats::percent));
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
        // a pseudo-class, not a style class: toggling a style class re-creates the row's CSS
        javafx.css.PseudoClass estimate = javafx.css.PseudoClass.getPseudoClass("estimate");
        t.setRowFactory(v -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(UnitRow item, boolean empty) {
                super.updateItem(item, empty);
                pseudoClassStateChanged(estimate, !empty && item != null && item.estimate());
            }
        });
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                model.selectedUnitProperty().set(b.unit());
            }
        });
        Runnable follow = () -> {
            String unit = model.selectedUnitProperty().get();
            UnitRow shown = t.getSelectionModel().getSelectedItem();
            if (unit != null && (shown == null || !shown.unit().equals(unit))) {
                t.getItems().stream().filter(r -> r.unit().equals(unit)).findFirst().ifPresent(r -> {
                    t.getSelectionModel().select(r);
                    t.scrollTo(r);
                });
            }
        };
        model.selectedUnitProperty().addListener(o -> follow.run());
        rows.addListener((javafx.collections.ListChangeListener<UnitRow>) c -> follow.run());
        return t;
    }

    /**
     * The runs: model, normalisation, pruning, method and lambda, calibration N and seed, and
     * dense, pruned and repaired top-1 with the gain over none; a new run is selected and scrolled to.
     */
    public static TableView<RunRecord> runs(WorkbenchModel model) {
        TableView<RunRecord> t = new TableView<>(model.getRuns());
        t.setId("runsTable");
        t.getColumns().add(column("Model", 140, RunRecord::model));
        t.getColumns().add(column("Norm.", 70, r -> r.normalization() == null ? "\u2014" : r.normalization()));
        t.getColumns().add(column("Pruning", 115, RunRecord::pruning));
        t.getColumns().add(number("Sparsity", 65, RunRecord::sparsity, Formats::percent));
        t.getColumns().add(column("Method", 90, RunRecord::method));
        t.getColumns().add(column("Parameters", 90, r -> params(r.paramValues())));
        t.getColumns().add(number("N", 50, RunRecord::n, v -> Integer.toString((int) v)));
        t.getColumns().add(column("Seed", 45, RunRecord::seed));
        t.getColumns().add(number("Dense", 60, RunRecord::top1Dense, Formats::percent));
        t.getColumns().add(number("Pruned", 60, RunRecord::top1Pruned, Formats::percent));
        t.getColumns().add(number("Repaired", 70, RunRecord::top1, Formats::percent));
        t.getColumns().add(number("Gain", 55, RunRecord::gainOverNone, Formats::points));
        t.getColumns().add(number("Images", 60, RunRecord::images, v -> Integer.toString((int) v)));
        t.getColumns().add(number("Time", 60, RunRecord::seconds, v -> String.format(Locale.ROOT, "%.1f s", v)));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new javafx.scene.control.Label("No runs yet: press Apply & Evaluate"));
        model.getRuns().addListener((javafx.collections.ListChangeListener<RunRecord>) c -> {
            while (c.next()) {
                if (c.wasAdded()) {
                    int last = c.getTo() - 1;
                    t.getSelectionModel().clearAndSelect(last);
                    t.scrollTo(last);
                }
            }
        });
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
        t.getColumns().add(column("Parameters", 90, c -> params(c.settings().params())));
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

    /**
     * R_u, sortable as a number; a row from the local estimate is written {@code ≈ 0.812} (or
     * "no estimate"), and the header's tooltip says what the ≈ means.
     */
    private static TableColumn<UnitRow, Number> retention() {
        TableColumn<UnitRow, Number> retention = number("Retention R", 90, UnitRow::retention, v -> fixed(v, 3));
        retention.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Number item, boolean empty) {
                super.updateItem(item, empty);
                UnitRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
                boolean est = row != null && row.estimate();
                setText(empty || item == null ? null : Double.isNaN(item.doubleValue()) ? (est ? "no estimate" : "\u2014")
                        : String.format(Locale.ROOT, est ? "\u2248 %.3f" : "%.3f", item.doubleValue()));
            }
        });
        javafx.scene.control.Label header = new javafx.scene.control.Label("Retention R");
        header.setTooltip(new javafx.scene.control.Tooltip("R from the exact pass; \u2248 R_est: the "
                + org.asrworkbench.core.estimate.LocalEstimate.LABEL + " (shown while the sparsity moves)"));
        retention.setGraphic(header);
        retention.setText("");
        return retention;
    }

    private static String pct(double v) {
        return Formats.percent(v);
    }

    private static String fixed(double v, int digits) {
        return Double.isNaN(v) ? "\u2014" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A column of numbers that sorts numerically (NaN last), written with {@code format} (NaN: a dash). */
    private static <S> TableColumn<S, Number> number(String title, double width, ToDoubleFunction<S> value,
                                                      java.util.function.DoubleFunction<String> format) {
        TableColumn<S, Number> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.applyAsDouble(d.getValue())));
        c.setComparator(java.util.Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue())
                ? Double.NEGATIVE_INFINITY : n.doubleValue()));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Number item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Double.isNaN(item.doubleValue()) ? "\u2014"
                        : format.apply(item.doubleValue()));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        return c;
    }

    private static <S> TableColumn<S, String> column(String title, double width, Function<S, String> value) {
        TableColumn<S, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        return c;
    }

    /** {@code lambda 0.25}, or a dash for a method without parameters. */
    private static String params(java.util.Map<String, Double> values) {
        return values.isEmpty() ? "\u2014" : String.join(", ", values.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.3g", e.getValue())).toList());
    }
}
