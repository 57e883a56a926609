package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitKind;
import org.asrworkbench.core.graph.UnitSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter names, shapes and counts of the built-in architectures. */
class ArchitecturesTest {
    static Graph build(String name, int in, int classes) {
        return Architectures.build(ArchSpec.parse(name).withIO(in, classes));
    }

    /** Learnable parameters (weights and biases, not BN running statistics), as PyTorch counts them. */
    static long learnable(Graph g) {
        return g.parameterShapes().entrySet().stream()
                .filter(e -> !e.getKey().endsWith(".running_mean") && !e.getKey().endsWith(".running_var"))
                .mapToLong(e -> org.asrworkbench.core.tensor.Tensor.numel(e.getValue())).sum();
    }

    /** Counts published by torchvision (ImageNet, 1000 classes) and by the CIFAR ResNet paper's code. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, 10, 269722", "resnet56, 10, 853018", "resnet18, 1000, 11689512",
        "resnet34, 1000, 21797672", "resnet50, 1000, 25557032", "vgg11_bn, 1000, 132868840",
        "vgg13_bn, 1000, 133053736", "vgg16_bn, 1000, 138365992", "vgg19_bn, 1000, 143678248",
        "mobilenet_v2, 1000, 3504872"})
    void parameterCountsMatchThePublishedOnes(String name, int classes, long count) {
        assertEquals(count, learnable(build(name, 3, classes)));
    }

    private static void assertShape(Map<String, long[]> shapes, String key, long... shape) {
        assertTrue(shapes.containsKey(key), "missing " + key);
        assertArrayEquals(shape, shapes.get(key), key);
    }

    @Test
    void torchvisionResNetNames() {
        Map<String, long[]> s18 = build("resnet18", 1, 7).parameterShapes();
        assertShape(s18, "conv1.weight", 64, 1, 7, 7);
        assertShape(s18, "layer1.1.conv2.weight", 64, 64, 3, 3);
        assertShape(s18, "layer2.0.conv1.weight", 128, 64, 3, 3);
        assertShape(s18, "layer2.0.downsample.0.weight", 128, 64, 1, 1);
        assertShape(s18, "layer2.0.downsample.1.running_var", 128);
        assertShape(s18, "fc.weight", 7, 512);
        assertShape(s18, "fc.bias", 7);
        assertFalse(s18.containsKey("layer1.0.downsample.0.weight"));

        Map<String, long[]> s50 = build("resnet50", 3, 10).parameterShapes();
        assertShape(s50, "layer1.0.conv3.weight", 256, 64, 1, 1);
        assertShape(s50, "layer1.0.downsample.0.weight", 256, 64, 1, 1);
        assertShape(s50, "layer2.0.conv2.weight", 128, 128, 3, 3);
        assertShape(s50, "layer4.2.bn3.weight", 2048);
        assertShape(s50, "fc.weight", 10, 2048);

        Graph cifar = build("resnet18-cifar", 3, 10);
        assertShape(cifar.parameterShapes(), "conv1.weight", 64, 3, 3, 3);
        assertTrue(cifar.nodes().stream().noneMatch(n -> n.op() instanceof Op.MaxPool));
        Op.Conv2d stem = (Op.Conv2d) cifar.node("conv1").op();
        assertEquals(1, stem.window().strideH());
        Op.Conv2d imagenetStem = (Op.Conv2d) build("resnet18", 3, 10).node("conv1").op();
        assertEquals(2, imagenetStem.window().strideH());
        assertEquals(new Op.MaxPool(3, 2, 1), build("resnet18", 3, 10).node("maxpool").op());
        // torchvision v1.5: the Bottleneck strides on its 3x3 conv.
        assertEquals(2, ((Op.Conv2d) build("resnet50", 3, 10).node("layer3.0.conv2").op()).window().strideH());
    }

    @Test
    void vggFeatureIndicesFollowMakeLayers() {
        Graph g = build("vgg16_bn", 3, 1000);
        Map<String, long[]> s = g.parameterShapes();
        assertShape(s, "features.0.weight", 64, 3, 3, 3);
        assertShape(s, "features.0.bias", 64);
        assertShape(s, "features.1.running_mean", 64);
        assertShape(s, "features.3.weight", 64, 64, 3, 3);
        assertInstanceOf(Op.MaxPool.class, g.node("features.6").op());
        assertShape(s, "features.7.weight", 128, 64, 3, 3);
        assertShape(s, "features.40.weight", 512, 512, 3, 3);
        assertInstanceOf(Op.MaxPool.class, g.node("features.43").op());
        assertShape(s, "classifier.0.weight", 4096, 512 * 7 * 7);
        assertShape(s, "classifier.3.weight", 4096, 4096);
        assertShape(s, "classifier.6.weight", 1000, 4096);
        assertEquals(new Op.AdaptiveAvgPool(7, 7), g.node("avgpool").op());

        Map<String, long[]> c = build("vgg11_bn-cifar", 3, 10).parameterShapes();
        assertShape(c, "features.25.weight", 512, 512, 3, 3);
        assertShape(c, "classifier.weight", 10, 512);
        assertShape(c, "classifier.bias", 10);
        assertFalse(c.containsKey("classifier.0.weight"));
    }

    @Test
    void mobileNetV2Names() {
        Graph g = build("mobilenet_v2", 3, 1000);
        Map<String, long[]> s = g.parameterShapes();
        assertShape(s, "features.0.0.weight", 32, 3, 3, 3);
        assertShape(s, "features.0.1.weight", 32);
        assertShape(s, "features.1.conv.0.0.weight", 32, 1, 3, 3);
        assertShape(s, "features.1.conv.0.1.weight", 32);
        assertShape(s, "features.1.conv.1.weight", 16, 32, 1, 1);
        assertShape(s, "features.1.conv.2.weight", 16);
        assertShape(s, "features.2.conv.0.0.weight", 96, 16, 1, 1);
        assertShape(s, "features.2.conv.1.0.weight", 96, 1, 3, 3);
        assertShape(s, "features.2.conv.2.weight", 24, 96, 1, 1);
        assertShape(s, "features.2.conv.3.running_var", 24);
        assertShape(s, "features.17.conv.2.weight", 320, 960, 1, 1);
        assertShape(s, "features.18.0.weight", 1280, 320, 1, 1);
        assertShape(s, "features.18.1.bias", 1280);
        assertShape(s, "classifier.1.weight", 1000, 1280);
        assertEquals(96, ((Op.Conv2d) g.node("features.2.conv.1.0").op()).groups());
        // Residual adds where stride 1 and in == out: blocks 3, 5, 6, 8, 9, 10, 12, 13, 15, 16.
        List<String> adds = g.nodes().stream().filter(n -> n.op() instanceof Op.Add).map(Node::id).toList();
        assertEquals(List.of("features.3.add", "features.5.add", "features.6.add", "features.8.add", "features.9.add",
                "features.10.add", "features.12.add", "features.13.add", "features.15.add", "features.16.add"), adds);
        assertTrue(g.nodes().stream().noneMatch(n -> n.op() instanceof Op.Relu));
    }

    @Test
    void mobileNetV2CifarStridesAndWidth() {
        Graph imagenet = build("mobilenet_v2", 3, 10);
        Graph cifar = build("mobilenet_v2-cifar", 3, 10);
        assertEquals(2, ((Op.Conv2d) imagenet.node("features.0.0").op()).window().strideH());
        assertEquals(1, ((Op.Conv2d) cifar.node("features.0.0").op()).window().strideH());
        assertEquals(2, ((Op.Conv2d) imagenet.node("features.2.conv.1.0").op()).window().strideH());
        assertEquals(1, ((Op.Conv2d) cifar.node("features.2.conv.1.0").op()).window().strideH());
        assertEquals(2, ((Op.Conv2d) cifar.node("features.4.conv.1.0").op()).window().strideH());

        Map<String, long[]> half = build("mobilenet_v2-w0.5", 3, 10).parameterShapes();
        assertShape(half, "features.0.0.weight", 16, 3, 3, 3);
        assertShape(half, "features.2.conv.2.weight", 16, 48, 1, 1);
        assertShape(half, "features.17.conv.2.weight", 160, 960 / 2, 1, 1);
        assertShape(half, "features.18.0.weight", 1280, 160, 1, 1);
        Map<String, long[]> wide = build("mobilenet_v2-w1.4", 3, 10).parameterShapes();
        assertShape(wide, "features.18.0.weight", 1792, 448, 1, 1);
    }

    @Test
    void makeDivisibleAsTorchvision() {
        assertEquals(32, MobileNetV2.makeDivisible(32, 8));
        assertEquals(16, MobileNetV2.makeDivisible(32 * 0.35, 8));
        assertEquals(24, MobileNetV2.makeDivisible(24 * 0.75, 8));
        assertEquals(8, MobileNetV2.makeDivisible(3, 8));
        assertEquals(48, MobileNetV2.makeDivisible(44, 8));
    }

    @Test
    void cifarResNetWidth() {
        Map<String, long[]> s = build("resnet20-w2", 3, 10).parameterShapes();
        assertShape(s, "conv1.weight", 32, 3, 3, 3);
        assertShape(s, "layer3.2.conv2.weight", 128, 128, 3, 3);
        assertShape(s, "linear.weight", 10, 128);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet20, 19", "resnet56, 55", "resnet18, 20", "resnet50, 53", "vgg11_bn-cifar, 8",
        "mobilenet_v2, 52"})
    void unitsAreConvBatchNormPairsAndBothSelectionsAgree(String name, int count) {
        Graph g = build(name, 3, 10);
        List<Unit> units = g.units();
        assertEquals(count, units.size());
        for (Unit u : units) {
            assertEquals(UnitKind.BN, u.kind());
            assertInstanceOf(Op.BatchNorm2d.class, g.node(u.bnNode()).op());
            assertTrue(g.indexOf(u.layerNode()) < g.indexOf(u.bnNode()));
        }
        assertEquals(units, g.units(UnitSelection.BN), "--units all and bn give the same units");
        assertTrue(g.unitSelectionsAgree());
    }

    @Test
    void torchvisionVggsTwoHiddenLinearLayersBecomeVirtualUnits() {
        Graph g = build("vgg16_bn", 3, 10);
        assertEquals(13, g.units(UnitSelection.BN).size());
        List<Unit> all = g.units();
        assertEquals(15, all.size());
        List<Unit> virtual = all.stream().filter(Unit::isVirtual).toList();
        assertEquals(List.of("classifier.0", "classifier.3"), virtual.stream().map(Unit::name).toList());
        assertEquals(List.of(4096, 4096), virtual.stream().map(Unit::channels).toList());
        assertEquals("classifier.6", g.classifier().id(), "the classifier is no unit");
        assertFalse(g.unitSelectionsAgree());
    }
}
