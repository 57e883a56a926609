package org.asrworkbench.cli;

import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.arch.Architectures;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.DatasetSplit;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.FashionMnist;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.data.Normalizations;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.train.TrainConfig;
import org.asrworkbench.core.train.TrainResult;
import org.asrworkbench.core.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train}: trains a built-in architecture from scratch on an IDX (MNIST-layout) or other
 * dataset directory, writes the weights (safetensors, PyTorch names) and their JSON sidecar.
 */
@Command(name = "train", description = "Train a model from scratch: writes --out (safetensors) and its JSON sidecar;"
        + " prints one JSON object (architecture, top1, seconds, epochs).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arch", required = true, paramLabel = "NAME", description = "architecture, e.g. resnet20, vgg11_bn-cifar, mobilenet_v2-cifar")
    String arch;

    @Option(names = "--width", paramLabel = "W", description = "width multiplier (overrides a -w option in --arch)")
    Double width;

    @Option(names = "--data", paramLabel = "DIR|FILE", description = "training data: a directory with train and test splits (MNIST layout), or a training file (default: Fashion-MNIST from $FASHION_MNIST_DIR or the Debian package)")
    Path data;

    @Option(names = "--test", paramLabel = "DIR|FILE", description = "test data (default: the test split of a --data directory)")
    Path test;

    @Option(names = "--format", paramLabel = "NAME", description = "dataset format when detection is not wanted (idx, cifar10-bin, ...)")
    String format;

    @Option(names = "--norm", paramLabel = "PRESET|FILE", defaultValue = "fashion-mnist", description = "input normalisation preset or JSON file (default: ${DEFAULT-VALUE})")
    String norm;

    @Option(names = "--pad", paramLabel = "P", description = "zero pixels added on every side of the dataset's images before normalisation, e.g. 2 for 28x28 images into a 32x32 network such as vgg11_bn-cifar; recorded in the sidecar (default: that of --norm, 0 for the presets)")
    Integer pad;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1", description = "peak learning rate of the cosine schedule (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", paramLabel = "EPOCHS", defaultValue = "0", description = "epochs (a fraction allowed) of linear learning-rate warm-up from 0 before the cosine; deep bottleneck ResNets need it at lr 0.1 (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128", description = "images per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4", description = "weight decay on conv and linear weights (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--crop-padding", paramLabel = "P", defaultValue = "2", description = "random-crop padding in pixels, 0 for none (default: ${DEFAULT-VALUE})")
    int cropPadding;

    @Option(names = "--no-flip", description = "no random horizontal flips")
    boolean noFlip;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of initialisation, shuffling and augmentation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "output weights (.safetensors); the sidecar goes beside it (.json)")
    Path out;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "checkpoint after every epoch here")
    Path workDir;

    @Option(names = "--resume", description = "continue from the checkpoint in --work-dir")
    boolean resume;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "auto", description = "compute device (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        if (resume && workDir == null) {
            throw new ParameterException(spec.commandLine(), "--resume needs --work-dir DIR");
        }
        Normalization input = Normalizations.resolve(norm, null);
        if (pad != null) {
            if (pad < 0) {
                throw new ParameterException(spec.commandLine(), "--pad must be 0 or more, not " + pad);
            }
            input = input.withPad(pad);
        }
        Path trainPath = data != null ? data : FashionMnist.locate().orElseThrow(() -> new ParameterException(
                spec.commandLine(), "missing --data DIR|FILE (no Fashion-MNIST found: set " + FashionMnist.ENV
                        + " or install the Debian package dataset-fashion-mnist)"));
        Path testPath = test != null ? test : Files.isDirectory(trainPath) ? trainPath : null;
        DatasetOptions opts = DatasetOptions.defaults().withInput(input).withSplit(DatasetSplit.TRAIN);
        PrintWriter err = spec.commandLine().getErr();
        try (ImageDataset trainData = Datasets.open(trainPath, format, opts);
             ImageDataset testData = testPath == null ? null
                     : Datasets.open(testPath, format, opts.withSplit(DatasetSplit.TEST))) {
            ArchSpec archSpec = ArchSpec.parse(arch).withIO(trainData.channels(), trainData.numClasses());
            if (width != null) {
                archSpec = archSpec.withWidth(width);
            }
            Graph graph = Architectures.build(archSpec);
            TrainConfig config = new TrainConfig(epochs, lr, batchSize, momentum, weightDecay, seed, cropPadding,
                    !noFlip, warmup);
            err.printf("train: %s on %s (%d images), %d epochs, device %s%n", archSpec, trainPath, trainData.size(),
                    epochs, device);
            TrainResult r = new Trainer(graph, config, Engines.device(device))
                    .train(trainData, testData, input, workDir, resume, new EpochProgress(err));
            Path outAbs = out.toAbsolutePath();
            Files.createDirectories(outAbs.getParent());
            SafetensorsWriter.write(outAbs, r.weights(), Map.of("format", "pt", "architecture", archSpec.toString()));
            Path sidecar = ModelSidecar.pathFor(outAbs);
            List<String> classes = input.classNames().size() == trainData.numClasses() ? input.classNames()
                    : trainData.classNames();
            ModelSidecar base = ModelSidecar.of(archSpec.toString(), input);
            new ModelSidecar(base.architecture(), base.normalisation(), classes, r.testTop1(), trainingCommand(), seed,
                    "trained from scratch by asr-workbench on " + trainPath.getFileName() + ", "
                            + r.history().size() + " epochs").write(sidecar);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("architecture", archSpec.toString());
            result.put("out", outAbs.toString());
            result.put("sidecar", sidecar.toString());
            result.put("top1", r.testTop1());
            result.put("seconds", r.seconds());
            result.put("epochs", r.epochs());
            result.put("resumedFromEpoch", r.resumedFromEpoch());
            result.put("history", r.history());
            JsonOut.print(spec.commandLine().getOut(), result);
        }
        return 0;
    }

    private String trainingCommand() {
        StringBuilder sb = new StringBuilder(spec.root().name());
        for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
        }
        return sb.toString();
    }

    /** Progress on stderr: every finished epoch, and within an epoch at most one line every 15 seconds. */
    private static final class EpochProgress implements Progress {
        private static final long INTERVAL_NANOS = 15_000_000_000L;
        private final PrintWriter err;
        private long last = System.nanoTime();

        EpochProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void update(double fraction, String message) {
            long now = System.nanoTime();
            if (message.contains("done") || now - last >= INTERVAL_NANOS) {
                last = now;
                err.printf("train: %5.1f%% %s%n", fraction * 100, message);
                err.flush();
            }
        }

        @Override
        public boolean isCancelled() {
            return Thread.currentThread().isInterrupted();
        }
    }
}
