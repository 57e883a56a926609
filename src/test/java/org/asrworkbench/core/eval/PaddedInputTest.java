package org.asrworkbench.core.eval;

import ai.djl.Device;
import org.asrworkbench.core.arch.ArchSpec;
import org.asrworkbench.core.arch.Architectures;
import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.train.WeightInit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CIFAR VGG (five 2x2 pools, so 32x32 inputs) on the bundled 28x28 Fashion-MNIST subset,
 * padded by 2 through its input contract.
 */
class PaddedInputTest {
    private static final Path IMAGES = Path.of("sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz");
    private static final Normalization PADDED = Normalization.preset("fashion-mnist").withPad(2);

    private static Graph vgg() {
        return Architectures.build(ArchSpec.parse("vgg11_bn-cifar-w0.0625").withIO(1, 10));
    }

    @Test
    void aCifarVggEvaluatesPaddedFashionMnist() throws Exception {
        Graph g = vgg();
        try (ImageDataset data = Datasets.open(IMAGES, null, DatasetOptions.defaults().withInput(PADDED));
             Executor exec = new Executor(g, WeightInit.initialise(g, 1), Device.cpu())) {
            int[] first = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
            EvalResult r = Evaluator.evaluate(exec, Map.of(), data, first, PADDED, 5, Progress.NONE);
            assertEquals(12, r.n());
            assertTrue(r.top1() >= 0 && r.top1() <= 1, "top-1 " + r.top1());
        }
    }

    @Test
    void sizeMismatchesNameThePad() throws Exception {
        Graph g = vgg();
        // the model expects 30x30 images padded by 2 to 34x34; the dataset's are 28x28
        Normalization wide = new Normalization("wide", 1, 34, 34, new float[] {0.5f}, new float[] {0.25f},
                List.of(), 2);
        try (ImageDataset data = Datasets.open(IMAGES, null, DatasetOptions.defaults().withInput(wide))) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetFit.check(data, wide, g));
            assertTrue(e.getMessage().contains("images are 28x28, but the model " + g.name()
                    + " takes 34x34 with pad 2 (30x30 images"), e.getMessage());
        }
        try (ImageDataset unpadded = Datasets.open(IMAGES, null, DatasetOptions.defaults())) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> DatasetFit.check(unpadded, PADDED, g));
            assertTrue(e.getMessage().contains("images are 28x28 and not padded, but the model " + g.name()
                    + " takes 32x32 with pad 2 (28x28 images"), e.getMessage());
        }
        Normalization plain = Normalization.preset("fashion-mnist");
        try (ImageDataset padded = Datasets.open(IMAGES, null, DatasetOptions.defaults().withInput(PADDED))) {
            DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetFit.check(padded, plain, g));
            assertTrue(e.getMessage().contains("images are 32x32, but the model " + g.name() + " takes 28x28"),
                    e.getMessage());
        }
    }
}
