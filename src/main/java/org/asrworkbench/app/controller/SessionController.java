package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.experiments.SweepStore;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;

import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.rule.RuleMethod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Saves and restores sessions. Saving is synchronous (small JSON, atomic write); loading reads
 * the file, the model and both datasets in one background job and commits them together, so a
 * session that cannot be restored leaves the current one untouched.
 */
public final class SessionController {
    private final WorkbenchModel model;
    private final ComputeService compute;
    private Consumer<Path> onOpened = p -> { };

    public SessionController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Called on the UI thread after the user saved a session or one was restored (the recent files). */
    public void setOnOpened(Consumer<Path> listener) {
        this.onOpened = listener;
    }

    /** The session as it stands. */
    public SessionFile snapshot() {
        LoadedModel m = model.getModel();
        return new SessionFile(SessionFile.VERSION, m == null ? null : abs(m.source()),
                model.normalizationProperty().get(), source(model.getEvalDataset()), source(model.getCalibDataset()),
                model.pruneKindProperty().get().id(), model.sparsityProperty().get(), model.methodProperty().get().id(),
                model.lambdaProperty().get(), model.calibNProperty().get(), model.seedProperty().get(),
                model.evalLimitProperty().get(), model.darkThemeProperty().get(), model.getRuns(), paramValues(),
                model.getMethods().stream().filter(x -> x instanceof RuleMethod).map(x -> (RuleMethod) x)
                        .map(r -> new SessionFile.Rule(abs(r.file()), r.text())).toList(),
                model.unitsProperty().get().id());
    }

    /** Every parameter value the model holds, by name. */
    private java.util.Map<String, Double> paramValues() {
        java.util.Map<String, Double> v = new java.util.TreeMap<>();
        model.getMethods().forEach(m -> m.params().forEach(p -> v.put(p.name(), model.paramProperty(p.name()).get())));
        return v;
    }

    public void save(Path file) throws IOException {
        snapshot().write(file);
        onOpened.accept(file);
    }

    /**
     * Writes the session without recording it as a recent file (the autosave), unless that
     * would replace a session that has more in it: an autosave with runs is kept while the
     * session has none, and one with a model while none is open (the state at start, or while
     * the start-up restore still runs). Returns whether it wrote.
     */
    public boolean autosave(Path file) throws IOException {
        SessionFile now = snapshot();
        if (now.runs().isEmpty() && Files.isRegularFile(file)) {
            try {
                SessionFile before = SessionFile.read(file);
                if (!before.runs().isEmpty() || (now.model() == null && before.model() != null)) {
                    return false;
                }
            } catch (SessionFormatException e) {
                // an unreadable autosave holds nothing to keep
            }
        }
        now.write(file);
        return true;
    }

    /**
     * Adds the rows of a sweep's results directory (a local sweep, or a cluster run's, merged or
     * not: its done cells) to the runs table and chart, in the background; false when a job is running.
     */
    public boolean openSweepResults(Path dir) {
        return compute.submit("Open sweep results " + dir.getFileName(), p -> SweepStore.readRows(dir),
                rows -> model.addRuns(rows.stream().map(r -> SweepController.record(r, null)).toList()));
    }

    /** Restores a session in the background; false when a job is running. */
    public boolean load(Path file) {
        return load(file, "Load session " + file.getFileName());
    }

    /** As {@link #load(Path)}, with the title the status bar shows (the start says it reopens the last session). */
    public boolean load(Path file, String title) {
        return compute.submit(title, p -> {
            SessionFile s = SessionFile.read(file);
            PruneKind kind = PruneKind.parse(s.pruneKind());
            List<RepairMethod> rules = new ArrayList<>();
            for (SessionFile.Rule r : s.rules()) {
                rules.add(RuleMethod.parse(Path.of(r.file()), r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            List<RepairMethod> methods = new ArrayList<>(RepairMethods.builtins());
            methods.addAll(rules);
            s.check(file, methods);
            RepairMethod method = rules.stream().filter(x -> x.id().equals(s.method())).findFirst()
                    .orElseGet(() -> RepairMethods.parse(s.method()));
            LoadedModel m = null;
            if (s.model() != null) {
                p.update(0.1, "model " + s.model());
                String norm = s.normalization() == null || s.normalization().equals(WorkbenchModel.SIDECAR)
                        ? null : s.normalization();
                m = ModelController.load(Path.of(s.model()), norm);
            }
            DatasetOptions opts = m == null ? DatasetOptions.defaults() : DatasetOptions.defaults().withInput(m.normalization());
            ImageDataset eval = null;
            ImageDataset calib = null;
            try {
                eval = s.evalDataset() == null ? null : Datasets.open(Path.of(s.evalDataset()), null, opts.withSplit(DatasetSplit.TEST));
                calib = s.calibDataset() == null ? null : Datasets.open(Path.of(s.calibDataset()), null, opts.withSplit(DatasetSplit.TRAIN));
            } catch (IOException | RuntimeException e) {
                ModelController.closeQuietly(eval);
                throw e;
            }
            return new Restored(s, kind, method, rules, m, eval, calib);
        }, r -> {
            apply(r);
            onOpened.accept(file);
        });
    }

    /** A session read by a job with its files opened; closing it closes the datasets (a result the user cancelled). */
    private record Restored(SessionFile s, PruneKind kind, RepairMethod method, List<RepairMethod> rules, LoadedModel m,
                            ImageDataset eval, ImageDataset calib) implements AutoCloseable {
        @Override
        public void close() {
            ModelController.closeQuietly(eval);
            ModelController.closeQuietly(calib);
        }
    }

    private void apply(Restored r) {
        SessionFile s = r.s();
        model.pruneKindProperty().set(r.kind());
        model.sparsityProperty().set(s.sparsity());
        r.rules().forEach(model::addMethod);
        s.params().forEach((k, v) -> model.paramProperty(k).set(v));
        model.methodProperty().set(r.method());
        model.unitsProperty().set(UnitSelection.parse(s.units()));
        model.calibNProperty().set(s.calibN());
        model.seedProperty().set(s.seed());
        model.evalLimitProperty().set(s.evalLimit());
        model.darkThemeProperty().set(s.darkTheme());
        model.replaceRuns(s.runs());
        String norm = s.normalization() == null ? WorkbenchModel.SIDECAR : s.normalization();
        model.commitModel(r.m(), norm);
        model.normalizationProperty().set(norm);
        ModelController.closeQuietly(model.commitEvalDataset(r.eval()));
        ModelController.closeQuietly(model.commitCalibDataset(r.calib()));
    }

    private static String source(ImageDataset d) {
        return d == null ? null : abs(d.source());
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
