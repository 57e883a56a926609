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
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.model.ModelCard;
import org.asrworkbench.core.prune.PruneWarnings;
import org.asrworkbench.core.graph.Unit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
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
    private final DoubleProperty lambda = new SimpleDoubleProperty(this, "lambda", RepairSettings.DEFAULT_LAMBDA);
    private final IntegerProperty calibN = new SimpleIntegerProperty(this, "calibN", 1024);
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "0");
    private final IntegerProperty selectN = new SimpleIntegerProperty(this, "selectN", AutoSelect.DEFAULT_SELECT_N);
    private final IntegerProperty evalLimit = new SimpleIntegerProperty(this, "evalLimit", 0);
    private final StringProperty selectedUnit = new SimpleStringProperty(this, "selectedUnit");

    private final ReadOnlyObjectWrapper<JobStatus> jobStatus = new ReadOnlyObjectWrapper<>(this, "jobStatus", JobStatus.IDLE);
    private final ReadOnlyBooleanWrapper jobRunning = new ReadOnlyBooleanWrapper(this, "jobRunning");
    private final ReadOnlyDoubleWrapper jobProgress = new ReadOnlyDoubleWrapper(this, "jobProgress");
    private final ReadOnlyStringWrapper jobMessage = new ReadOnlyStringWrapper(this, "jobMessage", "");
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper(this, "lastError");
    /** What the user must know about the model or the pruning (no units, layers left without a weight), or null. */
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper(this, "warning");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "cpu");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme");

    public WorkbenchModel() {
        model.addListener((o, a, b) -> rebuildRows());
        pruneResult.addListener((o, a, b) -> rebuildRows());
        stats.addListener((o, a, b) -> rebuildRows());
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

    /** The exact plan of the last sequential pass (preview = false), or null. */
    public ReadOnlyObjectProperty<RepairPlan> appliedPlanProperty() {
        return appliedPlan.getReadOnlyProperty();
    }

    public RepairPlan getAppliedPlan() {
        return appliedPlan.get();
    }

    /** Preview plans of every method at the current lambda, from the cached statistics (empty without). */
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

    public ObjectProperty<RepairMethod> methodProperty() {
        return method;
    }

    public DoubleProperty lambdaProperty() {
        return lambda;
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

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** The current pruning settings. */
    public PruneSettings pruneSettings() {
        return PruneSettings.of(pruneKind.get(), sparsity.get());
    }

    /** The current repair settings. */
    public RepairSettings repairSettings() {
        return new RepairSettings(method.get(), lambda.get());
    }

    /** True when the current pruning result was made with the current pruning settings. */
    public boolean pruneIsCurrent() {
        PruneResult p = pruneResult.get();
        return p != null && p.settings().equals(pruneSettings());
    }

    // ---- commits (UI thread, after a job succeeded) ----

    /** A new model: pruning, statistics and plans of the previous one are dropped. */
    public void commitModel(LoadedModel m) {
        clearDerived();
        pruneResult.set(null);
        model.set(m);
        warning.set(m == null ? null : ModelCard.of(m).warning());
        if (m != null && (selectedUnit.get() == null || m.graph().units().stream()
                .noneMatch(u -> u.name().equals(selectedUnit.get())))) {
            selectedUnit.set(m.graph().units().isEmpty() ? null : m.graph().units().get(0).name());
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

    /** The outcome of an exact sequential pass. */
    public void commitPass(NetworkStats s, RepairPlan plan) {
        appliedPlan.set(plan);
        stats.set(s);
        PruneResult p = pruneResult.get();
        String w = PruneWarnings.message(p == null ? List.of() : PruneWarnings.emptiedLayers(p),
                PruneWarnings.collapsedUnits(s));
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
        previews.set(plans.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(plans)));
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
        stats.set(null);
        appliedPlan.set(null);
        previews.set(Map.of());
        commitAuto(List.of(), -1, "");
    }

    private void rebuildRows() {
        LoadedModel m = model.get();
        if (m == null) {
            unitRows.clear();
            return;
        }
        Map<String, LayerSparsity> sparsities = new HashMap<>();
        if (pruneResult.get() != null) {
            pruneResult.get().perLayer().forEach(l -> sparsities.put(l.layer(), l));
        }
        NetworkStats s = stats.get();
        List<UnitRow> rows = new ArrayList<>();
        for (Unit u : m.graph().units()) {
            long[] shape = Graph.weightLayer(m.graph().node(u.layerNode())).weightShape();
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
                    us == null ? -1 : us.deadCount(), us == null ? -1 : us.collapsedCount(), u.channels()));
        }
        unitRows.setAll(rows);
    }
}
