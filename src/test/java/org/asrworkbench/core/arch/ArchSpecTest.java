package org.asrworkbench.core.arch;

import org.asrworkbench.core.arch.ArchSpec.Family;
import org.asrworkbench.core.arch.ArchSpec.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchSpecTest {
    @Test
    void parsesTheCliNames() {
        assertEquals(ArchSpec.of(Family.CIFAR_RESNET, 20, Variant.CIFAR), ArchSpec.parse("resnet20"));
        assertEquals(ArchSpec.of(Family.CIFAR_RESNET, 110, Variant.CIFAR), ArchSpec.parse("ResNet110"));
        assertEquals(ArchSpec.of(Family.RESNET, 18, Variant.IMAGENET), ArchSpec.parse("resnet18"));
        assertEquals(ArchSpec.of(Family.RESNET, 18, Variant.CIFAR), ArchSpec.parse("resnet18-cifar"));
        assertEquals(ArchSpec.of(Family.RESNET, 50, Variant.IMAGENET), ArchSpec.parse("resnet50"));
        assertEquals(ArchSpec.of(Family.CIFAR_RESNET, 50, Variant.CIFAR), ArchSpec.parse("cifar_resnet50"));
        assertEquals(ArchSpec.of(Family.VGG_BN, 16, Variant.IMAGENET), ArchSpec.parse("vgg16_bn"));
        assertEquals(ArchSpec.of(Family.VGG_BN, 11, Variant.CIFAR), ArchSpec.parse("vgg11_bn-cifar"));
        assertEquals(ArchSpec.of(Family.MOBILENET_V2, 0, Variant.IMAGENET), ArchSpec.parse("mobilenet_v2"));
        assertEquals(ArchSpec.of(Family.MOBILENET_V2, 0, Variant.CIFAR), ArchSpec.parse("mobilenet_v2-cifar"));
    }

    @Test
    void optionalWidthChannelsAndClasses() {
        ArchSpec s = ArchSpec.parse("mobilenet_v2-cifar-w0.5-in1-cls100");
        assertEquals(new ArchSpec(Family.MOBILENET_V2, 0, Variant.CIFAR, 1, 100, 0.5), s);
        assertTrue(s.isComplete());
        assertFalse(ArchSpec.parse("resnet20").isComplete());
        assertEquals("mobilenet_v2-cifar-w0.5", s.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet20", "resnet56", "resnet110", "cifar_resnet50", "resnet18", "resnet18-cifar",
        "resnet34", "resnet50-cifar", "vgg11_bn", "vgg19_bn-cifar", "mobilenet_v2", "mobilenet_v2-cifar",
        "resnet20-w2", "vgg16_bn-w0.25", "mobilenet_v2-w1.4"})
    void canonicalNamesRoundTrip(String name) {
        assertEquals(name, ArchSpec.parse(name).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet19", "resnet20-imagenet", "vgg12_bn", "vgg16", "alexnet", "resnet18-big",
        "mobilenet_v2-w0", "resnet"})
    void rejectsUnknownNamesWithTheKnownOnes(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArchSpec.parse(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("known: resnet20"), e.getMessage());
    }

    @Test
    void buildingNeedsChannelsAndClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.build(ArchSpec.parse("resnet20")));
        assertTrue(e.getMessage().startsWith("resnet20:"), e.getMessage());
    }
}
