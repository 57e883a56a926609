package org.asrworkbench.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void detectsCifar10AndCifar100BySize() throws IOException {
        Path c10 = sized("data_batch_1.bin", 2 * 3073);
        Path c100 = sized("train.bin", 2 * 3074);
        try (ImageDataset ds = Datasets.open(c10, null, DatasetOptions.defaults())) {
            assertEquals("cifar10-bin", ds.format());
            assertEquals(2, ds.size());
            assertEquals(Normalization.CIFAR10_CLASSES, ds.classNames());
        }
        try (ImageDataset ds = Datasets.open(c100, null, DatasetOptions.defaults())) {
            assertEquals("cifar100-bin", ds.format());
            assertEquals(100, ds.numClasses());
        }
        Path both = sized("both.bin", 3073 * 3074);
        assertEquals("cifar10-bin", Datasets.detect(both));
        try (ImageDataset ds = Datasets.open(both, "cifar100-bin", DatasetOptions.defaults())) {
            assertEquals("cifar100-bin", ds.format(), "the format option overrides detection");
            assertEquals(3073, ds.size());
        }
    }

    @Test
    void unknownSizeAndFormatNameAreErrorsNamingThePath() throws IOException {
        Path odd = sized("odd.bin", 1000);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(odd, null, DatasetOptions.defaults()));
        assertEquals(odd, e.file());
        assertTrue(e.getMessage().contains("size 1000 bytes"), e.getMessage());
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(odd, "cifar10-jpeg", DatasetOptions.defaults()));
        assertTrue(e.getMessage().contains("unknown dataset format 'cifar10-jpeg'"), e.getMessage());
        Path missing = dir.resolve("nope.bin");
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(missing, null, DatasetOptions.defaults()));
        assertEquals(missing, e.file());
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(odd, "cifar10-bin", DatasetOptions.defaults()));
        assertTrue(e.getMessage().contains("not a whole number of CIFAR-10 records"), e.getMessage());
    }

    @Test
    void detectsIdxFilesAndFindsTheirLabels() throws IOException {
        InMemoryDataset src = InMemoryDataset.pattern(4, 3, 3);
        Path images = dir.resolve("fmnist-images-idx3-ubyte.gz");
        IdxWriter.write(src, new int[] {0, 1, 2, 3}, images, dir.resolve("fmnist-labels-idx1-ubyte.gz"), true);
        try (ImageDataset ds = Datasets.open(images, null, DatasetOptions.defaults()
                .withClassNames(Normalization.FASHION_MNIST_CLASSES))) {
            assertEquals("idx", ds.format());
            assertEquals(4, ds.size());
            assertEquals("Pullover", ds.classNames().get(2));
        }
        Path dotted = dir.resolve("x-images.idx3-ubyte");
        IdxWriter.write(src, new int[] {1}, dotted, dir.resolve("x-labels.idx1-ubyte"), false);
        try (ImageDataset ds = Datasets.open(dotted, null, DatasetOptions.defaults())) {
            assertEquals(1, ds.size());
        }
        Path orphan = dir.resolve("lonely-images-idx3-ubyte");
        Files.copy(dotted, orphan);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(orphan, null, DatasetOptions.defaults()));
        assertEquals(orphan, e.file());
        assertTrue(e.getMessage().contains("no labels file beside it"), e.getMessage());
        Path labels = dir.resolve("x-labels.idx1-ubyte");
        e = assertThrows(DatasetFormatException.class, () -> Datasets.open(labels, null, DatasetOptions.defaults()));
        assertTrue(e.getMessage().contains("labels file"), e.getMessage());
    }

    @Test
    void idxDirectoryChoosesTheSplit() throws IOException {
        InMemoryDataset src = InMemoryDataset.pattern(5, 2, 2);
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        IdxWriter.write(src, new int[] {0, 1, 2, 3, 4}, mnist.resolve("train-images-idx3-ubyte.gz"),
                mnist.resolve("train-labels-idx1-ubyte.gz"), true);
        IdxWriter.write(src, new int[] {0, 1}, mnist.resolve("t10k-images-idx3-ubyte.gz"),
                mnist.resolve("t10k-labels-idx1-ubyte.gz"), true);
        assertEquals("idx", Datasets.detect(mnist));
        try (ImageDataset test = Datasets.open(mnist, null, DatasetOptions.defaults());
             ImageDataset train = Datasets.open(mnist, null, DatasetOptions.defaults().withSplit(DatasetSplit.TRAIN))) {
            assertEquals(2, test.size(), "test is the default split");
            assertEquals(5, train.size());
        }
        Files.delete(mnist.resolve("t10k-images-idx3-ubyte.gz"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(mnist, null, DatasetOptions.defaults()));
        assertEquals(mnist, e.file());
        assertTrue(e.getMessage().contains("test split"), e.getMessage());
    }

    @Test
    void detectsImageFolders() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder").resolve("cls"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        Path root = folder.getParent();
        assertEquals("imagefolder", Datasets.detect(root));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.open(root, null, DatasetOptions.defaults()));
        assertTrue(e.getMessage().contains("input size"), e.getMessage());
        Normalization input = Normalization.preset("cifar");
        try (ImageDataset ds = Datasets.open(root, null, DatasetOptions.defaults().withInput(input))) {
            assertInstanceOf(ImageFolderDataset.class, ds);
            assertEquals(32, ds.height());
            assertEquals(3, ds.channels());
        }
        Path emptyDir = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(DatasetFormatException.class, () -> Datasets.detect(emptyDir));
        assertEquals(emptyDir, e.file());
    }

    private Path sized(String name, int bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[bytes]);
        return p;
    }
}
