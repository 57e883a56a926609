package org.asrworkbench.cli;

import org.asrworkbench.core.data.ModelSidecar;
import org.asrworkbench.core.model.SampleModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled samples, as a user gets them: five networks (basic and bottleneck ResNets, a
 * MobileNetV2, a VGG), each loading from its file and sidecar
 * alone (no --arch, no --norm) and scoring on the bundled test subset what its sidecar says it
 * scored on the full test set. A sample loaded with the wrong architecture (MobileNetV2's CIFAR
 * strides cannot be seen in the weights) scores about 10% here.
 */
class BundledSamplesTest {

    static List<SampleModels.Sample> samples() {
        return SampleModels.list();
    }

    @Test
    void fiveNetworksAreBundled() {
        List<String> archs = samples().stream().map(s -> sidecar(s).architecture()).sorted().toList();
        assertEquals(List.of("mobilenet_v2-cifar-w0.5", "resnet18-cifar-w0.25", "resnet20-w0.5", "resnet50-cifar-w0.25",
                "vgg11_bn-cifar-w0.25"), archs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void scoresWhatItsSidecarSays(SampleModels.Sample sample) throws Exception {
        ModelSidecar sc = sidecar(sample);
        assertNotNull(sc.testAccuracy(), "test accuracy");
        assertTrue(sc.testAccuracy() >= 0.90, sample.name() + ": " + sc.testAccuracy() + " on the full test set");
        assertTrue(sc.trainingCommand().startsWith("asr-workbench train --arch "), sc.trainingCommand());
        assertEquals(0L, sc.seed().longValue());
        CommandLineTest.Run r = CommandLineTest.run("eval", "--model", sample.model().toString(), "--data",
                sample.evalImages().toString(), "--limit", "500", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        double top1 = r.json().get("top1").asDouble();
        assertEquals(sc.testAccuracy(), top1, 0.04, sample.name() + " on the first 500 images of the subset");
    }

    private static ModelSidecar sidecar(SampleModels.Sample s) {
        try {
            return ModelSidecar.read(ModelSidecar.pathFor(s.model()));
        } catch (Exception e) {
            throw new AssertionError(s.model() + ": " + e.getMessage(), e);
        }
    }
}
