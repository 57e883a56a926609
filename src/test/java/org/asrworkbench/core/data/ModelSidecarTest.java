package org.asrworkbench.core.data;

import org.asrworkbench.core.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSidecarTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackNextToTheModel() throws Exception {
        Path model = dir.resolve("fmnist-cnn.safetensors");
        Path side = ModelSidecar.pathFor(model);
        assertEquals(dir.resolve("fmnist-cnn.json"), side);
        ModelSidecar written = new ModelSidecar("fmnist-cnn", ModelSidecar.of("x", Normalization.preset("fashion-mnist"))
                .normalisation(), Normalization.FASHION_MNIST_CLASSES, 0.912, "python train.py --seed 3", 3L, "small");
        written.write(side);
        assertTrue(Files.readString(side).contains("\"normalisation\""));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        ModelSidecar back = ModelSidecar.read(side);
        assertEquals("fmnist-cnn", back.architecture());
        assertEquals(0.912, back.testAccuracy());
        assertEquals(3L, back.seed());
        assertEquals("python train.py --seed 3", back.trainingCommand());
        Normalization n = Normalizations.resolve(null, model);
        assertEquals("fashion-mnist", n.name());
        assertEquals(28, n.height());
        assertArrayEquals(new float[] {0.2860f}, n.mean());
        assertEquals(Normalization.FASHION_MNIST_CLASSES, n.classNames());
    }

    @Test
    void optionalFieldsMayBeAbsent() throws Exception {
        Path side = dir.resolve("m.json");
        Files.writeString(side, "{\"architecture\":\"a\",\"normalization\":{\"name\":\"n\",\"channels\":1,"
                + "\"height\":4,\"width\":4,\"mean\":[0.5],\"std\":[0.25]},\"future\":1}");
        ModelSidecar s = ModelSidecar.read(side);
        assertNull(s.testAccuracy());
        assertEquals(List.of(), s.classNames());
        assertEquals(0.25f, Normalization.fromSidecar(s).std()[0]);
    }

    @Test
    void resolvesPresetsAndJsonFiles() throws Exception {
        Path model = dir.resolve("m.safetensors");
        assertEquals("cifar", Normalizations.resolve("cifar", model).name());
        Path bare = dir.resolve("norm.json");
        Files.writeString(bare, "{\"name\":\"gray\",\"channels\":1,\"height\":8,\"width\":8,\"mean\":[0.1],"
                + "\"std\":[0.2],\"classNames\":[\"a\",\"b\"]}");
        Normalization n = Normalizations.resolve(bare.toString(), model);
        assertEquals("gray", n.name());
        assertEquals(List.of("a", "b"), n.classNames());
        assertThrows(IllegalArgumentException.class, () -> Normalizations.resolve("vgg", model));
    }

    @Test
    void neverGuesses() {
        Path model = dir.resolve("lonely.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Normalizations.resolve(null, model));
        assertEquals(model, e.file());
        assertTrue(e.getMessage().contains("pass --norm"), e.getMessage());
    }

    @Test
    void invalidSidecarsNameTheFile() throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"architecture\": ");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelSidecar.read(broken));
        assertEquals(broken, e.file());
        Path noNorm = dir.resolve("nonorm.json");
        Files.writeString(noNorm, "{\"architecture\":\"a\"}");
        e = assertThrows(ModelFormatException.class, () -> ModelSidecar.read(noNorm));
        assertTrue(e.getMessage().contains("normalisation"), e.getMessage());
        Path mismatch = dir.resolve("mismatch.json");
        Files.writeString(mismatch, "{\"normalisation\":{\"name\":\"n\",\"channels\":3,\"height\":4,\"width\":4,"
                + "\"mean\":[0.5],\"std\":[0.25]}}");
        e = assertThrows(ModelFormatException.class, () -> ModelSidecar.read(mismatch));
        assertTrue(e.getMessage().startsWith(mismatch.toString()), e.getMessage());
    }

    @Test
    void padRoundTripsAndIsWrittenOnlyWhenSet() throws Exception {
        Normalization padded = Normalization.preset("fashion-mnist").withPad(2);
        Path side = dir.resolve("vgg.json");
        ModelSidecar.of("vgg11_bn-cifar", padded).write(side);
        assertTrue(Files.readString(side).contains("\"pad\" : 2"), Files.readString(side));
        Normalization back = Normalization.fromSidecar(ModelSidecar.read(side));
        assertEquals(2, back.pad());
        assertEquals(32, back.height());
        assertEquals(28, back.imageWidth());

        Path plain = dir.resolve("plain.json");
        ModelSidecar.of("resnet20", Normalization.preset("fashion-mnist")).write(plain);
        assertFalse(Files.readString(plain).contains("pad"), Files.readString(plain));
        assertEquals(0, Normalization.fromSidecar(ModelSidecar.read(plain)).pad());

        Path swallowing = dir.resolve("swallowing.json");
        Files.writeString(swallowing, "{\"normalisation\":{\"name\":\"n\",\"channels\":1,\"height\":4,"
                + "\"width\":4,\"mean\":[0.5],\"std\":[0.25],\"pad\":2}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelSidecar.read(swallowing));
        assertTrue(e.getMessage().contains("leaves nothing of the image"), e.getMessage());
    }

    @Test
    void sampleSidecarsRewriteByteForByte() throws Exception {
        Path plain = Path.of("sample-models/resnet20-w0.5-fashion.json");
        assertEquals(0, Normalization.fromSidecar(ModelSidecar.read(plain)).pad(), "no pad field: pad 0");
        Path padded = Path.of("sample-models/vgg11_bn-cifar-w0.25-fashion.json");
        assertEquals(2, Normalization.fromSidecar(ModelSidecar.read(padded)).pad());
        for (Path sample : List.of(plain, padded)) {
            Path copy = dir.resolve("copy-" + sample.getFileName());
            ModelSidecar.read(sample).write(copy);
            assertArrayEquals(Files.readAllBytes(sample), Files.readAllBytes(copy), sample.toString());
        }
    }
}
