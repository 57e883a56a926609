package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.app.service.RecentFiles;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.DatasetFit;
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

    /** Loads a model with the chosen normalisation (sidecar or preset); false when a job is running. */
    public boolean openModel(Path file) {
        String norm = model.normalizationProperty().get();
        String normArg = norm == null || norm.equals(WorkbenchModel.SIDECAR) ? null : norm;
        return compute.submit("Open " + file.getFileName(), p -> {
            p.update(0, "reading " + file);
            return ModelLoader.load(file, null, normArg);
        }, m -> {
            model.commitModel(m);
            onOpened.accept(RecentFiles.Kind.MODEL, file);
        });
    }

    /**
     * Opens a bundled sample in one job: the model (its sidecar gives the normalisation), its
     * evaluation images and its calibration images.
     */
    public boolean openSample(SampleModels.Sample sample) {
        return compute.submit("Open sample " + sample.name(), p -> {
            p.update(0, "reading " + sample.model());
            LoadedModel m = ModelLoader.load(sample.model(), null, null);
            DatasetOptions opts = DatasetOptions.defaults().withInput(m.normalization());
            ImageDataset eval = Datasets.open(sample.evalImages(), null, opts.withSplit(DatasetSplit.TEST));
            try {
                ImageDataset calib = Datasets.open(sample.calibImages(), null, opts.withSplit(DatasetSplit.TRAIN));
                return new Object[] {m, eval, calib};
            } catch (IOException | RuntimeException e) {
                closeQuietly(eval);
                throw e;
            }
        }, r -> {
            model.normalizationProperty().set(WorkbenchModel.SIDECAR);
            model.commitModel((LoadedModel) r[0]);
            closeQuietly(model.commitEvalDataset((ImageDataset) r[1]));
            closeQuietly(model.commitCalibDataset((ImageDataset) r[2]));
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
        DatasetOptions opts = DatasetOptions.defaults().withSplit(split);
        if (m != null) {
            opts = opts.withInput(m.normalization());
        }
        DatasetOptions options = opts;
        return compute.submit("Open " + path.getFileName(), p -> {
            ImageDataset d = Datasets.open(path, null, options);
            if (m != null) {
                try {
                    DatasetFit.check(d, m.normalization(), m.graph());
                } catch (IOException e) {
                    closeQuietly(d);
                    throw e;
                }
            }
            return d;
        }, d -> {
            ImageDataset old = eval ? model.commitEvalDataset(d) : model.commitCalibDataset(d);
            closeQuietly(old);
            onOpened.accept(eval ? RecentFiles.Kind.EVAL : RecentFiles.Kind.CALIB, path);
        });
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
