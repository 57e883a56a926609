package org.asrworkbench.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.eval.DatasetFit;
import org.asrworkbench.core.eval.Evaluator;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.Layout;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a {@link Graph} from scratch with DJL's PyTorch engine: autograd through a
 * {@link GradientCollector}, BatchNorm in training mode (batch statistics, running statistics
 * updated with momentum 0.1), softmax cross-entropy, SGD with momentum and weight decay, a cosine
 * schedule, random crops and flips. With a work directory, a {@link Checkpoint} is written after
 * every epoch and a resumed run continues from the last one; with the same settings a resumed
 * run takes the same steps as an uninterrupted one (shuffling and augmentation are drawn from a
 * per-epoch stream whose seed is checkpointed).
 */
public final class Trainer {
    private final Graph graph;
    private final TrainConfig config;
    private final Device device;

    public Trainer(Graph graph, TrainConfig config, Device device) {
        this.graph = graph;
        this.config = config;
        this.device = device;
    }

    /**
     * Trains on {@code train} and evaluates on {@code test} (may be null) at the end.
     *
     * @param workDir where checkpoints go (null: none)
     * @param resume  continue from the checkpoint in {@code workDir} when there is one
     * @throws org.asrworkbench.core.jobs.CancelledException when cancelled (the last finished
     *                                                      epoch's checkpoint stays)
     */
    public TrainResult train(ImageDataset train, ImageDataset test, Normalization norm, Path workDir, boolean resume,
                             Progress progress) throws IOException, ModelFormatException {
        DatasetFit.check(train, norm, graph);
        Engines.gradientsOff(); // the SGD steps update parameters in place, outside the gradient collector
        if (test != null) {
            DatasetFit.check(test, norm, graph);
        }
        int stepsPerEpoch = train.size() / config.batchSize();
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException(train.source() + ": " + train.size() + " images are fewer than one batch of "
                    + config.batchSize());
        }
        Checkpoint start = resume && workDir != null && Checkpoint.exists(workDir) ? Checkpoint.load(workDir) : null;
        if (start != null) {
            checkCompatible(start, workDir);
        }
        long t0 = System.nanoTime();
        StateDict initial = start != null ? start.weights() : WeightInit.initialise(graph, config.seed());
        try (Executor exec = new Executor(graph, initial, device, Layout.CONTIGUOUS)) {
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            for (String name : trainableNames(graph)) {
                NDArray p = exec.parameter(name);
                p.setRequiresGradient(true);
                Tensor saved = start == null ? null : start.momentum().get(name);
                momentum.put(name, saved == null ? exec.manager().zeros(p.getShape())
                        : exec.manager().create(saved.data(), new Shape(saved.shape())));
            }
            Set<String> decayed = decayedNames(graph);
            List<EpochStats> history = new ArrayList<>(start == null ? List.of() : start.history());
            long rngSeed = start == null ? epochSeed(config.seed(), 0) : start.nextRngSeed();
            int firstEpoch = start == null ? 0 : start.epoch();
            long totalSteps = (long) stepsPerEpoch * config.epochs();
            Augmentation aug = new Augmentation(train.channels(), train.height(), train.width(),
                    config.cropPadding(), config.flip());
            int per = train.channels() * train.height() * train.width();
            float[] pixels = new float[config.batchSize() * per];
            Shape batchShape = new Shape(config.batchSize(), train.channels(), train.height(), train.width());
            Progress training = progress.slice(0, test == null ? 1 : 0.95);
            for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
                long e0 = System.nanoTime();
                SplittableRandom rng = new SplittableRandom(rngSeed);
                int[] order = shuffled(train.size(), rng);
                double lossSum = 0;
                long correct = 0;
                double lr = 0;
                exec.setTraining(true);
                for (int s = 0; s < stepsPerEpoch; s++) {
                    training.checkCancelled();
                    int[] idx = Arrays.copyOfRange(order, s * config.batchSize(), (s + 1) * config.batchSize());
                    int[] labels = train.read(idx, pixels);
                    aug.apply(pixels, idx.length, rng);
                    norm.apply(pixels, idx.length);
                    long step = (long) epoch * stepsPerEpoch + s;
                    lr = config.learningRateAt(step, totalSteps);
                    float[] out = step(exec, momentum, decayed, pixels, batchShape, labels, lr);
                    lossSum += out[0];
                    correct += (long) out[1];
                    training.update((step + 1) / (double) totalSteps, String.format("epoch %d/%d step %d/%d loss %.4f",
                            epoch + 1, config.epochs(), s + 1, stepsPerEpoch, lossSum / (s + 1)));
                }
                exec.setTraining(false);
                EpochStats stats = new EpochStats(epoch + 1, lossSum / stepsPerEpoch,
                        correct / (double) (stepsPerEpoch * config.batchSize()), lr, (System.nanoTime() - e0) / 1e9);
                history.add(stats);
                rngSeed = epochSeed(config.seed(), epoch + 1);
                if (workDir != null) {
                    new Checkpoint(graph.name(), config, epoch + 1, rngSeed, history, weights(exec),
                            snapshot(momentum)).save(workDir);
                }
                training.update((epoch + 1) / (double) config.epochs(), String.format(
                        "epoch %d/%d done: loss %.4f, train accuracy %.4f", epoch + 1, config.epochs(),
                        stats.trainLoss(), stats.trainAccuracy()));
            }
            exec.setTraining(false);
            Double top1 = null;
            if (test != null) {
                int[] all = new int[test.size()];
                Arrays.setAll(all, i -> i);
                top1 = Evaluator.evaluate(exec, Map.of(), test, all, norm, config.batchSize(),
                        progress.slice(0.95, 1)).top1();
            }
            return new TrainResult(weights(exec), config.epochs(), firstEpoch, top1,
                    (System.nanoTime() - t0) / 1e9, history);
        }
    }

    /** One SGD step; returns {summed loss / batch, correct predictions}. */
    private float[] step(Executor exec, Map<String, NDArray> momentum, Set<String> decayed, float[] pixels,
                         Shape shape, int[] labels, double lr) {
        int n = labels.length;
        float loss;
        long correct = 0;
        try (NDManager m = exec.manager().newSubManager()) {
            NDArray x = m.create(FloatBuffer.wrap(pixels, 0, pixels.length), shape);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray logits = exec.forward(x);
                NDArray target = m.create(labels).oneHot((int) logits.getShape().get(1));
                NDArray lossArray = logits.logSoftmax(1).mul(target).sum().neg().div(n);
                gc.backward(lossArray);
                loss = lossArray.getFloat();
                long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == labels[i]) {
                        correct++;
                    }
                }
            }
        }
        for (Map.Entry<String, NDArray> e : momentum.entrySet()) {
            NDArray p = exec.parameter(e.getKey());
            NDArray buf = e.getValue();
            try (NDArray g = p.getGradient()) {
                if (decayed.contains(e.getKey())) {
                    try (NDArray d = p.mul(config.weightDecay())) {
                        g.addi(d);
                    }
                }
                buf.muli(config.momentum()).addi(g);
                try (NDArray update = buf.mul(lr)) {
                    p.subi(update);
                }
                g.subi(g);
            }
        }
        return new float[] {loss, correct};
    }

    private void checkCompatible(Checkpoint c, Path workDir) throws ModelFormatException {
        Path state = workDir.resolve(Checkpoint.STATE);
        if (!graph.name().equals(c.graph())) {
            throw new ModelFormatException(state, "is a checkpoint of " + c.graph() + ", not " + graph.name());
        }
        if (!config.equals(c.config())) {
            throw new ModelFormatException(state, "was written with different settings " + c.config()
                    + "; resume with the same settings, or use another work directory");
        }
    }

    /** Parameters that SGD updates: everything except BatchNorm running statistics, in graph order. */
    static List<String> trainableNames(Graph graph) {
        java.util.Set<String> buffers = graph.runningStatistics();
        return graph.parameterShapes().keySet().stream().filter(k -> !buffers.contains(k)).toList();
    }

    /** Conv and linear weights (weight decay applies to these only). */
    static Set<String> decayedNames(Graph graph) {
        Set<String> out = new HashSet<>();
        for (Node n : graph.weightLayers()) {
            out.add(Graph.weightLayer(n).weight());
        }
        return out;
    }

    /** The seed of epoch {@code epoch}'s random stream (SplittableRandom's own mixing of the pair). */
    static long epochSeed(long seed, int epoch) {
        return new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * (epoch + 1));
    }

    /** A forward Fisher–Yates shuffle of {@code 0..n-1}. */
    static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        for (int i = 0; i < n - 1; i++) {
            int j = i + rng.nextInt(n - i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** The executor's current weights (running statistics included) with PyTorch names, in graph order. */
    static StateDict weights(Executor exec) {
        StateDict sd = new StateDict();
        for (Map.Entry<String, long[]> e : exec.graph().parameterShapes().entrySet()) {
            sd.put(e.getKey(), new Tensor(e.getValue(), Executor.toFloats(exec.parameter(e.getKey()))));
        }
        return sd;
    }

    private static StateDict snapshot(Map<String, NDArray> arrays) {
        StateDict sd = new StateDict();
        arrays.forEach((k, v) -> sd.put(k, new Tensor(v.getShape().getShape(), Executor.toFloats(v))));
        return sd;
    }
}
