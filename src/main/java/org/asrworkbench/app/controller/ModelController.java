package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.RecentFiles;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.DatasetFit;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.model.SampleModels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Opens models and datasets in the background; the previous ones stay when opening fails. */
public final class ModelController {
    private final WorkbenchModel model;
    private final ComputeService compute;
    private BiConsumer<RecentFiles.Kind, Path> onOpened = (k, p) -> { };

    public ModelController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Called on the UI thread after a model or dataset the user chose opened (the recent files). */
    public void setOnOpened(BiConsumer<RecentFiles.Kind, Path> listener) {
        this.onOpened = listener;
    }

    /**
     * Loads a model with the chosen normalisation (sidecar, preset or file) and reopens the open
     * datasets for it, in one job; false when a job is running. A dataset that does not fit the
     * new model is closed and reported at once (a warning), so the mismatch does not surface
     * later as a failed pass.
     */
    public boolean openModel(Path file) {
        String norm = model.normalizationProperty().get();
        String normArg = norm == null || norm.equals(WorkbenchModel.SIDECAR) ? null : norm;
        ImageDataset oldEval = model.getEvalDataset();
        ImageDataset oldCalib = model.getCalibDataset();
        return compute.submit("Open " + file.getFileName(), p -> {
            p.update(0, "reading " + file);
            LoadedModel m = load(file, normArg);
            StringBuilder warnings = new StringBuilder();
            ImageDataset eval = reopen(oldEval, m, DatasetSplit.TEST, "evaluation", warnings);
            ImageDataset calib = reopen(oldCalib, m, DatasetSplit.TRAIN, "calibration", warnings);
            return new Reopened(m, eval, calib, warnings.toString());
        }, r -> {
            model.commitModel(r.model(), norm);
            if (oldEval != null) {
                closeQuietly(model.commitEvalDataset(r.eval()));
            }
            if (oldCalib != null) {
                closeQuietly(model.commitCalibDataset(r.calib()));
            }
            onOpened.accept(RecentFiles.Kind.MODEL, file);
            if (!r.warnings().isEmpty()) {
                compute.warn(r.warnings().strip());
            }
        });
    }

    /** Reloads the open model with the current normalisation choice (its datasets reopened for it); false when busy. */
    public boolean reloadModel() {
        LoadedModel m = RepairController.requireModel(model);
        return openModel(m.source());
    }

    /** A model with its datasets, opened by a job; closing it closes the datasets (a result the user cancelled). */
    private record Reopened(LoadedModel model, ImageDataset eval, ImageDataset calib, String warnings)
            implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(eval);
            closeQuietly(calib);
        }
    }

    /** The dataset read again for {@code m}'s input, or null (with a line in {@code warnings}) when it does not fit. */
    private static ImageDataset reopen(ImageDataset old, LoadedModel m, DatasetSplit split, String role,
                                       StringBuilder warnings) throws IOException {
        if (old == null) {
            return null;
        }
        try {
            return openFitting(old.source(), split, m);
        } catch (IOException | RuntimeException e) {
            warnings.append("The ").append(role).append(" dataset does not fit ").append(m.source().getFileName())
                    .append(" and was closed: ").append(e.getMessage()).append(". Open one that fits (File menu).\n");
            return null;
        }
    }

    /** Loads a model (normalisation: a preset, a JSON file, or null for the sidecar); errors worded for the window. */
    static LoadedModel load(Path file, String normArg) throws IOException {
        try {
            return ModelLoader.load(file, null, normArg);
        } catch (IOException | ModelFormatException e) {
            throw new IOException(guiWording(e.getMessage()), e);
        }
    }

    /** A loader message worded for the window (the command line's option names mean nothing there). */
    static String guiWording(String message) {
        return message == null ? null : message.replace("pass --norm (",
                "choose a Normalisation in the left panel (").replace("--norm", "the Normalisation choice");
    }

    /**
     * Opens a bundled sample in one job: the model (its sidecar gives the normalisation), its
     * evaluation images and its calibration images.
     */
    public boolean openSample(SampleModels.Sample sample) {
        return compute.submit("Open sample " + sample.name(), p -> {
            p.update(0, "reading " + sample.model());
            LoadedModel m = load(sample.model(), null);
            DatasetOptions opts = DatasetOptions.defaults().withInput(m.normalization());
            ImageDataset eval = Datasets.open(sample.evalImages(), null, opts.withSplit(DatasetSplit.TEST));
            try {
                ImageDataset calib = Datasets.open(sample.calibImages(), null, opts.withSplit(DatasetSplit.TRAIN));
                return new Reopened(m, eval, calib, "");
            } catch (IOException | RuntimeException e) {
                closeQuietly(eval);
                throw e;
            }
        }, r -> {
            model.commitModel(r.model(), WorkbenchModel.SIDECAR);
            model.normalizationProperty().set(WorkbenchModel.SIDECAR);
            closeQuietly(model.commitEvalDataset(r.eval()));
            closeQuietly(model.commitCalibDataset(r.calib()));
        });
    }

    /** Opens the evaluation dataset (test split); it must fit the open model, if any. */
    public boolean openEvalDataset(Path path) {
        return openDataset(path, DatasetSplit.TEST, true);
    }

    /** Opens the calibration dataset (training split: never the evaluation images). */
    public boolean openCalibDataset(Path path) {
        return openDataset(path, DatasetSplit.TRAIN, false);
    }

    private boolean openDataset(Path path, DatasetSplit split, boolean eval) {
        LoadedModel m = model.getModel();
        return compute.submit("Open " + path.getFileName(), p -> openFitting(path, split, m), d -> {
            ImageDataset old = eval ? model.commitEvalDataset(d) : model.commitCalibDataset(d);
            closeQuietly(old);
            onOpened.accept(eval ? RecentFiles.Kind.EVAL : RecentFiles.Kind.CALIB, path);
        });
    }

    /** Opens a dataset for {@code m}'s input (any input when null) and checks that it fits; closed again when not. */
    private static ImageDataset openFitting(Path path, DatasetSplit split, LoadedModel m) throws IOException {
        DatasetOptions opts = DatasetOptions.defaults().withSplit(split);
        ImageDataset d = Datasets.open(path, null, m == null ? opts : opts.withInput(m.normalization()));
        if (m != null) {
            try {
                DatasetFit.check(d, m.normalization(), m.graph());
            } catch (IOException | RuntimeException e) {
                closeQuietly(d);
                throw e;
            }
        }
        return d;
    }

    static void closeQuietly(ImageDataset d) {
        if (d != null) {
            try {
                d.close();
            } catch (IOException ignored) {
                // a dataset that cannot be closed is no longer used
            }
        }
    }
}
