package org.asrworkbench.core.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.exec.InferencePlan;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ONNX fixture, imported and run by the workbench's executor and by its evaluation plan
 * (BatchNorm folded into the conv, channels-last), gives ONNX Runtime's logits:
 * max |difference| <= 1e-4 * max(1, |logit|), the same argmax wherever the top two logits are
 * further apart than that tolerance.
 */
class OnnxMatchesRuntimeTest {
    static final double TOL = 1e-4;
    static final int BATCH = 3;

    @TestFactory
    Stream<DynamicTest> committedFixturesMatchOnnxRuntime() {
        List<Path> files = OnnxFixtures.list(OnnxFixtures.COMMITTED);
        assertFalse(files.isEmpty(), "no committed fixtures in " + OnnxFixtures.COMMITTED);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    @TestFactory
    Stream<DynamicTest> generatedFamiliesMatchOnnxRuntime() {
        return OnnxFixtures.generated().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    /** The three normalised real images the script wrote beside the fixture ({@code NAME-input.bin}). */
    static float[] inputs(Path model, int n) throws java.io.IOException {
        String name = model.getFileName().toString().replaceAll("-(folded|bn)\\.onnx$", "-input.bin");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(model.resolveSibling(name)))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[n];
        b.asFloatBuffer().get(x);
        return x;
    }

    /** Max |difference| relative to max(1, |logit|) on a random batch; asserts the match. */
    static double check(Path file) throws Exception {
        LoadedModel m = ModelLoader.load(file, null, null);
        long[] in = m.graph().inputShape();
        int per = (int) (in[1] * in[2] * in[3]);
        float[] x = inputs(file, BATCH * per);
        float[][] ort = OnnxFixtures.run(file, x, new long[] {BATCH, in[1], in[2], in[3]}, 1);
        float[] forward;
        float[] planned;
        try (Executor ex = new Executor(m.graph(), m.weights(), Device.cpu()); NDManager nm = ex.manager().newSubManager();
             InferencePlan plan = InferencePlan.of(ex, Map.of())) {
            NDArray input = ex.input(nm, x, BATCH, (int) in[1], (int) in[2], (int) in[3]);
            NDArray y = ex.forward(input);
            forward = Executor.toFloats(y);
            assertEquals(BATCH, y.getShape().get(0));
            planned = Executor.toFloats(plan.forward(input));
        }
        double worst = Math.max(compare(file, "executor", forward, ort), compare(file, "evaluation plan", planned, ort));
        // one row of docs/onnx.md's fixture table
        System.out.printf("| %s | %s | %s | %d | %d | %d | %.1e |%n", file.getFileName(), m.descriptor().properties().get("opset"),
                m.descriptor().properties().get("opCensus"), Integer.parseInt(m.descriptor().properties().get("onnxNodes")),
                m.graph().nodes().size(), m.graph().units().size(), worst);
        return worst;
    }

    /** Max |difference| of {@code ours} to ONNX Runtime's logits relative to max(1, |logit|); asserts the match. */
    private static double compare(Path file, String what, float[] ours, float[][] ort) {
        int classes = ort[0].length;
        assertEquals(BATCH * classes, ours.length, file + " (" + what + "): output size");
        double worst = 0;
        for (int b = 0; b < BATCH; b++) {
            double scale = 1;
            for (float v : ort[b]) {
                scale = Math.max(scale, Math.abs(v));
            }
            int best = 0;
            int second = -1;
            int mine = 0;
            for (int k = 0; k < classes; k++) {
                double d = Math.abs(ours[b * classes + k] - ort[b][k]);
                worst = Math.max(worst, d / scale);
                assertTrue(d <= TOL * scale, file + " (" + what + "): image " + b + " logit " + k + " differs by " + d
                        + " (ONNX Runtime " + ort[b][k] + ", workbench " + ours[b * classes + k] + ")");
                if (ort[b][k] > ort[b][best]) {
                    best = k;
                }
                if (ours[b * classes + k] > ours[b * classes + mine]) {
                    mine = k;
                }
            }
            for (int k = 0; k < classes; k++) {
                if (k != best && (second < 0 || ort[b][k] > ort[b][second])) {
                    second = k;
                }
            }
            if (ort[b][best] - ort[b][second] > TOL * scale) {
                assertEquals(best, mine, file + " (" + what + "): image " + b + " argmax");
            }
        }
        return worst;
    }
}
