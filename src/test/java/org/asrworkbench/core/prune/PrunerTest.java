package org.asrworkbench.core.prune;

import org.asrworkbench.core.arch.CifarResNet;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrunerTest {
    private static final boolean T = true;
    private static final boolean F = false;

    /** conv1 (1->2, 1x1), bn, conv2 (2->2, 1x1), bn, pool, linear (2->2): 2 + 4 + 4 weights. */
    private static Graph smallGraph() {
        GraphBuilder g = new GraphBuilder("small", 1);
        g.conv("conv1", 1, 2, 1, 1, 0, 1, false);
        g.bn("bn1", 2);
        g.conv("conv2", 2, 2, 1, 1, 0, 1, false);
        g.bn("bn2", 2);
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("fc", 2, 2, true);
        return g.build();
    }

    private static StateDict smallWeights() {
        StateDict sd = new StateDict();
        sd.put("conv1.weight", new Tensor(new long[] {2, 1, 1, 1}, new float[] {0.5f, -0.1f}));
        sd.put("conv2.weight", new Tensor(new long[] {2, 2, 1, 1}, new float[] {0.3f, -0.2f, 0.05f, 0.4f}));
        sd.put("fc.weight", new Tensor(new long[] {2, 2}, new float[] {0.01f, 0.6f, -0.3f, 0.2f}));
        sd.put("fc.bias", new Tensor(new long[] {2}, new float[] {0.001f, 0.002f}));
        return sd;
    }

    private static void assertConsistent(StateDict dense, StateDict before, PruneResult r) {
        for (String name : dense.names()) {
            assertEquals(before.get(name), dense.get(name), "dense " + name + " must be unchanged");
        }
        for (Map.Entry<String, boolean[]> e : r.masks().entrySet()) {
            float[] d = dense.require(e.getKey()).data();
            float[] p = r.pruned().require(e.getKey()).data();
            for (int i = 0; i < d.length; i++) {
                assertEquals(e.getValue()[i] ? d[i] : 0f, p[i], e.getKey() + "[" + i + "]");
            }
        }
        for (String name : dense.names()) {
            if (!r.masks().containsKey(name)) {
                assertEquals(dense.get(name), r.pruned().get(name), name + " is never pruned");
            }
        }
    }

    private static PruneResult prune(Graph g, StateDict sd, PruneSettings s) {
        StateDict before = sd.copy();
        PruneResult r = Pruner.prune(g, sd, s);
        assertConsistent(sd, before, r);
        return r;
    }

    @Test
    void globalMagnitudePrunesTheSmallestAcrossLayers() {
        PruneResult r = prune(smallGraph(), smallWeights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5));
        // |w| sorted: .01 .05 .1 .2 .2 | .3 .3 .4 .5 .6 -> k = 5 takes both 0.2s
        assertArrayEquals(new boolean[] {T, F}, r.masks().get("conv1.weight"));
        assertArrayEquals(new boolean[] {T, F, F, T}, r.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {F, T, T, F}, r.masks().get("fc.weight"));
        assertEquals(0.5, r.achieved());
        assertEquals(0.5, r.requested());
        assertEquals(10, r.prunableWeights());
        assertEquals(5, r.prunedWeights());
        assertEquals(new LayerSparsity("conv2", 4, 2), r.perLayer().get(1));
    }

    @Test
    void tiesAtTheThresholdGoInGraphOrder() {
        PruneResult r = prune(smallGraph(), smallWeights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.4));
        // k = 4: .01 .05 .1 and the first 0.2 in graph order (conv2), not the one in fc
        assertArrayEquals(new boolean[] {T, F, F, T}, r.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {F, T, T, T}, r.masks().get("fc.weight"));
        assertEquals(0.4, r.achieved());
    }

    @Test
    void countIsRoundedHalfUp() {
        assertEquals(5, Pruner.targetCount(0.45, 10));
        assertEquals(4, Pruner.targetCount(0.44, 10));
        assertEquals(241502, Pruner.targetCount(0.9, 268336));
        PruneResult r = prune(smallGraph(), smallWeights(), PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.45));
        assertEquals(5, r.prunedWeights());
    }

    @Test
    void exclusionsLeaveFirstConvAndClassifierDense() {
        PruneResult r = prune(smallGraph(), smallWeights(),
                new PruneSettings(PruneKind.GLOBAL_MAGNITUDE, 0.5, true, true));
        assertArrayEquals(new boolean[] {T, T}, r.masks().get("conv1.weight"));
        assertArrayEquals(new boolean[] {T, F, F, T}, r.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {T, T, T, T}, r.masks().get("fc.weight"));
        assertEquals(new LayerSparsity("conv1", 0, 0), r.perLayer().get(0));
        assertEquals(new LayerSparsity("fc", 0, 0), r.perLayer().get(2));
        assertEquals(0.5, r.achieved());
        assertEquals(4, r.prunableWeights());
    }

    @Test
    void layerUniformPrunesEachLayerOnItsOwn() {
        PruneResult r = prune(smallGraph(), smallWeights(), PruneSettings.of(PruneKind.LAYER_UNIFORM, 0.5));
        assertArrayEquals(new boolean[] {T, F}, r.masks().get("conv1.weight"));
        assertArrayEquals(new boolean[] {T, F, F, T}, r.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {F, T, T, F}, r.masks().get("fc.weight"));
        r.perLayer().forEach(l -> assertEquals(0.5, l.sparsity(), l.layer()));
        PruneResult ex = prune(smallGraph(), smallWeights(),
                new PruneSettings(PruneKind.LAYER_UNIFORM, 0.5, false, true));
        assertArrayEquals(new boolean[] {T, T, T, T}, ex.masks().get("fc.weight"));
        assertEquals(3 / 6.0, ex.achieved());
    }

    /** conv1 (first) 1->2, conv2 2->3 (filters of 2), conv3 3->2 (filters of 3), fc. */
    private static Graph filterGraph() {
        GraphBuilder g = new GraphBuilder("filters", 1);
        g.conv("conv1", 1, 2, 1, 1, 0, 1, false);
        g.conv("conv2", 2, 3, 1, 1, 0, 1, false);
        g.conv("conv3", 3, 2, 1, 1, 0, 1, false);
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("fc", 2, 2, false);
        return g.build();
    }

    private static StateDict filterWeights() {
        StateDict sd = new StateDict();
        sd.put("conv1.weight", new Tensor(new long[] {2, 1, 1, 1}, new float[] {0.001f, 0.002f}));
        // mean |w| per filter: 0.1, 0.5, 0.2
        sd.put("conv2.weight", new Tensor(new long[] {3, 2, 1, 1}, new float[] {0.1f, -0.1f, 0.4f, 0.6f, -0.3f, 0.1f}));
        // mean |w| per filter: 0.05, 0.06
        sd.put("conv3.weight", new Tensor(new long[] {2, 3, 1, 1},
                new float[] {0.05f, -0.05f, 0.05f, 0.06f, 0.06f, -0.06f}));
        sd.put("fc.weight", new Tensor(new long[] {2, 2}, new float[] {0.001f, 0.001f, 0.001f, 0.001f}));
        return sd;
    }

    @Test
    void filterL1RemovesWholeFiltersGloballyAndKeepsOnePerLayer() {
        PruneResult r = prune(filterGraph(), filterWeights(), PruneSettings.of(PruneKind.FILTER_L1, 0.5));
        // target round(0.5 * 12) = 6: conv3 f0 (3), conv3 f1 skipped (last one), conv2 f0 (5), conv2 f2 (7)
        assertArrayEquals(new boolean[] {T, T}, r.masks().get("conv1.weight"));
        assertArrayEquals(new boolean[] {F, F, T, T, F, F}, r.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {F, F, F, T, T, T}, r.masks().get("conv3.weight"));
        assertArrayEquals(new boolean[] {T, T, T, T}, r.masks().get("fc.weight"));
        assertEquals(12, r.prunableWeights());
        assertEquals(7 / 12.0, r.achieved());
        assertEquals(new LayerSparsity("conv1", 0, 0), r.perLayer().get(0));

        PruneResult all = prune(filterGraph(), filterWeights(), PruneSettings.of(PruneKind.FILTER_L1, 1.0));
        assertArrayEquals(new boolean[] {F, F, T, T, F, F}, all.masks().get("conv2.weight"));
        assertArrayEquals(new boolean[] {F, F, F, T, T, T}, all.masks().get("conv3.weight"));
        assertEquals(7 / 12.0, all.achieved());

        PruneResult none = prune(filterGraph(), filterWeights(), PruneSettings.of(PruneKind.FILTER_L1, 0.0));
        assertEquals(0, none.prunedWeights());
    }

    @Test
    void filterL1IgnoresTheExclusionOptions() {
        PruneResult a = prune(filterGraph(), filterWeights(), PruneSettings.of(PruneKind.FILTER_L1, 0.3));
        PruneResult b = prune(filterGraph(), filterWeights(), new PruneSettings(PruneKind.FILTER_L1, 0.3, true, true));
        for (String name : a.masks().keySet()) {
            assertArrayEquals(a.masks().get(name), b.masks().get(name), name);
        }
        // target round(3.6) = 4: conv3 f0 (3), then conv2 f0 (5)
        assertEquals(5 / 12.0, a.achieved());
    }

    @Test
    void settingsAndKindsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> PruneSettings.of(PruneKind.LAYER_UNIFORM, 1.5));
        assertThrows(IllegalArgumentException.class, () -> PruneSettings.of(PruneKind.LAYER_UNIFORM, Double.NaN));
        for (PruneKind k : PruneKind.values()) {
            assertEquals(k, PruneKind.parse(k.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PruneKind.parse("random"));
        assertTrue(e.getMessage().contains("filter-l1"));
        StateDict missing = smallWeights();
        StateDict partial = new StateDict();
        missing.names().stream().filter(n -> !n.equals("conv2.weight")).forEach(n -> partial.put(n, missing.get(n)));
        e = assertThrows(IllegalArgumentException.class,
                () -> Pruner.prune(smallGraph(), partial, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5)));
        assertTrue(e.getMessage().contains("conv2.weight"));
        StateDict wrong = smallWeights();
        wrong.put("conv1.weight", new Tensor(new long[] {2, 1}, new float[] {1, 2}));
        e = assertThrows(IllegalArgumentException.class,
                () -> Pruner.prune(smallGraph(), wrong, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5)));
        assertTrue(e.getMessage().contains("conv1.weight"));
    }

    @Test
    void resnet20GlobalMagnitudeMatchesTheReference() throws Exception {
        StateDict dense = SafetensorsReader.read(SharedData.resnet20Safetensors());
        Graph g = CifarResNet.build(20, 3, 10);
        PruneResult r = prune(g, dense, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.9));
        assertEquals(0.8999985093315843, r.achieved());
        assertEquals(268336, r.prunableWeights());
        assertEquals(241502, r.prunedWeights());
        assertEquals(g.weightLayers().size(), r.perLayer().size());
        assertFalse(r.masks().containsKey("bn1.weight"));
    }
}
