package org.asrworkbench.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.model.LoadedModel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --what onnx}: the evaluation path ({@link InferencePlan}) on an imported ONNX graph
 * against the same network opened from its state dict (a {@code .th} or safetensors), and the
 * executor's general forward of both, and the plan without its fused convolutions
 * ({@link InferencePlan#unfused}), on the same batches in alternating rounds. ONNX Runtime on the same file is measured by the test-scope benchmark
 * {@code OnnxRuntimeBenchmark} (ONNX Runtime is a test dependency).
 */
public final class OnnxBenchmark {
    private OnnxBenchmark() {
    }

    public static Map<String, Object> run(LoadedModel onnx, LoadedModel reference, ImageDataset data, int limit,
                                          int batchSize, int rounds, String devicePref) throws IOException {
        return run(onnx, reference, data, limit, batchSize, rounds, devicePref, null);
    }

    /**
     * As above, with one more runner timed in the same rounds ({@code other}: the seconds one round
     * over the same images takes, e.g. ONNX Runtime from the test-scope benchmark), reported as
     * {@code otherImagesPerSecond}.
     */
    public static Map<String, Object> run(LoadedModel onnx, LoadedModel reference, ImageDataset data, int limit,
                                          int batchSize, int rounds, String devicePref,
                                          java.util.function.DoubleSupplier other) throws IOException {
        int n = Math.min(limit, data.size());
        Map<String, Object> out = new LinkedHashMap<>();
        try (Executor a = new Executor(onnx.graph(), onnx.weights(), Engines.device(devicePref));
             Executor b = new Executor(reference.graph(), reference.weights(), a.device());
             InferencePlan pa = InferencePlan.of(a, Map.of());
             InferencePlan pb = InferencePlan.of(b, Map.of());
             InferencePlan pu = InferencePlan.unfused(a, Map.of());
             NDManager m = a.manager().newSubManager()) {
            List<NDArray> xs = ForwardBenchmark.batches(a, m, data, onnx.normalization(), n, batchSize);
            // the evaluation path (BN folded, channels-last) of both, and the executor's general forward of both
            List<java.util.function.DoubleSupplier> runners = new java.util.ArrayList<>();
            for (java.util.function.Function<NDArray, NDArray> f
                    : List.<java.util.function.Function<NDArray, NDArray>>of(pa::forward, pb::forward, a::forward, b::forward,
                            pu::forward)) {
                runners.add(() -> ForwardBenchmark.time(xs, f));
            }
            if (other != null) {
                runners.add(other);
            }
            double[] t = ForwardBenchmark.timeRounds(rounds, runners);
            long images = (long) n * rounds;
            out.put("model", onnx.source().getFileName().toString());
            out.put("reference", reference.source().getFileName().toString());
            out.put("device", Engines.describe(a.device()));
            out.put("images", n);
            out.put("rounds", rounds);
            out.put("batchSize", batchSize);
            out.put("foldedBatchNorms", pa.foldedBatchNorms());
            out.put("onnxImagesPerSecond", images / t[0]);
            out.put("referenceImagesPerSecond", images / t[1]);
            out.put("onnxOverReferenceTime", t[0] / t[1]);
            out.put("onnxForwardImagesPerSecond", images / t[2]);
            out.put("referenceForwardImagesPerSecond", images / t[3]);
            out.put("planOverForwardTime", t[0] / t[2]);
            out.put("fusedSteps", pa.fusedSteps());
            out.put("onnxUnfusedImagesPerSecond", images / t[4]);
            out.put("fusedOverUnfusedTime", t[0] / t[4]);
            if (other != null) {
                out.put("otherImagesPerSecond", images / t[5]);
                out.put("onnxOverOtherThroughput", t[5] / t[0]);
            }
        }
        return out;
    }
}
