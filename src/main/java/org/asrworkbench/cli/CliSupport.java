package org.asrworkbench.cli;

import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.util.OutputPaths;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Loading helpers shared by the commands, with option checks that name the missing option. */
final class CliSupport {
    private CliSupport() {
    }

    /** The largest {@code --batch-size}: more images than any batch needs, and far from overflowing a batch's buffer. */
    static final int MAX_BATCH = 65536;

    /** {@code b} when it is a batch size in [1, {@link #MAX_BATCH}], else a parameter error naming {@code option}. */
    static int batchSize(CommandSpec spec, String option, int b) {
        if (b < 1 || b > MAX_BATCH) {
            throw new ParameterException(spec.commandLine(), option + " must be between 1 and " + MAX_BATCH + ", not " + b);
        }
        return b;
    }

    static LoadedModel model(CommandSpec spec, CommonOptions o) throws IOException, ModelFormatException {
        if (o.model == null) {
            throw new ParameterException(spec.commandLine(), "missing --model FILE");
        }
        return ModelLoader.load(o.model, o.arch, o.norm);
    }

    static ImageDataset data(CommandSpec spec, CommonOptions o, LoadedModel m, Path path, String split)
            throws IOException {
        if (path == null) {
            throw new ParameterException(spec.commandLine(), "missing --data FILE|DIR");
        }
        return Datasets.open(path, o.format, DatasetOptions.defaults().withInput(m.normalization()).withSplit(DatasetSplit.parse(split)));
    }

    /**
     * The outputs check of a command ({@link OutputPaths}), with the inputs no output may overwrite:
     * {@code --model}, {@code --data} and, when {@code r} is given, {@code --calib-data}. Add the
     * outputs, then verify before any work.
     */
    static OutputPaths outputs(CommonOptions o, RepairOptions r) {
        return OutputPaths.check().input("--model", o.model).input("--data", o.data)
                .input("--calib-data", r == null ? null : r.calibData);
    }

    static PruneResult prune(LoadedModel m, RepairOptions r) {
        return Pruner.prune(m.graph(), m.weights(), new PruneSettings(PruneKind.parse(r.prune), r.sparsity,
                r.excludeFirstConv, r.excludeClassifier));
    }

    /**
     * The calibration dataset: {@code --calib-data}, else the train split of {@code --data} when it
     * has one (an IDX or CIFAR python directory). Never the evaluation split.
     */
    static ImageDataset calibration(CommandSpec spec, CommonOptions o, RepairOptions r, LoadedModel m)
            throws IOException {
        if (r.calibData != null) {
            return Datasets.open(r.calibData, o.format, DatasetOptions.defaults().withInput(m.normalization())
                    .withSplit(DatasetSplit.TRAIN));
        }
        if (o.data != null && java.nio.file.Files.isDirectory(o.data)) {
            return data(spec, o, m, o.data, "train");
        }
        throw new ParameterException(spec.commandLine(), "missing --calib-data FILE|DIR (calibration images come from a"
                + " training split, never from the evaluation data)");
    }

    /** True when the dataset's images carry labels (a dataset without labels reports -1). */
    static boolean hasLabels(ImageDataset d) throws IOException {
        return d.size() > 0 && d.label(0) >= 0;
    }

    static SequentialPass.Config passConfig(RepairOptions r) {
        return new SequentialPass.Config(r.chunkSize, r.memoryBudgetBytes());
    }

    /** Progress on stderr: one line every 10% (scripts read stdout only). */
    static Progress terminalProgress(PrintWriter err, String what) {
        return new Progress() {
            private int lastDecile = -1;

            @Override
            public void update(double fraction, String message) {
                int d = (int) Math.floor(fraction * 10);
                if (d != lastDecile) {
                    lastDecile = d;
                    err.printf("%s: %3.0f%% %s%n", what, fraction * 100, message);
                    err.flush();
                }
            }

            @Override
            public boolean isCancelled() {
                return Thread.currentThread().isInterrupted();
            }
        };
    }
}
