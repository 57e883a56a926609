package org.asrworkbench.core.model;

import org.asrworkbench.core.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the architecture comes from: {@code --arch}, else the sidecar, else the weights. The
 * bundled MobileNetV2 has CIFAR strides, which its weights cannot show (same shapes as the
 * ImageNet strides), so only the sidecar makes it load as trained.
 */
class ModelLoaderArchitectureTest {
    static final Path MOBILENET = Path.of("sample-models/mobilenet_v2-cifar-w0.5-fashion.safetensors");
    static final Path RESNET20 = Path.of("sample-models/resnet20-w0.5-fashion.safetensors");

    @Test
    void theSidecarsArchitectureIsUsedWhenNoneIsGiven() throws Exception {
        LoadedModel m = ModelLoader.load(MOBILENET, null, null);
        assertEquals("mobilenet_v2-cifar-w0.5", m.arch().toString());
        assertEquals(ArchSource.SIDECAR, m.archSource());
        assertFalse(m.archDetected());
    }

    @Test
    void withoutASidecarTheWeightsDecideAndCannotSeeTheStrides(@TempDir Path dir) throws Exception {
        Path bare = Files.copy(MOBILENET, dir.resolve("bare.safetensors"));
        LoadedModel m = ModelLoader.load(bare, null, "fashion-mnist");
        assertEquals("mobilenet_v2-w0.5", m.arch().toString());
        assertEquals(ArchSource.WEIGHTS, m.archSource());
        assertTrue(m.archDetected());
    }

    @Test
    void anExplicitArchitectureWinsOverTheSidecar() throws Exception {
        LoadedModel m = ModelLoader.load(MOBILENET, "mobilenet_v2-w0.5", null);
        assertEquals("mobilenet_v2-w0.5", m.arch().toString());
        assertEquals(ArchSource.OPTION, m.archSource());
    }

    @Test
    void aSidecarNamingAnArchitectureTheWeightsDoNotFitIsReportedWithTheSidecar(@TempDir Path dir) throws Exception {
        Path model = Files.copy(RESNET20, dir.resolve("r20.safetensors"));
        String sidecar = Files.readString(RESNET20.resolveSibling("resnet20-w0.5-fashion.json"))
                .replace("\"resnet20-w0.5\"", "\"vgg11_bn-cifar\"");
        Path json = Files.writeString(dir.resolve("r20.json"), sidecar);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.load(model, null, null));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("vgg11_bn-cifar") && e.getMessage().contains(json.toString()), e.getMessage());
    }
}
