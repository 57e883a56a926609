package org.asrworkbench.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.CifarBinaryDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy {@code .th} checkpoint and the safetensors file of each shared ResNet give the same logits. */
class CheckpointFormatsAgreeTest {

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet56"})
    void sameLogitsFromBothFiles(String name) throws Exception {
        Path th = name.equals("resnet20") ? SharedData.resnet20Th() : SharedData.resnet56Th();
        Path st = name.equals("resnet20") ? SharedData.resnet20Safetensors() : SharedData.resnet56Safetensors();
        LoadedModel a = ModelLoader.load(th, null, "cifar");
        LoadedModel b = ModelLoader.load(st, null, "cifar");
        assertEquals(name, a.arch().toString());
        assertEquals(name, b.arch().toString());
        float[][] logits = new float[2][];
        try (CifarBinaryDataset test = new CifarBinaryDataset(SharedData.cifarTest(), false, Normalization.CIFAR10_CLASSES);
             Executor ea = new Executor(a.graph(), a.weights(), Device.cpu());
             Executor eb = new Executor(b.graph(), b.weights(), Device.cpu())) {
            new BatchReader(test, a.normalization(), 64).forEach(IntStream.range(0, 64).toArray(), batch -> {
                Executor[] both = {ea, eb};
                for (int k = 0; k < 2; k++) {
                    try (NDManager m = both[k].manager().newSubManager()) {
                        logits[k] = both[k].forward(both[k].input(m, batch.pixels(), 64, 3, 32, 32)).toFloatArray();
                    }
                }
            }, null);
        }
        assertEquals(640, logits[0].length);
        double maxDiff = 0;
        for (int i = 0; i < logits[0].length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(logits[0][i] - logits[1][i]));
        }
        assertTrue(maxDiff < 1e-4, "max |logit difference| " + maxDiff);
    }
}
