package org.asrworkbench.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The ONNX fixtures written by {@code tools/onnx-fixtures.py}: the small committed set
 * ({@code src/test/resources/onnx}) and the families generated on demand ({@code target/onnx-fixtures},
 * which {@code .ci/run} writes; tests skip without it unless {@code ASR_REQUIRE_SHARED=1}), and ONNX
 * Runtime as the independent reference.
 */
public final class OnnxFixtures {
    public static final Path COMMITTED = Path.of("src/test/resources/onnx");
    public static final Path GENERATED = Path.of("target/onnx-fixtures");

    private OnnxFixtures() {
    }

    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The generated families; skips (or fails under ASR_REQUIRE_SHARED=1) when they were not generated. */
    public static List<Path> generated() {
        List<Path> all = list(GENERATED);
        if (all.isEmpty()) {
            String problem = "generated ONNX fixtures missing: run /usr/bin/python3 tools/onnx-fixtures.py --set full";
            if (SharedData.required()) {
                fail(problem + " (ASR_REQUIRE_SHARED=1)");
            }
            Assumptions.abort(problem);
        }
        return all;
    }

    public static Path committed(String name) {
        return COMMITTED.resolve(name);
    }

    /** ONNX Runtime's output for one (N, C, H, W) batch, with {@code threads} intra-op threads. */
    public static float[][] run(Path model, float[] input, long[] shape, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            try (OrtSession s = env.createSession(model.toString(), o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
                return (float[][]) r.get(0).getValue();
            }
        }
    }
}
