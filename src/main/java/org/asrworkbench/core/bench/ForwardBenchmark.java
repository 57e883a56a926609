package org.asrworkbench.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.model.LoadedModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Measures the graph executor against {@link PlainCifarResNet} on the same batches in one run:
 * the batches are loaded and normalised once, then the two (and the executor with a tap on
 * every unit, and the evaluation path, {@link InferencePlan}) are timed in alternating rounds so that machine noise hits all of them alike.
 * The plain loop is written for the CIFAR ResNet at width 1; any other model (an ONNX file, for
 * one) is timed without it, and the report says so ({@code plain}).
 */
public final class ForwardBenchmark {
    private ForwardBenchmark() {
    }

    public static Map<String, Object> run(LoadedModel model, ImageDataset data, int limit, int batchSize,
                                          int rounds, String devicePref) throws IOException {
        boolean withPlain = hasPlainBaseline(model);
        Normalization norm = model.normalization();
        int n = Math.min(limit, data.size());
        Map<String, Object> out = new LinkedHashMap<>();
        try (Executor exec = new Executor(model.graph(), model.weights(), Engines.device(devicePref));
             NDManager batches = exec.manager().newSubManager();
             PlainCifarResNet plain = withPlain
                     ? new PlainCifarResNet(exec.manager(), model.weights(), model.arch().depth()) : null;
             InferencePlan plan = InferencePlan.of(exec, Map.of())) {
            List<NDArray> xs = batches(exec, batches, data, norm, n, batchSize);
            Set<String> taps = model.graph().units().stream().map(Unit::reads).collect(Collectors.toSet());
            double[] sink = new double[1];
            List<java.util.function.Function<NDArray, NDArray>> variants = new ArrayList<>(List.of(exec::forward,
                    x -> exec.forward(x, Map.of(), taps, (id, v) -> sink[0] += v.getShape().size()), plan::forward));
            if (plain != null) {
                variants.add(plain::forward);
            }
            double[] t = timeRounds(xs, rounds, variants);
            double tGraph = t[0];
            double tTaps = t[1];
            double tPlan = t[2];
            double tPlain = plain == null ? Double.NaN : t[3];
            long images = (long) n * rounds;
            out.put("model", model.source().getFileName().toString());
            out.put("arch", model.name());
            out.put("device", Engines.describe(exec.device()));
            out.put("images", n);
            out.put("rounds", rounds);
            out.put("batchSize", batchSize);
            out.put("plain", plain == null ? "none (the plain loop is written for the CIFAR ResNet at width 1, not "
                    + model.name() + ")" : "cifar-resnet" + model.arch().depth());
            if (plain != null) {
                out.put("plainImagesPerSecond", images / tPlain);
            }
            out.put("graphImagesPerSecond", images / tGraph);
            out.put("graphWithTapsImagesPerSecond", images / tTaps);
            out.put("evaluationPlanImagesPerSecond", images / tPlan);
            if (plain != null) {
                out.put("graphOverPlainTime", tGraph / tPlain);
                out.put("tapsOverPlainTime", tTaps / tPlain);
                out.put("evaluationPlanOverPlainTime", tPlan / tPlain);
            }
        }
        return out;
    }

    /** Whether {@link PlainCifarResNet} runs this model: a built-in CIFAR ResNet at width 1. */
    static boolean hasPlainBaseline(LoadedModel model) {
        return model.arch() != null && model.arch().family() == ArchSpec.Family.CIFAR_RESNET
                && model.arch().width() == 1;
    }

    /** The first {@code n} images, normalised, as batches on the executor's device in {@code m}. */
    static List<NDArray> batches(Executor exec, NDManager m, ImageDataset data, Normalization norm, int n, int batchSize)
            throws IOException {
        List<NDArray> xs = new ArrayList<>();
        new BatchReader(data, norm, batchSize).forEach(EvaluationSampler.firstK(data, n), batch -> xs.add(
                exec.input(m, batch.pixels(), batch.size(), data.channels(), data.height(), data.width())), null);
        return xs;
    }

    /** Seconds each of {@code fs} took over {@code rounds} rounds on every batch of {@code xs} (see below). */
    static double[] timeRounds(List<NDArray> xs, int rounds, List<java.util.function.Function<NDArray, NDArray>> fs) {
        return timeRounds(rounds, fs.stream().<java.util.function.DoubleSupplier>map(f -> () -> time(xs, f)).toList());
    }

    /**
     * The total of {@code rounds} rounds of each of {@code rs} (each returns the seconds one round
     * took), after two warm-up rounds (the first passes of a process are slower); the order is
     * reversed every other round, so that a drift in machine load hits all alike.
     */
    public static double[] timeRounds(int rounds, List<java.util.function.DoubleSupplier> rs) {
        for (int w = 0; w < 2; w++) {
            rs.forEach(java.util.function.DoubleSupplier::getAsDouble);
        }
        double[] t = new double[rs.size()];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < rs.size(); i++) {
                int k = r % 2 == 0 ? i : rs.size() - 1 - i;
                t[k] += rs.get(k).getAsDouble();
            }
        }
        return t;
    }

    /** Seconds to run {@code f} on every batch (each on a copy, its output read back to the heap). */
    static double time(List<NDArray> xs, java.util.function.Function<NDArray, NDArray> f) {
        long t0 = System.nanoTime();
        for (NDArray x : xs) {
            try (NDManager m = x.getManager().newSubManager()) {
                NDArray in = x.duplicate();
                in.attach(m);
                NDArray y = f.apply(in);
                y.toFloatArray();
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
