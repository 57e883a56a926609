package org.asrworkbench.app.view;

import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.ChoiceBox;
import javafx.scene.layout.HBox;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import org.asrworkbench.app.chart.AutoChart;
import org.asrworkbench.app.chart.Charts;
import org.asrworkbench.app.chart.RepairMetrics;
import org.asrworkbench.app.model.Formats;
import org.asrworkbench.app.model.Heterogeneity;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.app.model.StatsPass;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.estimate.LocalEstimate;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.jfree.chart.JFreeChart;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * The centre tabs: layers, layer chart, channels, damage map, teaching, runs, auto. Each chart is
 * rebuilt from the model when what it shows changes (the lambda preview included).
 */
public final class WorkbenchTabs {
    private final WorkbenchModel model;
    private final TabPane pane = new TabPane();
    private final Map<Tab, ChartView> views = new LinkedHashMap<>();
    private final Label teachingText = new Label();
    private final Label channelText = new Label();
    private final ChartView damageView;
    private final Tab autoTab;

    public WorkbenchTabs(WorkbenchModel model) {
        this.model = model;
        pane.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        pane.setId("tabs");

        Tab layers = new Tab("Layers");
        layers.setContent(Tables.layers(model, layers.selectedProperty()));
        Tab layerChart = chartTab("Layer chart", () -> {
            NetworkStats stats = model.getViewStats();
            NetworkStats overlay = estimateOverlay();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            StatsPass compare = model.compareWithProperty().get();
            boolean dark = dark();
            return () -> Charts.layers(stats, overlay, previews, compare == null ? null : compare.stats(),
                    compare == null ? null : compare.label(), dark);
        }, model.previewsProperty(), model.compareWithProperty(), model.darkThemeProperty(), model.overlayEstimateProperty(),
                model.estimateProperty());
        layerChart.setContent(new BorderPane(layerChart.getContent(), compareBar(), null, null, null));
        Tab channels = chartTab("Channels", () -> {
            UnitStats unit = selected();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            List<RepairMethod> compared = model.comparedMethods();
            String value = model.channelValueProperty().get();
            int channel = model.selectedChannelProperty().get();
            boolean dark = dark();
            channelText.setText(unit != null && channel >= 0 && channel < unit.channels()
                    ? RepairMetrics.describeChannel(unit, channel)
                    : "Click a cell of the damage map to inspect one channel here (r_c, \u03c1_c, \u03b3_c, s2_d).");
            boolean estimate = model.showingEstimateProperty().get();
            return () -> Charts.marked(Charts.channels(unit, previews, compared, value, channel, dark),
                    estimate && unit != null, dark);
        }, model.previewsProperty(), model.selectedUnitProperty(), model.selectedChannelProperty(), model.darkThemeProperty(),
                model.channelValueProperty(), model.compareFirstProperty(), model.compareSecondProperty());
        channelText.setId("channelText");
        channelText.setWrapText(true);
        channelText.setPadding(new Insets(6, 16, 8, 16));
        channels.setContent(new BorderPane(channels.getContent(), ComparisonBar.channels(model), null, channelText, null));
        damageView = new ChartView(() -> {
            NetworkStats stats = model.getViewStats();
            StatsPass compare = model.compareWithProperty().get();
            String unit = model.selectedUnitProperty().get();
            int channel = model.selectedChannelProperty().get();
            boolean dark = dark();
            return () -> Charts.damageMap(stats, compare == null ? null : compare.stats(),
                    compare == null ? null : compare.label(), unit, channel, dark);
        });
        Tab damage = chartTab("Damage map", damageView, model.viewStatsProperty(), model.compareWithProperty(),
                model.selectedUnitProperty(), model.selectedChannelProperty(), model.darkThemeProperty());
        damageView.overlay().setId("damageInspector");
        damageView.setOnMouseMoved(e -> damageView.overlay().setText(describeAt(e.getX(), e.getY())));
        damageView.setOnMouseExited(e -> damageView.overlay().setText(""));
        damageView.setOnMouseClicked(e -> {
            int[] uc = channelAt(e.getX(), e.getY());
            if (uc != null) {
                model.selectedUnitProperty().set(model.getViewStats().units().get(uc[0]).unit());
                model.selectedChannelProperty().set(uc[1]);
                damageView.overlay().setText(describeAt(e.getX(), e.getY()));
            }
        });
        damage.setContent(new BorderPane(damage.getContent(), compareBar(), null, null, null));
        Tab teaching = chartTab("Teaching", () -> {
            UnitStats unit = teachingUnit();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            List<RepairMethod> compared = model.comparedMethods();
            boolean dark = dark();
            boolean estimate = model.showingEstimateProperty().get();
            teachingText.setText((estimate ? "Shown: the " + LocalEstimate.LABEL
                    + " (r_est); the exact pass replaces it when the slider rests. " : "")
                    + teachingSentences(unit, previews, model.lambdaProperty().get()));
            return () -> Charts.marked(Charts.teaching(unit, previews, compared, dark), estimate && unit != null, dark);
        }, model.previewsProperty(), model.selectedUnitProperty(), model.darkThemeProperty(),
                model.compareFirstProperty(), model.compareSecondProperty());
        teachingText.setId("teachingText");
        teachingText.setWrapText(true);
        teachingText.getStyleClass().add("teaching-text");
        teachingText.setPadding(new Insets(8, 16, 12, 16));
        teaching.setContent(new BorderPane(teaching.getContent(), ComparisonBar.teaching(model), null, teachingText, null));

        Tab runs = chartTab("Runs", () -> {
            List<RunRecord> list = List.copyOf(model.getRuns());
            boolean dark = dark();
            return () -> Charts.runs(list, dark);
        }, model.darkThemeProperty());
        model.getRuns().addListener((ListChangeListener<Object>) c -> views.get(runs).invalidate());
        SplitPane split = new SplitPane(Tables.runs(model), runs.getContent());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.4);
        runs.setContent(split);

        autoTab = chartTab("Auto", () -> {
            List<CandidateScore> candidates = List.copyOf(model.getAutoCandidates());
            int chosen = model.autoChosenProperty().get();
            boolean dark = dark();
            return () -> AutoChart.chart(candidates, chosen, dark);
        }, model.autoChosenProperty(), model.darkThemeProperty());
        model.getAutoCandidates().addListener((ListChangeListener<Object>) c -> views.get(autoTab).invalidate());
        Label autoSummary = new Label();
        autoSummary.setId("autoSummary");
        autoSummary.setWrapText(true);
        autoSummary.textProperty().bind(model.autoSummaryProperty());
        autoSummary.setPadding(new Insets(6, 10, 6, 10));
        autoSummary.visibleProperty().bind(model.autoSummaryProperty().isNotEmpty());
        autoSummary.managedProperty().bind(autoSummary.visibleProperty());
        SplitPane autoSplit = new SplitPane(new BorderPane(Tables.autoCandidates(model), autoSummary, null, null, null),
                autoTab.getContent());
        autoSplit.setOrientation(Orientation.VERTICAL);
        autoSplit.setDividerPositions(0.43);
        autoTab.setContent(autoSplit);

        pane.getTabs().addAll(layers, layerChart, channels, damage, teaching, runs, autoTab);
    }

    /** Brings the Auto tab (candidates table and chart) to the front. */
    public void showAuto() {
        pane.getSelectionModel().select(autoTab);
    }

    public TabPane node() {
        return pane;
    }

    /** A new chart of the selected tab's view, or null for a tab without a chart (the layer table). */
    public JFreeChart currentChart() {
        ChartView v = views.get(pane.getSelectionModel().getSelectedItem());
        return v == null ? null : v.chart();
    }

    /** True when the visible chart shows the current state (no redraw pending on the render thread). */
    public boolean chartsSettled() {
        return views.values().stream().filter(v -> v.activeProperty().get()).allMatch(ChartView::isSettled);
    }

    /** A tab whose chart is drawn off the FX thread, redrawn when a trigger changes and only while selected. */
    private Tab chartTab(String title, ChartView.Source build, Observable... triggers) {
        return chartTab(title, new ChartView(build), triggers);
    }

    /**
     * As above for a view made by the caller. Triggers are watched with change listeners, which
     * read every new value: an invalidation listener stays silent after the first change until
     * someone reads the value, and a hidden tab reads nothing (the Teaching text went stale so).
     */
    private Tab chartTab(String title, ChartView view, Observable... triggers) {
        Tab tab = new Tab(title, view);
        views.put(tab, view);
        view.activeProperty().bind(tab.selectedProperty());
        for (Observable o : triggers) {
            if (o instanceof javafx.beans.value.ObservableValue<?> v) {
                v.addListener((x, was, is) -> view.invalidate());
            } else {
                o.addListener(x -> view.invalidate());
            }
        }
        return tab;
    }

    /** "Compare with" above the layer chart and the damage map: a kept pass of this model, or none. */
    private HBox compareBar() {
        ChoiceBox<StatsPass> choice = new ChoiceBox<>();
        choice.setId("compareWith");
        choice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(StatsPass p) {
                return p == null ? "none" : p.label();
            }

            @Override
            public StatsPass fromString(String s) {
                return null;
            }
        });
        Runnable items = () -> {
            StatsPass keep = model.compareWithProperty().get();
            List<StatsPass> others = new java.util.ArrayList<>();
            others.add(null);
            model.getPasses().stream().filter(p -> p != model.currentPassProperty().get()).forEach(others::add);
            choice.getItems().setAll(others);
            choice.setValue(keep);
        };
        model.getPasses().addListener((ListChangeListener<StatsPass>) c -> items.run());
        model.currentPassProperty().addListener((o, a, b) -> items.run());
        items.run();
        choice.valueProperty().addListener((o, a, b) -> model.compareWithProperty().set(b));
        model.compareWithProperty().addListener((o, a, b) -> choice.setValue(b));
        choice.disableProperty().bind(Bindings.size(choice.getItems()).lessThan(2));
        Label label = new Label("Compare with an earlier pass:");
        Label hint = new Label();
        hint.getStyleClass().add("muted");
        hint.textProperty().bind(Bindings.when(Bindings.size(choice.getItems()).lessThan(2))
                .then("(run a second pass, e.g. another sparsity or method, to compare)").otherwise(""));
        HBox bar = new HBox(8, label, choice, hint);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        return bar;
    }

    /** The damage map's cell under a point of its view: {unit index, channel}, or null. */
    private int[] channelAt(double x, double y) {
        NetworkStats s = model.getViewStats();
        javafx.geometry.Point2D d = damageView.dataAt(x, y);
        if (s == null || d == null) {
            return null;
        }
        int u = (int) Math.round(d.getX());
        int c = (int) Math.round(d.getY());
        if (u < 0 || u >= s.units().size() || c < 0 || c >= s.units().get(u).channels()) {
            return null;
        }
        return new int[] {u, c};
    }

    /** The inspector's text for the cell under a point, or "" outside the cells. */
    private String describeAt(double x, double y) {
        int[] uc = channelAt(x, y);
        if (uc == null) {
            return "";
        }
        UnitStats u = model.getViewStats().units().get(uc[0]);
        String text = RepairMetrics.describeChannel(u, uc[1]);
        StatsPass compare = model.compareWithProperty().get();
        if (compare != null && compare.stats().hasUnit(u.unit()) && compare.stats().unit(u.unit()).channels() > uc[1]) {
            text += String.format(java.util.Locale.ROOT, "; r_c of %s: %.3f", compare.label(),
                    compare.stats().unit(u.unit()).r()[uc[1]]);
        }
        return text;
    }

    /** The damage map's view (tests map channels to points with it). */
    public ChartView damageView() {
        return damageView;
    }

    private boolean dark() {
        return model.darkThemeProperty().get();
    }

    /** The estimate for the pruning of the exact statistics on screen, when the overlay is on; else null. */
    private NetworkStats estimateOverlay() {
        WorkbenchModel.Estimate e = model.getEstimate();
        return model.overlayEstimateProperty().get() && !model.showingEstimateProperty().get() && e != null
                && model.getViewStats() != null && e.settings().equals(model.pruneSettings()) ? e.stats() : null;
    }

    private UnitStats selected() {
        NetworkStats s = model.getViewStats();
        String name = model.selectedUnitProperty().get();
        return s == null || name == null || !s.hasUnit(name) ? null : s.unit(name);
    }

    /** The selected unit, or the one whose channels are most mixed when none is selected. */
    private UnitStats teachingUnit() {
        UnitStats u = selected();
        NetworkStats s = model.getViewStats();
        if (u != null || s == null || s.units().isEmpty()) {
            return u;
        }
        return s.units().get(Heterogeneity.mostInstructive(s.units()));
    }

    /** What the Teaching view says, from the same unit and plans as its chart. */
    static String teachingSentences(UnitStats u, Map<RepairMethod, RepairPlan> previews, double lambda) {
        if (u == null || previews.isEmpty()) {
            return "Open a model and datasets, then run a statistics pass: this view then shows one unit's channels "
                    + "under three repairs.";
        }
        double[] r = u.r();
        double[] rho = u.rho();
        boolean[] dead = u.dead();
        long weak = java.util.stream.IntStream.range(0, r.length).filter(c -> !dead[c] && r[c] < Heterogeneity.WEAK).count();
        double rhoWeak = meanAbs(rho, c -> !dead[c] && r[c] < Heterogeneity.WEAK, r.length);
        double rhoRest = meanAbs(rho, c -> !dead[c] && r[c] >= Heterogeneity.WEAK, r.length);
        return String.format(java.util.Locale.ROOT,
                "Each bar is one channel of %s after pruning and repair, as a fraction of its dense signal; the dashed line "
                + "is what pruning left (r_c), weakest channels on the left (%d of %d below 0.3). The dark inner bar is the "
                + "part that is still signal (|\u03c1_c| of the bar): %s. Layer-wise repair multiplies every channel by "
                + "the same 1/R, so weak channels stay weak while healthy ones overshoot. Channel-wise repair pushes every "
                + "channel back to 1, amplifying what is left of the weak ones, mostly noise; ASR (\u03bb = %s) gives "
                + "healthy channels their own correction and weak ones the layer's.", u.unit(), weak, u.channels(),
                Double.isNaN(rhoWeak) ? "no channel is below 0.3 here"
                        : String.format(java.util.Locale.ROOT, "|\u03c1_c| averages %.2f on the weak channels and %.2f on the"
                        + " others", rhoWeak, rhoRest), Formats.lambda(lambda));
    }

    private static double meanAbs(double[] v, java.util.function.IntPredicate keep, int n) {
        return java.util.stream.IntStream.range(0, n).filter(keep).mapToDouble(c -> Math.abs(v[c])).average()
                .orElse(Double.NaN);
    }
}
