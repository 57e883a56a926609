package org.asrworkbench.core.arch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in architecture runs end to end on a random batch of two and yields (N, classes). */
class ArchitectureForwardTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, 3, 10, 32", "resnet32, 3, 10, 32", "resnet44, 1, 10, 32", "resnet56, 3, 10, 32",
        "resnet110, 3, 10, 32", "resnet18, 3, 10, 64", "resnet18-cifar, 3, 10, 32", "resnet34, 3, 7, 64",
        "resnet34-cifar, 1, 10, 32", "resnet50, 3, 10, 64", "resnet50-cifar, 3, 100, 32",
        "vgg11_bn, 3, 10, 64", "vgg13_bn, 3, 10, 64", "vgg16_bn, 3, 10, 64", "vgg19_bn, 3, 10, 64",
        "vgg11_bn-cifar, 3, 10, 32", "vgg13_bn-cifar, 3, 10, 32", "vgg16_bn-cifar, 1, 100, 32",
        "vgg19_bn-cifar, 3, 10, 32", "mobilenet_v2, 3, 10, 32", "mobilenet_v2-cifar, 3, 10, 32",
        "mobilenet_v2-cifar-w0.5, 1, 5, 32"})
    void forwardGivesOneRowOfLogitsPerImage(String name, int in, int classes, int size) {
        Graph g = Architectures.build(ArchSpec.parse(name).withIO(in, classes));
        int n = 2;
        float[] x = new float[n * in * size * size];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (Executor ex = new Executor(g, RandomWeights.of(g, 9), Device.cpu());
             NDManager m = ex.manager().newSubManager()) {
            NDArray y = ex.forward(ex.input(m, x, n, in, size, size));
            assertArrayEquals(new long[] {n, classes}, y.getShape().getShape());
            float[] logits = Executor.toFloats(y);
            for (float v : logits) {
                assertTrue(Float.isFinite(v), name + " produced a non-finite logit");
            }
            boolean differ = false;
            for (int c = 0; c < classes; c++) {
                differ |= logits[c] != logits[classes + c];
            }
            assertTrue(differ, name + ": two different images gave identical logits");
        }
    }
}
