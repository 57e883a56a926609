package org.asrworkbench.core.data;

import org.asrworkbench.testing.SharedData;
import org.asrworkbench.testing.SystemData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real datasets: the shared CIFAR-10 calibration pool and Debian's Fashion-MNIST package. */
class SystemDatasetsTest {

    @Test
    void readsTheSharedCifarCalibrationPool() throws IOException {
        Path file = SharedData.cifarCalib();
        byte[] first = new byte[3073];
        try (InputStream in = Files.newInputStream(file)) {
            assertEquals(3073, in.readNBytes(first, 0, 3073));
        }
        try (ImageDataset ds = Datasets.open(file, null, DatasetOptions.defaults())) {
            assertEquals("cifar10-bin", ds.format());
            assertEquals(10000, ds.size());
            int[] counts = new int[10];
            for (int i = 0; i < ds.size(); i++) {
                int label = ds.label(i);
                assertTrue(label >= 0 && label < 10, "label " + label + " of image " + i);
                counts[label]++;
            }
            for (int c : counts) {
                assertTrue(c > 0, "every class occurs");
            }
            float[] out = new float[3072];
            int[] labels = ds.read(new int[] {0}, out);
            assertEquals(first[0] & 0xff, labels[0]);
            assertEquals((first[1] & 0xff) / 255f, out[0], "R of pixel (0,0)");
            assertEquals((first[1 + 1024] & 0xff) / 255f, out[1024], "G of pixel (0,0)");
            assertEquals((first[1 + 2048] & 0xff) / 255f, out[2048], "B of pixel (0,0)");
            assertEquals((first[3072] & 0xff) / 255f, out[3071], "last B value");
        }
    }

    @Test
    void readsFashionMnistFromTheDebianPackage() throws IOException {
        Path dir = SystemData.fashionMnist();
        try (IdxDataset train = FashionMnist.open(dir, DatasetSplit.TRAIN);
             IdxDataset test = FashionMnist.open(dir, DatasetSplit.TEST)) {
            assertEquals(60000, train.size());
            assertEquals(10000, test.size());
            for (IdxDataset ds : new IdxDataset[] {train, test}) {
                assertEquals(1, ds.channels());
                assertEquals(28, ds.height());
                assertEquals(28, ds.width());
                assertEquals(Normalization.FASHION_MNIST_CLASSES, ds.classNames());
            }
            assertEquals(9, train.label(0), "the first training image is an ankle boot");
            assertEquals(9, test.label(0), "so is the first test image");
            float[] out = new float[2 * 784];
            test.read(new int[] {0, 9999}, out);
            float sum = 0;
            for (float v : out) {
                assertTrue(v >= 0 && v <= 1);
                sum += v;
            }
            assertTrue(sum > 0);
        }
    }
}
