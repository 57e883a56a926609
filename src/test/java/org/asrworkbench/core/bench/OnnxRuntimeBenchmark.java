package org.asrworkbench.core.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.EvaluationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.testing.OnnxFixtures;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench --what onnx} on the ONNX export (BN kept) of the shared ResNet-56, plus ONNX Runtime
 * on the same file with as many intra-op threads as PyTorch gets ({@code -Dai.djl.pytorch.num_threads},
 * default 1) and all graph optimisations, in one process on the same batches. Prints the figures;
 * run with {@code mvn test -Dgroups=benchmark -DexcludedGroups=none -Dtest=OnnxRuntimeBenchmark
 * -Dai.djl.pytorch.num_threads=1} after {@code tools/onnx-fixtures.py --set full}.
 */
@Tag("benchmark")
class OnnxRuntimeBenchmark {
    static final int IMAGES = 512;
    static final int BATCH = 128;
    static final int ROUNDS = 4;

    @Test
    void importedGraphAgainstTheThAndOnnxRuntime() throws Exception {
        Path onnx = OnnxFixtures.GENERATED.resolve("shared-resnet56-bn.onnx");
        assertTrue(Files.isRegularFile(onnx), "run tools/onnx-fixtures.py --set full first");
        LoadedModel m = ModelLoader.load(onnx, null, null);
        LoadedModel th = ModelLoader.load(SharedData.resnet56Th(), null, "cifar");
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 1);
        try (ImageDataset data = Datasets.open(SharedData.cifarTest(), null,
                DatasetOptions.defaults().withInput(m.normalization()))) {
            List<float[]> batches = new ArrayList<>();
            new BatchReader(data, m.normalization(), BATCH).forEach(EvaluationSampler.firstK(data, IMAGES),
                    b -> batches.add(b.pixels().clone()), null);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, Object> r;
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(threads);
                o.setInterOpNumThreads(1);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                try (OrtSession s = env.createSession(onnx.toString(), o)) {
                    // ONNX Runtime timed in the same alternating rounds as the workbench's runs
                    r = new LinkedHashMap<>(OnnxBenchmark.run(m, th, data, IMAGES, BATCH, ROUNDS, "cpu", () -> {
                        try {
                            return ortRound(env, s, batches);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
            }
            r.put("threads", threads);
            r.put("onnxRuntimeImagesPerSecond", r.remove("otherImagesPerSecond"));
            r.put("onnxOverOnnxRuntimeThroughput", r.remove("onnxOverOtherThroughput"));
            System.out.println("onnx-bench " + r);
        }
    }

    private static double ortRound(OrtEnvironment env, OrtSession s, List<float[]> batches) throws Exception {
        long t0 = System.nanoTime();
        for (float[] b : batches) {
            int n = b.length / (3 * 32 * 32);
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(b), new long[] {n, 3, 32, 32});
                 OrtSession.Result res = s.run(Map.of("input", t))) {
                assertEquals(n, ((float[][]) res.get(0).getValue()).length);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
