package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.arch.CifarResNet;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.tensor.StateDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dense CIFAR ResNet-20 end to end: the reference's top-1 on the first 2000 test images. */
class SmokeTest {
    /** {@code ../shared/reference/README.md}: dense top-1 0.8090 on the first 2000 images, to an image or two. */
    private static final int REFERENCE_CORRECT = 1618;

    @Test
    void resnet20() throws Exception {
        Normalization norm = Normalization.preset("cifar");
        StateDict sd = SafetensorsReader.read(org.asrworkbench.testing.SharedData.resnet20Safetensors());
        Graph g = CifarResNet.build(20, 3, 10);
        try (Executor ex = new Executor(g, sd, Device.cpu());
             CifarBinaryDataset ds = new CifarBinaryDataset(org.asrworkbench.testing.SharedData.cifarTest(), false, Normalization.CIFAR10_CLASSES)) {
            int correct = 0;
            int n = 2000, bs = 250;
            for (int s = 0; s < n; s += bs) {
                int[] idx = new int[bs];
                for (int i = 0; i < bs; i++) idx[i] = s + i;
                float[] px = new float[bs * 3 * 32 * 32];
                int[] labels = ds.read(idx, px);
                norm.apply(px, bs);
                try (NDManager m = ex.manager().newSubManager()) {
                    NDArray x = ex.input(m, px, bs, 3, 32, 32);
                    long[] pred = ex.forward(x).argMax(1).toLongArray();
                    for (int i = 0; i < bs; i++) if (pred[i] == labels[i]) correct++;
                }
            }
            assertEquals(REFERENCE_CORRECT, correct, 2, "dense top-1 " + correct / (double) n);
        }
    }
}
