package org.asrworkbench.app.controller;

import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.app.service.ComputeService;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;

import java.io.IOException;
import java.nio.file.Path;

/** Opens models and datasets in the background; the previous ones stay when opening fails. */
public final class ModelController {
    private final WorkbenchModel model;
    private final ComputeService compute;

    public ModelController(WorkbenchModel model, ComputeService compute) {
        this.model = model;
        this.compute = compute;
    }

    /** Loads a model with the chosen normalisation (sidecar or preset); false when a job is running. */
    public boolean openModel(Path file) {
        String norm = model.normalizationProperty().get();
        String normArg = norm == null || norm.equals(WorkbenchModel.SIDECAR) ? null : norm;
        return compute.submit("Open " + file.getFileName(), p -> {
            p.update(0, "reading " + file);
            return ModelLoader.load(file, null, normArg);
        }, model::commitModel);
    }

    /** Opens the evaluation dataset (test split). */
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
        return compute.submit("Open " + path.getFileName(), p -> Datasets.open(path, null, options), d -> {
            ImageDataset old = eval ? model.commitEvalDataset(d) : model.commitCalibDataset(d);
            closeQuietly(old);
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
