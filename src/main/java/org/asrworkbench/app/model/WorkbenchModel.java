package org.asrworkbench.app.model;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.experiments.AutoSelect;
import org.asrworkbench.core.experiments.CandidateScore;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.LayerSparsity;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.model.ModelCard;
import org.asrworkbench.core.prune.PruneWarnings;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workbench's observable state. Settings the user edits are writable properties; everything
 * computed (model, datasets, pruning, statistics, plans, runs, job state) is exposed read-only
 * and changes only through the {@code commit...} methods, which controllers call on the UI
 * thread after a job succeeded, so a failed or cancelled job never leaves half a state behind.
 */
public final class WorkbenchModel {
    /** Normalisation choice meaning "the sidecar next to the model file". */
    public static final String SIDECAR = "sidecar";

    private final ReadOnlyObjectWrapper<LoadedModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<ImageDataset> evalDataset = new ReadOnlyObjectWrapper<>(this, "evalDataset");
    private final ReadOnlyObjectWrapper<ImageDataset> calibDataset = new ReadOnlyObjectWrapper<>(this, "calibDataset");
    private final ReadOnlyObjectWrapper<PruneResult> pruneResult = new ReadOnlyObjectWrapper<>(this, "pruneResult");
    private final ReadOnlyObjectWrapper<NetworkStats> stats = new ReadOnlyObjectWrapper<>(this, "stats");
    private final ReadOnlyObjectWrapper<RepairPlan> appliedPlan = new ReadOnlyObjectWrapper<>(this, "appliedPlan");
    private final ReadOnlyObjectWrapper<Estimate> estimate = new ReadOnlyObjectWrapper<>(this, "estimate");
    private final ReadOnlyObjectWrapper<NetworkStats> viewStats = new ReadOnlyObjectWrapper<>(this, "viewStats");
    private final ReadOnlyBooleanWrapper showingEstimate = new ReadOnlyBooleanWrapper(this, "showingEstimate");
    private final BooleanProperty overlayEstimate = new SimpleBooleanProperty(this, "overlayEstimate", true);
    private PruneSettings estimateAsked;
    private List<Object> rowsFrom = List.of();
    private final ReadOnlyObjectWrapper<Map<RepairMethod, RepairPlan>> previews =
            new ReadOnlyObjectWrapper<>(this, "previews", Map.of());
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<UnitRow> unitRows = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> runsView = FXCollections.unmodifiableObservableList(runs);
    private final ObservableList<UnitRow> unitRowsView = FXCollections.unmodifiableObservableList(unitRows);
    private final ObservableList<CandidateScore> autoCandidates = FXCollections.observableArrayList();
    private final ObservableList<CandidateScore> autoCandidatesView = FXCollections.unmodifiableObservableList(autoCandidates);
    private final ReadOnlyIntegerWrapper autoChosen = new ReadOnlyIntegerWrapper(this, "autoChosen", -1);
    private final ReadOnlyStringWrapper autoSummary = new ReadOnlyStringWrapper(this, "autoSummary", "");

    private final StringProperty normalization = new SimpleStringProperty(this, "normalization", SIDECAR);
    private final ObjectProperty<PruneKind> pruneKind = new SimpleObjectProperty<>(this, "pruneKind",
            PruneKind.GLOBAL_MAGNITUDE);
    private final DoubleProperty sparsity = new SimpleDoubleProperty(this, "sparsity", 0.9);
    private final ObjectProperty<RepairMethod> method = new SimpleObjectProperty<>(this, "method", RepairMethod.ASR);
    private final ObjectProperty<UnitSelection> units = new SimpleObjectProperty<>(this, "units", UnitSelection.ALL);
    private final ObservableList<RepairMethod> methods = FXCollections.observableArrayList(RepairMethods.builtins());
    private final ObservableList<RepairMethod> methodsView = FXCollections.unmodifiableObservableList(methods);
    /** The two methods the channel and teaching views put beside ASR. */
    private final ObjectProperty<RepairMethod> compareFirst = new SimpleObjectProperty<>(this, "compareFirst",
            RepairMethod.LAYER_WISE);
    private final ObjectProperty<RepairMethod> compareSecond = new SimpleObjectProperty<>(this, "compareSecond",
            RepairMethod.CHANNEL_WISE);
    /** The per-channel value the channel view draws over r_c (a label of Charts.channelValues). */
    private final StringProperty channelValue = new SimpleStringProperty(this, "channelValue", "asr: w");
    /** One value per parameter name, shared by the methods that have a parameter of that name. */
    private final Map<String, DoubleProperty> params = new LinkedHashMap<>();
    private final IntegerProperty calibN = new SimpleIntegerProperty(this, "calibN", 1024);
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "0");
    private final IntegerProperty selectN = new SimpleIntegerProperty(this, "selectN", AutoSelect.DEFAULT_SELECT_N);
    private final IntegerProperty evalLimit = new SimpleIntegerProperty(this, "evalLimit", 0);
    private final StringProperty selectedUnit = new SimpleStringProperty(this, "selectedUnit");
    private final IntegerProperty selectedChannel = new SimpleIntegerProperty(this, "selectedChannel", -1);
    private final ObservableList<StatsPass> passes = FXCollections.observableArrayList();
    private final ObservableList<StatsPass> passesView = FXCollections.unmodifiableObservableList(passes);
    private final ReadOnlyObjectWrapper<StatsPass> currentPass = new ReadOnlyObjectWrapper<>(this, "currentPass");
    private final ObjectProperty<StatsPass> compareWith = new SimpleObjectProperty<>(this, "compareWith");
    private final ReadOnlyStringWrapper modelNormalization = new ReadOnlyStringWrapper(this, "modelNormalization");

    private final ReadOnlyObjectWrapper<JobStatus> jobStatus = new ReadOnlyObjectWrapper<>(this, "jobStatus", JobStatus.IDLE);
    private final ReadOnlyBooleanWrapper jobRunning = new ReadOnlyBooleanWrapper(this, "jobRunning");
    private final ReadOnlyDoubleWrapper jobProgress = new ReadOnlyDoubleWrapper(this, "jobProgress");
    private final ReadOnlyStringWrapper jobMessage = new ReadOnlyStringWrapper(this, "jobMessage", "");
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper(this, "lastError");
    /** What the user must know about the model or the pruning (no units, layers left without a weight), or null. */
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper(this, "warning");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "cpu");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme");

    /**
     * The local damage estimate for one pruning (docs/repair-methods.md, "Local damage estimate"):
     * its statistics ({@code r = r_est}, marked as the estimate) and the layers' sparsity under its masks.
     */
    public record Estimate(PruneSettings settings, NetworkStats stats, List<LayerSparsity> perLayer,
                           List<RepairSettings> previewSettings, Map<RepairMethod, RepairPlan> previews) {
        /** An estimate without previews: the views compute them when it is shown. */
        public Estimate(PruneSettings settings, NetworkStats stats, List<LayerSparsity> perLayer) {
            this(settings, stats, perLayer, List.of(), null);
        }

        /** The previews computed with the estimate (off the UI thread) when they are those of {@code now}, else null. */
        public Map<RepairMethod, RepairPlan> previewsFor(NetworkStats shown, List<RepairSettings> now) {
            return previews != null && shown == stats && previewSettings.equals(now) ? previews : null;
        }
    }

    /** Heap the kept statistics passes may take together (the oldest are dropped beyond it). */
    public static final long PASS_BUDGET_BYTES = 64L << 20;

    public WorkbenchModel() {
        method.addListener((o, a, b) -> {
            if (b != null) {
                b.params().forEach(p -> clampInto(p));
            }
        });
        RepairMethod.ASR.params().forEach(p -> paramProperty(p.name()));
        model.addListener((o, a, b) -> refreshView());
        pruneResult.addListener((o, a, b) -> refreshView());
        stats.addListener((o, a, b) -> refreshView());
        estimate.addListener((o, a, b) -> refreshView());
        pruneKind.addListener((o, a, b) -> refreshView());
        sparsity.addListener((o, a, b) -> refreshView());
        units.addListener((o, a, b) -> refreshView());
        selectedUnit.addListener((o, a, b) -> selectedChannel.set(-1));
    }

    // ---- computed state (read-only) ----

    public ReadOnlyObjectProperty<LoadedModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public LoadedModel getModel() {
        return model.get();
    }

    public ReadOnlyObjectProperty<ImageDataset> evalDatasetProperty() {
        return evalDataset.getReadOnlyProperty();
    }

    public ImageDataset getEvalDataset() {
        return evalDataset.get();
    }

    public ReadOnlyObjectProperty<ImageDataset> calibDatasetProperty() {
        return calibDataset.getReadOnlyProperty();
    }

    public ImageDataset getCalibDataset() {
        return calibDataset.get();
    }

    public ReadOnlyObjectProperty<PruneResult> pruneResultProperty() {
        return pruneResult.getReadOnlyProperty();
    }

    public PruneResult getPruneResult() {
        return pruneResult.get();
    }

    /** Statistics of the last exact sequential pass (for the current pruning), or null. */
    public ReadOnlyObjectProperty<NetworkStats> statsProperty() {
        return stats.getReadOnlyProperty();
    }

    public NetworkStats getStats() {
        return stats.get();
    }

    /** The local estimate for the latest pruning settings it was asked for, or null. */
    public ReadOnlyObjectProperty<Estimate> estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    public Estimate getEstimate() {
        return estimate.get();
    }

    /**
     * What the views show: the exact statistics when they belong to the current pruning settings,
     * else the local estimate for the current settings when there is one, else null.
     */
    public ReadOnlyObjectProperty<NetworkStats> viewStatsProperty() {
        return viewStats.getReadOnlyProperty();
    }

    public NetworkStats getViewStats() {
        return viewStats.get();
    }

    /** True while the views show the local estimate rather than a pass's statistics. */
    public ReadOnlyBooleanProperty showingEstimateProperty() {
        return showingEstimate.getReadOnlyProperty();
    }

    /** Whether the layer chart draws the estimate's retention over the exact one (when both are for the same pruning). */
    public BooleanProperty overlayEstimateProperty() {
        return overlayEstimate;
    }

    /** The exact plan of the last sequential pass (preview = false), or null. */
    public ReadOnlyObjectProperty<RepairPlan> appliedPlanProperty() {
        return appliedPlan.getReadOnlyProperty();
    }

    public RepairPlan getAppliedPlan() {
        return appliedPlan.get();
    }

    /** Preview plans of every method in the list at its current parameters, from the cached statistics (empty without). */
    public ReadOnlyObjectProperty<Map<RepairMethod, RepairPlan>> previewsProperty() {
        return previews.getReadOnlyProperty();
    }

    public Map<RepairMethod, RepairPlan> getPreviews() {
        return previews.get();
    }

    /** The preview plan of the selected method, or null without statistics. */
    public RepairPlan getPreviewPlan() {
        return previews.get().get(method.get());
    }

    /** The runs, oldest first (one read-only view: listeners added to it stay registered). */
    public ObservableList<RunRecord> getRuns() {
        return runsView;
    }

    /** The layer table's rows (read-only view), rebuilt when the model, pruning or statistics change. */
    public ObservableList<UnitRow> getUnitRows() {
        return unitRowsView;
    }

    /**
     * The candidates of the last {@code auto} on the current pruning, in the order they ran
     * (read-only view; empty before the first, and again after a new model or pruning).
     */
    public ObservableList<CandidateScore> getAutoCandidates() {
        return autoCandidatesView;
    }

    /** Index into {@link #getAutoCandidates()} of the chosen candidate; -1 when none was chosen (or no auto ran). */
    public ReadOnlyIntegerProperty autoChosenProperty() {
        return autoChosen.getReadOnlyProperty();
    }

    /** One line on the last auto (what was chosen, on how many images, how long it took); empty when none. */
    public ReadOnlyStringProperty autoSummaryProperty() {
        return autoSummary.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<JobStatus> jobStatusProperty() {
        return jobStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty jobRunningProperty() {
        return jobRunning.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty jobProgressProperty() {
        return jobProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty jobMessageProperty() {
        return jobMessage.getReadOnlyProperty();
    }

    /** The message of the last failed job, or null. */
    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    /** A warning about the open model or the pruning that no repair can fix, naming the layers; null when none. */
    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    // ---- settings (writable) ----

    /** {@link #SIDECAR}, a preset name or a normalisation JSON file, used when a model is opened. */
    public StringProperty normalizationProperty() {
        return normalization;
    }

    public ObjectProperty<PruneKind> pruneKindProperty() {
        return pruneKind;
    }

    public DoubleProperty sparsityProperty() {
        return sparsity;
    }

    /** Which units the repair acts on: all (BN and virtual, the default) or bn (BatchNorm units only). */
    public ObjectProperty<UnitSelection> unitsProperty() {
        return units;
    }

    public ObjectProperty<RepairMethod> methodProperty() {
        return method;
    }

    /** ASR's shrinkage strength: the value of the parameter named {@code lambda}. */
    public DoubleProperty lambdaProperty() {
        return paramProperty("lambda");
    }

    /**
     * The value of parameter {@code name}, shared by every method with a parameter of that name;
     * created at the default of the first method (built-ins first, then loaded rules) that has it.
     */
    public DoubleProperty paramProperty(String name) {
        DoubleProperty p = params.get(name);
        if (p == null) {
            double dflt = 0;
            for (RepairMethod m : methods) {
                MethodParam mp = m.param(name);
                if (mp != null) {
                    dflt = mp.defaultValue();
                    break;
                }
            }
            p = new SimpleDoubleProperty(this, name, dflt);
            params.put(name, p);
        }
        return p;
    }

    /** The first method the channel and teaching views put beside ASR (layer-wise by default). */
    public ObjectProperty<RepairMethod> compareFirstProperty() {
        return compareFirst;
    }

    /** The second method the channel and teaching views put beside ASR (channel-wise by default). */
    public ObjectProperty<RepairMethod> compareSecondProperty() {
        return compareSecond;
    }

    /** The compared methods in view order: the two chosen ones, then ASR. */
    public List<RepairMethod> comparedMethods() {
        return List.of(compareFirst.get(), compareSecond.get(), RepairMethod.ASR);
    }

    /** The per-channel value the channel view draws over r_c. */
    public StringProperty channelValueProperty() {
        return channelValue;
    }

    /** The methods the user can choose: the built-ins, then loaded rules (read-only view). */
    public ObservableList<RepairMethod> getMethods() {
        return methodsView;
    }

    /**
     * Adds a loaded rule to the method list (replacing one of the same id) and selects it; its
     * parameters' values are brought into its ranges.
     */
    public void addMethod(RepairMethod m) {
        int at = -1;
        for (int i = 0; i < methods.size(); i++) {
            if (methods.get(i).id().equals(m.id())) {
                at = i;
            }
        }
        if (at >= 0 && RepairMethods.builtin(m.id()) != null) {
            throw new IllegalArgumentException(m.id() + " is a built-in method");
        }
        m.params().forEach(p -> {
            if (!params.containsKey(p.name())) {
                params.put(p.name(), new SimpleDoubleProperty(this, p.name(), p.defaultValue()));
            }
        });
        if (at >= 0) {
            boolean selected = method.get() == methods.get(at);
            methods.set(at, m);
            if (selected) {
                method.set(m);
            }
        } else {
            methods.add(m);
        }
        method.set(m);
    }

    private void clampInto(MethodParam p) {
        DoubleProperty v = paramProperty(p.name());
        double x = v.get();
        if (!(x >= p.min() && x <= p.max())) {
            v.set(Double.isNaN(x) ? p.defaultValue() : Math.min(p.max(), Math.max(p.min(), x)));
        }
    }

    public IntegerProperty calibNProperty() {
        return calibN;
    }

    /** An integer or {@code none}. */
    public StringProperty seedProperty() {
        return seed;
    }

    /** Size of auto's selection set {@code N_sel} (images drawn after the {@code N} calibration images). */
    public IntegerProperty selectNProperty() {
        return selectN;
    }

    /** Evaluate the first K images; 0 means the whole evaluation split. */
    public IntegerProperty evalLimitProperty() {
        return evalLimit;
    }

    /** The unit the channel and teaching views show. */
    public StringProperty selectedUnitProperty() {
        return selectedUnit;
    }

    /** The channel of the selected unit being inspected (clicked in the damage map); -1 for none. */
    public IntegerProperty selectedChannelProperty() {
        return selectedChannel;
    }

    /**
     * The exact statistics passes of this model, oldest first (read-only view), kept within
     * {@link #PASS_BUDGET_BYTES}; a new model starts a new list.
     */
    public ObservableList<StatsPass> getPasses() {
        return passesView;
    }

    /** The pass whose statistics are current, or null (a pass restored from the list, or the last one). */
    public ReadOnlyObjectProperty<StatsPass> currentPassProperty() {
        return currentPass.getReadOnlyProperty();
    }

    /** A kept pass to compare the current one with (layer chart and damage map), or null. */
    public ObjectProperty<StatsPass> compareWithProperty() {
        return compareWith;
    }

    /** A kept pass computed from exactly these inputs, or null. */
    public StatsPass findPass(StatsPass.Key key) {
        for (int i = passes.size() - 1; i >= 0; i--) {
            if (passes.get(i).key().matches(key)) {
                return passes.get(i);
            }
        }
        return null;
    }

    /** The normalisation choice the open model was loaded with (see {@link #normalizationProperty()}), or null. */
    public ReadOnlyStringProperty modelNormalizationProperty() {
        return modelNormalization.getReadOnlyProperty();
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** The current pruning settings. */
    public PruneSettings pruneSettings() {
        return PruneSettings.of(pruneKind.get(), sparsity.get());
    }

    /** The current repair settings. */
    public RepairSettings repairSettings() {
        return settingsFor(method.get());
    }

    /** {@code m} at the current values of its parameters. */
    /** The settings of every method in the list, at their current parameters: what the previews show. */
    public List<RepairSettings> previewSettings() {
        return methods.stream().map(this::settingsFor).toList();
    }

    public RepairSettings settingsFor(RepairMethod m) {
        Map<String, Double> values = new LinkedHashMap<>();
        m.params().forEach(p -> values.put(p.name(), paramProperty(p.name()).get()));
        return new RepairSettings(m, values, units.get());
    }

    /** True when the current pruning result was made with the current pruning settings. */
    public boolean pruneIsCurrent() {
        PruneResult p = pruneResult.get();
        return p != null && p.settings().equals(pruneSettings());
    }

    // ---- commits (UI thread, after a job succeeded) ----

    /**
     * A new model, loaded with normalisation choice {@code normChoice}: pruning, statistics,
     * estimate, plans and kept passes of the previous one are dropped. The selected unit is kept when the
     * new model has it; otherwise the first pass selects the most instructive unit.
     */
    public void commitModel(LoadedModel m, String normChoice) {
        clearDerived();
        estimate.set(null);
        compareWith.set(null);
        passes.clear();
        pruneResult.set(null);
        modelNormalization.set(m == null ? null : normChoice);
        model.set(m);
        warning.set(m == null ? null : ModelCard.of(m).warning());
        if (m == null || m.graph().units().stream().noneMatch(u -> u.name().equals(selectedUnit.get()))) {
            selectedUnit.set(null);
        }
    }

    /** Replaces the evaluation dataset (the previous one is returned so the caller can close it). */
    public ImageDataset commitEvalDataset(ImageDataset d) {
        ImageDataset old = evalDataset.get();
        evalDataset.set(d);
        return old;
    }

    /** Replaces the calibration dataset (the previous one is returned so the caller can close it). */
    public ImageDataset commitCalibDataset(ImageDataset d) {
        ImageDataset old = calibDataset.get();
        calibDataset.set(d);
        return old;
    }

    /** A new pruning: the statistics of the previous one no longer apply. */
    public void commitPrune(PruneResult p) {
        clearDerived();
        pruneResult.set(p);
        LoadedModel m = model.get();
        String w = PruneWarnings.message(PruneWarnings.emptiedLayers(p), List.of());
        warning.set(w != null ? w : m == null ? null : ModelCard.of(m).warning());
    }

    /** The local estimate for {@code e.settings()} (the views show it while no pass matches the settings). */
    public void commitEstimate(Estimate e) {
        estimate.set(e);
    }

    /**
     * The user moved the pruning to {@code s} and its estimate is on its way: until it arrives the
     * views keep showing the latest estimate instead of going blank.
     */
    /**
     * The user moves the sparsity to {@code v} (the slider): while an estimate is shown the views
     * keep it until {@code v}'s lands, instead of going blank between the move and the request
     * for its estimate (which would rebuild every row, preview and chart twice per step).
     */
    public void moveSparsity(double v) {
        if (showingEstimate.get()) {
            estimateAsked = PruneSettings.of(pruneKind.get(), v);
        }
        sparsity.set(v);
    }

    public void estimateAsked(PruneSettings s) {
        estimateAsked = s;
        refreshView();
    }

    /** The estimate no longer applies (other calibration images); the views fall back to the exact statistics. */
    public void clearEstimate() {
        estimate.set(null);
    }

    /**
     * The outcome of an exact sequential pass (new, or a kept one reused): it becomes the current
     * statistics and joins the kept passes. Without a selected unit, the most instructive one
     * (see {@link Heterogeneity#mostInstructive}) is selected.
     */
    public void commitPass(StatsPass pass) {
        if (!passes.contains(pass)) {
            passes.add(pass);
            long bytes = passes.stream().mapToLong(StatsPass::bytes).sum();
            while (passes.size() > 1 && bytes > PASS_BUDGET_BYTES) {
                bytes -= passes.remove(0).bytes();
            }
            if (compareWith.get() != null && !passes.contains(compareWith.get())) {
                compareWith.set(null);
            }
        }
        if (compareWith.get() == pass) {
            compareWith.set(null);
        }
        currentPass.set(pass);
        appliedPlan.set(pass.plan());
        stats.set(pass.stats());
        List<UnitStats> units = pass.stats().units();
        if (!units.isEmpty() && (selectedUnit.get() == null || !pass.stats().hasUnit(selectedUnit.get()))) {
            selectedUnit.set(units.get(Heterogeneity.mostInstructive(units)).unit());
        }
        PruneResult pr = pruneResult.get();
        String w = PruneWarnings.message(pr == null ? List.of() : PruneWarnings.emptiedLayers(pr),
                PruneWarnings.collapsedUnits(pass.stats()));
        if (w != null) {
            warning.set(w);
        }
    }

    /**
     * The outcome of {@code auto}: its candidates and the chosen index (-1: every candidate
     * failed). The chosen index is set after the list, so a listener on it sees the new list.
     */
    public void commitAuto(List<CandidateScore> candidates, int chosen, String summary) {
        if (chosen < -1 || chosen >= candidates.size()) {
            throw new IllegalArgumentException("chosen index " + chosen + " out of range for " + candidates.size()
                    + " candidates");
        }
        autoChosen.set(-1);
        autoCandidates.setAll(candidates);
        autoSummary.set(summary);
        autoChosen.set(chosen);
    }

    public void commitPreviews(Map<RepairMethod, RepairPlan> plans) {
        previews.set(plans.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(plans)));
    }

    public void addRun(RunRecord r) {
        runs.add(r);
    }

    /** Adds several runs in one change (a sweep's). */
    public void addRuns(Collection<RunRecord> rs) {
        runs.addAll(rs);
    }

    public void replaceRuns(Collection<RunRecord> rs) {
        runs.setAll(rs);
    }

    public void commitDevice(String d) {
        device.set(d);
    }

    /** Job state as reported by the compute service. */
    public void commitJob(JobStatus status, double progress, String message) {
        jobStatus.set(status);
        jobRunning.set(status == JobStatus.RUNNING);
        jobProgress.set(progress);
        jobMessage.set(message);
    }

    public void commitError(String message) {
        lastError.set(message);
    }

    private void clearDerived() {
        currentPass.set(null);
        stats.set(null);
        appliedPlan.set(null);
        previews.set(Map.of());
        commitAuto(List.of(), -1, "");
    }

    /** Chooses what the views show (exact statistics for the current pruning, else the estimate) and rebuilds the rows. */
    private void refreshView() {
        NetworkStats exact = stats.get();
        Estimate e = estimate.get();
        boolean exactCurrent = exact != null && pruneIsCurrent();
        PruneSettings now = pruneSettings();
        boolean useEstimate = !exactCurrent && e != null && (e.settings().equals(now) || now.equals(estimateAsked));
        NetworkStats shown = useEstimate ? e.stats() : exactCurrent ? exact : null;
        showingEstimate.set(useEstimate);
        if (shown != viewStats.get()) {
            viewStats.set(shown);
        }
        List<Object> from = java.util.Arrays.asList(model.get(), pruneResult.get(), shown, useEstimate ? e : null,
                units.get());
        if (!from.equals(rowsFrom)) { // a sparsity tick that changes nothing shown leaves the table alone
            rowsFrom = from;
            rebuildRows();
        }
    }

    private void rebuildRows() {
        LoadedModel m = model.get();
        if (m == null) {
            unitRows.clear();
            return;
        }
        boolean est = showingEstimate.get();
        Map<String, LayerSparsity> sparsities = new HashMap<>();
        List<LayerSparsity> layers = est ? estimate.get().perLayer()
                : pruneResult.get() != null ? pruneResult.get().perLayer() : List.of();
        layers.forEach(l -> sparsities.put(l.layer(), l));
        NetworkStats s = viewStats.get();
        List<UnitRow> rows = new ArrayList<>();
        for (Unit u : m.graph().units(units.get())) {
            long[] shape = u.layerNode() == null ? null : Graph.weightLayer(m.graph().node(u.layerNode())).weightShape();
            long params = 1;
            StringBuilder sb = new StringBuilder();
            for (long d : shape == null ? new long[0] : shape) {
                params *= d;
                sb.append(sb.length() == 0 ? "" : "\u00d7").append(d);
            }
            LayerSparsity ls = sparsities.get(u.name());
            UnitStats us = s != null && s.hasUnit(u.name()) ? s.unit(u.name()) : null;
            rows.add(new UnitRow(u.name(), sb.toString(), shape == null ? 0 : params,
                    ls == null ? Double.NaN : ls.sparsity(), us == null ? Double.NaN : us.R(),
                    us == null ? -1 : us.deadCount(), us == null ? -1 : us.collapsedCount(), u.channels(),
                    us == null ? null : Heterogeneity.of(us), est, u.kind()));
        }
        unitRows.setAll(rows);
    }
}
