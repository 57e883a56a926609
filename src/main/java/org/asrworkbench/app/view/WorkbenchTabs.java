package org.asrworkbench.app.view;

import javafx.beans.Observable;
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
import org.asrworkbench.app.model.RunRecord;
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
    private final Tab autoTab;

    public WorkbenchTabs(WorkbenchModel model) {
        this.model = model;
        pane.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        pane.setId("tabs");

        Tab layers = new Tab("Layers", Tables.layers(model));
        Tab layerChart = chartTab("Layer chart", () -> {
            NetworkStats stats = model.getViewStats();
            NetworkStats overlay = estimateOverlay();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            boolean dark = dark();
            return () -> Charts.layers(stats, overlay, previews, dark);
        }, model.previewsProperty(), model.darkThemeProperty(), model.overlayEstimateProperty(), model.estimateProperty());
        Tab channels = chartTab("Channels", () -> {
            UnitStats unit = selected();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            List<RepairMethod> compared = model.comparedMethods();
            String value = model.channelValueProperty().get();
            boolean dark = dark();
            boolean estimate = model.showingEstimateProperty().get();
            return () -> Charts.marked(Charts.channels(unit, previews, compared, value, dark), estimate && unit != null,
                    dark);
        }, model.previewsProperty(), model.selectedUnitProperty(), model.darkThemeProperty(),
                model.channelValueProperty(), model.compareFirstProperty(), model.compareSecondProperty());
        channels.setContent(new BorderPane(channels.getContent(), ComparisonBar.channels(model), null, null, null));
        Tab damage = chartTab("Damage map", () -> {
            NetworkStats stats = model.getViewStats();
            boolean dark = dark();
            return () -> Charts.damageMap(stats, dark);
        }, model.viewStatsProperty(), model.darkThemeProperty());
        Tab teaching = chartTab("Teaching", () -> {
            UnitStats unit = teachingUnit();
            Map<RepairMethod, RepairPlan> previews = model.getPreviews();
            List<RepairMethod> compared = model.comparedMethods();
            boolean dark = dark();
            boolean estimate = model.showingEstimateProperty().get();
            return () -> Charts.marked(Charts.teaching(unit, previews, compared, dark), estimate && unit != null, dark);
        }, model.previewsProperty(), model.selectedUnitProperty(), model.darkThemeProperty(),
                model.compareFirstProperty(), model.compareSecondProperty());
        teachingText.setWrapText(true);
        teachingText.getStyleClass().add("teaching-text");
        teachingText.setPadding(new Insets(8, 16, 12, 16));
        teaching.setContent(new BorderPane(teaching.getContent(), ComparisonBar.teaching(model), null, teachingText, null));
        model.compareFirstProperty().addListener(o -> teachingText.setText(teachingSentences()));
        model.compareSecondProperty().addListener(o -> teachingText.setText(teachingSentences()));
        model.previewsProperty().addListener(o -> teachingText.setText(teachingSentences()));
        model.selectedUnitProperty().addListener(o -> teachingText.setText(teachingSentences()));
        teachingText.setText(teachingSentences());

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
        ChartView view = new ChartView(build);
        Tab tab = new Tab(title, view);
        views.put(tab, view);
        view.activeProperty().bind(tab.selectedProperty());
        for (Observable o : triggers) {
            o.addListener(x -> view.invalidate());
        }
        return tab;
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
        return s.units().get(RepairMetrics.mostMixedUnit(s.units()));
    }

    private String teachingSentences() {
        UnitStats u = teachingUnit();
        if (!model.comparedMethods().subList(0, 2).equals(Charts.COMPARED.subList(0, 2)) && u != null
                && !model.getPreviews().isEmpty()) {
            return String.format(java.util.Locale.ROOT, "Each bar is one channel of %s after pruning and repair by %s,"
                    + " %s and %s, as a fraction of its dense signal (preview); the dashed line is what pruning left (r_c),"
                    + " weakest channels on the left.", u.unit(), model.settingsFor(model.compareFirstProperty().get()).label(),
                    model.settingsFor(model.compareSecondProperty().get()).label(), model.settingsFor(RepairMethod.ASR).label());
        }
        if (u == null || model.getPreviews().isEmpty()) {
            return "Open a model and datasets, then run a statistics pass: this view then shows one unit's channels "
                    + "under three repairs.";
        }
        long weak = java.util.Arrays.stream(u.r()).filter(r -> r < 0.3).count();
        String estimate = model.showingEstimateProperty().get() ? "Shown: the " + LocalEstimate.LABEL
                + " (r_est); the exact pass replaces it when the slider rests. " : "";
        return estimate + String.format(java.util.Locale.ROOT,
                "Each bar is one channel of %s after pruning and repair, as a fraction of its dense signal; the dashed line "
                + "is what pruning left (r_c), weakest channels on the left (%d of %d below 0.3). Layer-wise repair "
                + "multiplies every channel by the same 1/R, so weak channels stay weak while healthy ones overshoot. "
                + "Channel-wise repair pushes every channel back to 1, blowing up the near-collapsed ones whose surviving "
                + "signal is mostly noise; ASR (\u03bb = %.3g) gives healthy channels their own correction and weak ones "
                + "the layer's.", u.unit(), weak, u.channels(), model.lambdaProperty().get());
    }
}
