package org.asrworkbench.core.arch;

import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureDetectorTest {
    private static StateDict weightsOf(ArchSpec spec) {
        return RandomWeights.of(Architectures.build(spec), 42);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, 3, 10", "resnet32, 3, 10", "resnet44, 1, 100", "resnet56, 3, 10", "resnet110, 3, 10",
        "resnet20-w4, 3, 10", "cifar_resnet50, 3, 10", "resnet18, 3, 1000", "resnet18-cifar, 3, 10",
        "resnet34, 1, 10", "resnet34-cifar, 3, 100", "resnet50, 3, 10", "resnet50-cifar-w0.5, 3, 10",
        "vgg11_bn, 3, 10", "vgg11_bn-cifar, 3, 10", "vgg13_bn-cifar, 1, 10", "vgg16_bn-cifar, 3, 100",
        "vgg19_bn-cifar, 3, 10", "vgg16_bn-w0.5, 3, 10", "mobilenet_v2, 3, 1000", "mobilenet_v2-w0.5, 1, 10",
        "mobilenet_v2-w1.4, 3, 10", "mobilenet_v2-w0.35, 3, 10"})
    void detectsWhatWasBuilt(String name, int in, int classes) throws Exception {
        ArchSpec spec = ArchSpec.parse(name).withIO(in, classes);
        assertEquals(spec, ArchitectureDetector.detect(weightsOf(spec)));
    }

    @Test
    void mobileNetCifarStridesAreInvisibleSoTheTorchvisionStridesAreReported() throws Exception {
        ArchSpec cifar = ArchSpec.parse("mobilenet_v2-cifar").withIO(3, 10);
        ArchSpec detected = ArchitectureDetector.detect(weightsOf(cifar));
        assertEquals(cifar, new ArchSpec(detected.family(), detected.depth(), ArchSpec.Variant.CIFAR,
                detected.inputChannels(), detected.numClasses(), detected.width()));
        assertEquals(ArchSpec.Variant.IMAGENET, detected.variant());
    }

    @Test
    void toleratesBatchCounters() throws Exception {
        ArchSpec spec = ArchSpec.parse("resnet18-cifar").withIO(3, 10);
        StateDict sd = weightsOf(spec);
        sd.put("bn1.num_batches_tracked", new Tensor(new long[0], new float[] {5}));
        assertEquals(spec, ArchitectureDetector.detect(sd));
    }

    @Test
    void sharedCifarResNetsAreDetected() throws Exception {
        assertShared(SharedData.resnet20Safetensors(), "resnet20");
        assertShared(SharedData.resnet56Safetensors(), "resnet56");
    }

    private static void assertShared(Path file, String name) throws Exception {
        ArchSpec spec = ArchitectureDetector.detect(SafetensorsReader.read(file));
        assertEquals(ArchSpec.parse(name).withIO(3, 10), spec);
        assertEquals(name, spec.toString());
    }

    @Test
    void unknownArchitectureListsWhatWasRecognised() {
        StateDict sd = new StateDict();
        sd.put("conv1.weight", new Tensor(new long[] {8, 3, 3, 3}, new float[8 * 27]));
        sd.put("head.weight", new Tensor(new long[] {10, 8}, new float[80]));
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> ArchitectureDetector.detect(sd));
        assertTrue(e.getMessage().startsWith("unknown architecture (2 tensors)"), e.getMessage());
        assertTrue(e.getMessage().contains("'conv1' [8, 3, 3, 3]"), e.getMessage());

        StateDict empty = new StateDict();
        ArchitectureException none = assertThrows(ArchitectureException.class, () -> ArchitectureDetector.detect(empty));
        assertTrue(none.getMessage().contains("recognised: nothing"), none.getMessage());
    }

    @Test
    void unknownResNetStagesAreNamed() {
        StateDict sd = weightsOf(ArchSpec.parse("resnet18").withIO(3, 10));
        StateDict trimmed = new StateDict();
        sd.asMap().forEach((k, v) -> {
            if (!k.startsWith("layer4.1.")) {
                trimmed.put(k, v);
            }
        });
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> ArchitectureDetector.detect(trimmed));
        assertTrue(e.getMessage().contains("4 residual stages of [2, 2, 2, 1] basic blocks"), e.getMessage());
        assertTrue(e.getMessage().contains("no torchvision ResNet has these stages"), e.getMessage());
    }

    @Test
    void aContradictingShapeNamesTheGuessAndTheKey() {
        StateDict sd = weightsOf(ArchSpec.parse("resnet20").withIO(3, 10));
        sd.put("layer2.1.conv1.weight", new Tensor(new long[] {32, 16, 3, 3}, new float[32 * 16 * 9]));
        ArchitectureException e = assertThrows(ArchitectureException.class, () -> ArchitectureDetector.detect(sd));
        assertEquals("layer2.1.conv1.weight", e.key());
        assertTrue(e.getMessage().startsWith("looks like resnet20"), e.getMessage());
        assertTrue(e.getMessage().contains("[32, 16, 3, 3] in the checkpoint but [32, 32, 3, 3]"), e.getMessage());
    }

    @Test
    void completeFillsChannelsAndClassesFromTheCheckpoint() throws Exception {
        StateDict sd = weightsOf(ArchSpec.parse("vgg11_bn-cifar").withIO(1, 7));
        assertEquals(ArchSpec.parse("vgg11_bn-cifar").withIO(1, 7),
                ArchitectureDetector.complete(ArchSpec.parse("vgg11_bn-cifar"), sd));
        assertEquals(ArchSpec.parse("vgg11_bn-cifar").withIO(1, 12),
                ArchitectureDetector.complete(ArchSpec.parse("vgg11_bn-cifar-cls12"), sd));

        ArchitectureException e = assertThrows(ArchitectureException.class,
                () -> ArchitectureDetector.complete(ArchSpec.parse("resnet20"), sd));
        assertEquals("conv1.weight", e.key());
        assertTrue(e.getMessage().contains("lacks 'conv1.weight'"), e.getMessage());
    }
}
