package org.asrworkbench.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.model.LoadedModel;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench --what onnx}: the executor on an imported ONNX graph against the same network
 * opened from its state dict (a {@code .th} or safetensors), on the same batches in alternating
 * rounds. ONNX Runtime on the same file is measured by the test-scope benchmark
 * {@code OnnxRuntimeBenchmark} (ONNX Runtime is a test dependency).
 */
public final class OnnxBenchmark {
    private OnnxBenchmark() {
    }

    public static Map<String, Object> run(LoadedModel onnx, LoadedModel reference, ImageDataset data, int limit,
                                          int batchSize, int rounds, String devicePref) throws IOException {
        int n = Math.min(limit, data.size());
        Map<String, Object> out = new LinkedHashMap<>();
        try (Executor a = new Executor(onnx.graph(), onnx.weights(), Engines.device(devicePref));
             Executor b = new Executor(reference.graph(), reference.weights(), a.device());
             NDManager m = a.manager().newSubManager()) {
            List<NDArray> xs = ForwardBenchmark.batches(a, m, data, onnx.normalization(), n, batchSize);
            for (int w = 0; w < 2; w++) { // warm-up: the first passes of a process are slower
                ForwardBenchmark.time(xs, a::forward);
                ForwardBenchmark.time(xs, b::forward);
            }
            double ta = 0;
            double tb = 0;
            for (int r = 0; r < rounds; r++) { // ABBA order, so that a drift in machine load hits both alike
                if (r % 2 == 0) {
                    ta += ForwardBenchmark.time(xs, a::forward);
                    tb += ForwardBenchmark.time(xs, b::forward);
                } else {
                    tb += ForwardBenchmark.time(xs, b::forward);
                    ta += ForwardBenchmark.time(xs, a::forward);
                }
            }
            long images = (long) n * rounds;
            out.put("model", onnx.source().getFileName().toString());
            out.put("reference", reference.source().getFileName().toString());
            out.put("device", Engines.describe(a.device()));
            out.put("images", n);
            out.put("rounds", rounds);
            out.put("batchSize", batchSize);
            out.put("onnxImagesPerSecond", images / ta);
            out.put("referenceImagesPerSecond", images / tb);
            out.put("onnxOverReferenceTime", ta / tb);
        }
        return out;
    }
}
