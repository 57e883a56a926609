package org.asrworkbench.core.graph;

import org.asrworkbench.core.arch.CifarResNet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphTest {
    private final Graph resnet20 = CifarResNet.build(20, 3, 10);

    @Test
    void resnet20HasNineteenUnitsInTopologicalOrder() {
        List<Unit> units = resnet20.units();
        assertEquals(19, units.size());
        assertEquals(new Unit("conv1", "bn1", "conv1", "bn1", 16), units.get(0));
        assertEquals(new Unit("layer1.0.conv1", "layer1.0.bn1", "layer1.0.conv1", "layer1.0.bn1", 16), units.get(1));
        assertEquals(new Unit("layer3.2.conv2", "layer3.2.bn2", "layer3.2.conv2", "layer3.2.bn2", 64), units.get(18));
        for (int i = 1; i < units.size(); i++) {
            assertTrue(resnet20.indexOf(units.get(i - 1).layerNode()) < resnet20.indexOf(units.get(i).layerNode()));
        }
        assertTrue(units.stream().noneMatch(u -> u.name().equals("linear")));
        assertEquals(List.of("linear"), resnet20.layersWithoutBatchNorm().stream().map(Node::id).toList());
        assertEquals(20, resnet20.weightLayers().size());
    }

    @Test
    void parameterShapesInStateDictOrder() {
        Map<String, long[]> s = resnet20.parameterShapes();
        assertEquals(1 + 4 + 18 * 5 + 2, s.size());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "layer1.0.conv1.weight"), s.keySet().stream().limit(6).toList());
        assertArrayEquals(new long[] {64, 32, 3, 3}, s.get("layer3.0.conv1.weight"));
        assertArrayEquals(new long[] {10, 64}, s.get("linear.weight"));
        assertArrayEquals(new long[] {10}, s.get("linear.bias"));
    }

    @Test
    void consumersFollowTheResidualWiring() {
        // layer2.0 downsamples: its input feeds conv1 and the option-A shortcut.
        String blockIn = resnet20.node("layer2.0.conv1").inputs().get(0);
        assertEquals(List.of("layer2.0.conv1", "layer2.0.shortcut"), resnet20.consumers(blockIn));
        assertEquals(List.of("layer2.0.bn2", "layer2.0.shortcut"), resnet20.node("layer2.0.add").inputs());
        assertEquals(new Op.ShortcutA(2, 8), resnet20.node("layer2.0.shortcut").op());
        assertEquals(List.of(), resnet20.consumers(resnet20.output().id()));
    }

    @Test
    void aConvFeedingMoreThanABatchNormIsAVirtualUnitAndTheBnAUnitNamedAfterItself() {
        GraphBuilder b = new GraphBuilder("fork", 1);
        String c = b.conv("c", 1, 2, 1, 1, 0, 1, false);
        String bn = b.bn("bn", 2);
        b.addFrom("add", new Op.Add(), bn, c);
        b.add("pool", new Op.GlobalAvgPool());
        b.add("flat", new Op.Flatten());
        b.linear("fc", 2, 3, true);
        Graph g = b.build();
        assertEquals(List.of(new Unit("c", UnitKind.VIRTUAL, "c", "c", null, "c", 2),
                new Unit("bn", UnitKind.BN, "bn", null, "bn", "c", 2)), g.units());
        assertEquals(List.of(new Unit("bn", UnitKind.BN, "bn", null, "bn", "c", 2)), g.units(UnitSelection.BN));
        assertEquals(List.of("c", "fc"), g.layersWithoutBatchNorm().stream().map(Node::id).toList());
    }

    @Test
    void rejectsMalformedGraphs() {
        Node input = new Node("input", new Op.Input(1), List.of());
        assertThrows(IllegalArgumentException.class,
                () -> new Graph("g", List.of(input, new Node("r", new Op.Relu(), List.of("later")))));
        assertThrows(IllegalArgumentException.class, () -> new Graph("g", List.of(input, input)));
        assertThrows(IllegalArgumentException.class,
                () -> new Graph("g", List.of(new Node("r", new Op.Relu(), List.of()))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resnet20.node("nope"));
        assertTrue(e.getMessage().contains("'nope'"));
    }
}
