package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.eval.DatasetFit;
import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.eval.Evaluator;
import org.asrworkbench.core.eval.NonFiniteOutputException;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.Map;

/**
 * One model at one pruning setting on one device: the dense network D and the pruned network
 * P side by side, ready for statistics passes (one per repair setting) and evaluations.
 */
public final class RepairSession implements AutoCloseable {
    private final LoadedModel model;
    private final PruneResult prune;
    private final Executor dense;
    private final Executor pruned;

    public RepairSession(LoadedModel model, PruneResult prune, Device device) {
        this.model = model;
        this.prune = prune;
        this.dense = new Executor(model.graph(), model.weights(), device);
        try {
            this.pruned = new Executor(model.graph(), prune.pruned(), device);
        } catch (RuntimeException e) {
            dense.close();
            throw e;
        }
    }

    public LoadedModel model() {
        return model;
    }

    public PruneResult prune() {
        return prune;
    }

    public Executor dense() {
        return dense;
    }

    public Executor pruned() {
        return pruned;
    }

    /** The exact sequential pass for one repair setting; the calibration dataset must fit the model. */
    public RepairedPass pass(ImageDataset calib, int[] indices, RepairSettings settings,
                             SequentialPass.Config config, Progress progress) throws IOException {
        return pass(calib, indices, settings, config, progress, null);
    }

    /** The exact sequential pass, sharing D's side through {@code cache} (null: none). */
    public RepairedPass pass(ImageDataset calib, int[] indices, RepairSettings settings,
                             SequentialPass.Config config, Progress progress, DenseCache cache) throws IOException {
        DatasetFit.check(calib, model.normalization(), model.graph());
        return RepairedPass.run(new SequentialPass(dense, pruned, model.weights(), config, settings.units()), calib, indices,
                model.normalization(), settings, progress, cache);
    }

    public EvalResult evaluateDense(ImageDataset data, int[] indices, int batchSize, Progress progress)
            throws IOException {
        return evaluate(dense, Map.of(), data, indices, batchSize, progress);
    }

    /** Evaluates P with the given BatchNorm overrides (empty: the pruned network as it is, method {@code none}). */
    public EvalResult evaluatePruned(Map<String, BnOverride> overrides, ImageDataset data, int[] indices,
                                     int batchSize, Progress progress) throws IOException {
        return evaluate(pruned, overrides, data, indices, batchSize, progress);
    }

    /** An evaluation whose failure on a non-finite logit names the model's file. */
    private EvalResult evaluate(Executor exec, Map<String, BnOverride> overrides, ImageDataset data, int[] indices,
                                int batchSize, Progress progress) throws IOException {
        try {
            return Evaluator.evaluate(exec, overrides, data, indices, model.normalization(), batchSize, progress);
        } catch (NonFiniteOutputException e) {
            throw e.forFile(model.source());
        }
    }

    @Override
    public void close() {
        pruned.close();
        dense.close();
    }
}
