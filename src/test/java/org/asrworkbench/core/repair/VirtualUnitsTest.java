package org.asrworkbench.core.repair;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitKind;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.StatsJson;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.FloatImages;
import org.asrworkbench.testing.SeededWeights;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual units and BN units fed by anything, on small hand-made graphs (the spec's "Units:
 * BatchNorm and virtual"): which units a graph has, the virtual BN's identity on D, the methods
 * that coincide on a virtual unit, the pass against a batch-major forward, and the export fold.
 */
class VirtualUnitsTest {
    private static final SequentialPass.Config CONFIG = new SequentialPass.Config(5, 1L << 30);

    /** conv1 (no BN, no bias) → relu → conv2 → bn2 → relu → pool → lin1 (hidden, no BN) → relu → fc. */
    static Graph noBn() {
        GraphBuilder g = new GraphBuilder("no-bn", 2);
        g.conv("conv1", 2, 4, 3, 1, 1, 1, false);
        g.relu();
        g.conv("conv2", 4, 3, 3, 1, 1, 1, true);
        g.bn("bn2", 3);
        g.relu();
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("lin1", 3, 5, true);
        g.relu();
        g.linear("fc", 5, 2, true);
        return g.build();
    }

    /** DenseNet style: stem conv0 → bn0 → relu; conv1 on it; Concat(relu, conv1) → bnC → relu → pool → fc. */
    static Graph dense() {
        GraphBuilder g = new GraphBuilder("dense", 2);
        g.conv("conv0", 2, 3, 3, 1, 1, 1, false);
        g.bn("bn0", 3);
        String stem = g.relu();
        g.conv("conv1", 3, 2, 3, 1, 1, 1, false);
        g.addFrom("cat", new Op.Concat(1), stem, "conv1");
        g.bn("bnC", 5);
        g.relu();
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("fc", 5, 2, true);
        return g.build();
    }

    /** convA is read by bnA and by the residual Add: a virtual unit, and bnA a BN unit named after the BN. */
    static Graph shared() {
        GraphBuilder g = new GraphBuilder("shared", 2);
        g.conv("conv0", 2, 3, 3, 1, 1, 1, true);
        g.relu();
        String a = g.conv("convA", 3, 3, 3, 1, 1, 1, false);
        g.bn("bnA", 3);
        String r = g.relu();
        g.addFrom("sum", new Op.Add(), r, a);
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("fc", 3, 2, false);
        return g.build();
    }

    static StateDict weights(Graph graph, long seed) {
        return SeededWeights.of(graph, seed);
    }

    static FloatImages images() {
        return FloatImages.random(12, 2, 5, 5, 7);
    }

    static int[] all(FloatImages d) {
        return IntStream.range(0, d.size()).toArray();
    }

    static Map<String, Unit> byName(List<Unit> units) {
        Map<String, Unit> m = new LinkedHashMap<>();
        units.forEach(u -> m.put(u.name(), u));
        return m;
    }

    @Test
    void layersWithoutTheirOwnBatchNormBecomeVirtualUnitsButNotTheClassifier() {
        Graph g = noBn();
        assertEquals("fc", g.classifier().id());
        Map<String, Unit> u = byName(g.units());
        assertEquals(List.of("conv1", "conv2", "lin1"), List.copyOf(u.keySet()), "graph order; fc is no unit");
        assertEquals(UnitKind.VIRTUAL, u.get("conv1").kind());
        assertEquals("conv1", u.get("conv1").bn(), "a virtual BN is keyed by its layer");
        assertNull(u.get("conv1").bnNode());
        assertEquals(UnitKind.BN, u.get("conv2").kind());
        assertEquals("bn2", u.get("conv2").bn());
        assertEquals(UnitKind.VIRTUAL, u.get("lin1").kind());
        assertEquals(5, u.get("lin1").channels());
        assertEquals(List.of("conv2"), g.units(UnitSelection.BN).stream().map(Unit::name).toList());
        assertFalse(g.unitSelectionsAgree());
        assertThrows(IllegalArgumentException.class, () -> g.batchNorm(u.get("conv1")));
    }

    @Test
    void aConcatFeedingABatchNormIsABnUnitNamedAfterTheBn() {
        Graph g = dense();
        Map<String, Unit> u = byName(g.units());
        assertEquals(List.of("conv0", "conv1", "bnC"), List.copyOf(u.keySet()));
        Unit c = u.get("bnC");
        assertEquals(UnitKind.BN, c.kind());
        assertEquals("cat", c.reads());
        assertNull(c.layerNode(), "no single layer feeds it");
        assertEquals(5, c.channels());
        assertEquals(UnitKind.VIRTUAL, u.get("conv1").kind(), "conv1 is read by the Concat, not by one BN");
        assertEquals(List.of("conv0", "bnC"), g.units(UnitSelection.BN).stream().map(Unit::name).toList());
    }

    @Test
    void aConvReadByTwoNodesIsAVirtualUnitAndItsBnAUnitOfItsOwn() {
        Graph g = shared();
        Map<String, Unit> u = byName(g.units());
        assertEquals(List.of("conv0", "convA", "bnA"), List.copyOf(u.keySet()), "the virtual unit before the BN reading it");
        assertEquals(UnitKind.VIRTUAL, u.get("convA").kind());
        assertEquals(UnitKind.BN, u.get("bnA").kind());
        assertEquals("convA", u.get("bnA").reads());
        assertNull(u.get("bnA").layerNode());
        assertEquals(List.of("convA", "fc"), g.layersWithoutBatchNorm().stream().map(n -> n.id()).toList()
                .subList(1, 3));
    }

    @Test
    void theVirtualBnIsTheIdentityOnD() throws Exception {
        Graph g = noBn();
        StateDict w = weights(g, 3);
        FloatImages data = images();
        try (Executor d = new Executor(g, w, Device.cpu()); Executor p = new Executor(g, w, Device.cpu())) {
            RepairedPass none = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                    RepairSettings.of(RepairMethod.NONE), Progress.NONE, null);
            // D's own virtual BN: m = mu_d, v = s2_d, gamma = sqrt(s2_d + eps), beta = mu_d
            UnitStats s = none.stats().unit("conv1");
            assertTrue(s.isVirtual());
            for (int c = 0; c < s.channels(); c++) {
                assertEquals(s.muD()[c], s.runningMean()[c]);
                assertEquals(s.s2D()[c], s.runningVar()[c]);
                assertEquals(Math.sqrt(s.s2D()[c] + 1e-5), s.gamma()[c], 1e-15);
                assertEquals(s.muD()[c], s.beta()[c]);
                assertEquals(1e-5, s.eps());
                assertEquals(1.0, s.r()[c], 1e-12, "P = D here");
            }
            assertEquals(1.0, s.R(), 1e-12);
            float[] plain = logits(d, Map.of(), data);
            // the virtual BNs as D's statistics define them leave D as it is
            Map<String, BnOverride> virtual = new HashMap<>(none.plan().overrides());
            virtual.remove("bn2");
            assertEquals(Set.of("conv1", "lin1"), virtual.keySet());
            assertClose(plain, logits(p, virtual, data), 1e-6, "none");
            // and where P = D upstream too (the first unit), every method's correction is the identity
            for (RepairMethod m : RepairMethods.builtins()) {
                RepairPlan plan = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                        RepairSettings.of(m), Progress.NONE, null).plan();
                assertTrue(plan.unit("conv1").isVirtual() && plan.unit("lin1").isVirtual());
                assertClose(plain, logits(p, Map.of("conv1", plan.overrides().get("conv1")), data), 1e-6, m.id());
            }
        }
    }

    @Test
    void bnRecalChannelWiseAndStatCorrGiveTheSameCorrectionOnAVirtualUnit() throws Exception {
        Graph g = noBn();
        StateDict w = weights(g, 5);
        PruneResult pr = Pruner.prune(g, w, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.6));
        FloatImages data = images();
        try (Executor d = new Executor(g, w, Device.cpu()); Executor p = new Executor(g, pr.pruned(), Device.cpu())) {
            NetworkStats stats = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                    RepairSettings.of(RepairMethod.ASR), Progress.NONE, null).stats();
            for (String unit : List.of("conv1", "lin1")) {
                UnitStats s = stats.unit(unit);
                assertTrue(s.r()[0] != 1.0, "the pruning changes the unit");
                double[][] recal = RepairMethod.BN_RECAL.decide(s, Map.of()).toOverride().affine();
                for (RepairMethod m : List.of(RepairMethod.CHANNEL_WISE, RepairMethod.STAT_CORR)) {
                    double[][] other = m.decide(s, Map.of()).toOverride().affine();
                    for (int c = 0; c < s.channels(); c++) {
                        assertEquals(recal[0][c], other[0][c], 1e-5 * Math.abs(recal[0][c]), unit + " scale " + c);
                        assertEquals(recal[1][c], other[1][c], 1e-5 * (1 + Math.abs(recal[1][c])), unit + " shift " + c);
                    }
                }
                // R_u with gamma = sqrt(s2_d + eps) is the ratio of total signal
                double num = 0;
                double den = 0;
                for (int c = 0; c < s.channels(); c++) {
                    num += s.s2P()[c] + 1e-5;
                    den += s.s2D()[c] + 1e-5;
                }
                assertEquals(Math.sqrt(num / den), s.R(), 1e-12);
            }
        }
    }

    @Test
    void thePassMatchesABatchMajorForwardWithTheFinalRepairOnEveryKindOfUnit() throws Exception {
        for (Graph g : List.of(noBn(), dense(), shared())) {
            StateDict w = weights(g, 11);
            PruneResult pr = Pruner.prune(g, w, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5));
            FloatImages data = images();
            try (Executor d = new Executor(g, w, Device.cpu()); Executor p = new Executor(g, pr.pruned(), Device.cpu());
                 DenseCache cache = new DenseCache(Device.cpu(), 1L << 30)) {
                RepairedPass pass = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                        RepairSettings.of(RepairMethod.ASR), Progress.NONE, cache);
                assertEquals(g.units().stream().map(Unit::name).toList(),
                        pass.stats().units().stream().map(UnitStats::unit).toList(), g.name());
                Map<String, BnOverride> overrides = pass.plan().overrides();
                for (Unit u : g.units()) {
                    UnitStats s = pass.stats().unit(u.name());
                    assertEquals(u.kind(), s.kind());
                    // a virtual unit's z is its layer's output before its own virtual BN
                    Map<String, BnOverride> o = new HashMap<>(overrides);
                    if (u.isVirtual()) {
                        o.remove(u.bn());
                    }
                    double[][] dm = moments(d, Map.of(), u.reads(), data);
                    double[][] pm = moments(p, o, u.reads(), data);
                    for (int c = 0; c < u.channels(); c++) {
                        String at = g.name() + " " + u.name() + " channel " + c;
                        assertEquals(dm[0][c], s.muD()[c], 1e-4 * (1 + Math.abs(dm[0][c])), at);
                        assertEquals(dm[1][c], s.s2D()[c], 1e-4 * (1 + dm[1][c]), at);
                        assertEquals(pm[0][c], s.muP()[c], 1e-4 * (1 + Math.abs(pm[0][c])), at);
                        assertEquals(pm[1][c], s.s2P()[c], 1e-4 * (1 + pm[1][c]), at);
                    }
                }
                // a second pass through the filled cache gives the same statistics, bit for bit
                RepairedPass again = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                        RepairSettings.of(RepairMethod.ASR), Progress.NONE, cache);
                assertTrue(again.stats().sameStatistics(pass.stats()), g.name());
                assertEquals(1, cache.fills());
                // --units bn measures other nodes: the cache is filled again, and only BN units are visited
                RepairedPass bn = RepairedPass.run(new SequentialPass(d, p, w, CONFIG, UnitSelection.BN), data,
                        all(data), null, RepairSettings.of(RepairMethod.ASR).withUnits(UnitSelection.BN),
                        Progress.NONE, cache);
                assertTrue(bn.stats().units().stream().noneMatch(UnitStats::isVirtual));
                assertEquals(g.units(UnitSelection.BN).size(), bn.stats().units().size());
            }
        }
    }

    @Test
    void theExportFoldReproducesTheRepairedLogitsWithNoOverride() throws Exception {
        for (Graph g : List.of(noBn(), dense(), shared())) {
            StateDict w = weights(g, 13);
            PruneResult pr = Pruner.prune(g, w, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5));
            FloatImages data = images();
            try (Executor d = new Executor(g, w, Device.cpu()); Executor p = new Executor(g, pr.pruned(), Device.cpu())) {
                for (RepairMethod m : List.of(RepairMethod.ASR, RepairMethod.BN_RECAL, RepairMethod.STAT_CORR)) {
                    RepairPlan plan = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                            RepairSettings.of(m), Progress.NONE, null).plan();
                    StateDict folded = RepairExport.repairedWeights(g, pr.pruned(), plan);
                    Graph fg = RepairExport.foldedGraph(g, folded);
                    float[] want = logits(p, plan.overrides(), data);
                    try (Executor f = new Executor(fg, folded, Device.cpu())) {
                        assertClose(want, logits(f, Map.of(), data), 1e-5, g.name() + " " + m.id());
                    }
                    for (Map.Entry<String, boolean[]> e : pr.masks().entrySet()) {
                        float[] v = folded.require(e.getKey()).data();
                        for (int i = 0; i < v.length; i++) {
                            if (!e.getValue()[i]) {
                                assertEquals(0, Float.floatToRawIntBits(v[i]), e.getKey() + "[" + i + "] stays +0");
                            }
                        }
                    }
                    // the classifier is left as it is
                    Op.WeightLayer fc = Graph.weightLayer(g.classifier());
                    assertTrue(java.util.Arrays.equals(pr.pruned().require(fc.weight()).data(),
                            folded.require(fc.weight()).data()));
                    for (UnitRepair u : plan.units()) {
                        if (u.isVirtual()) {
                            Op.WeightLayer l = Graph.weightLayer(g.node(g.unit(u.unit()).layerNode()));
                            String bias = l.hasBias() ? l.bias() : RepairExport.addedBiasName(l.weight());
                            assertNotNull(folded.get(bias), bias);
                        }
                    }
                }
            }
        }
    }

    @Test
    void virtualUnitsRoundTripThroughTheStatisticsJson() throws Exception {
        Graph g = noBn();
        StateDict w = weights(g, 17);
        FloatImages data = images();
        try (Executor d = new Executor(g, w, Device.cpu()); Executor p = new Executor(g, w, Device.cpu())) {
            NetworkStats s = RepairedPass.run(new SequentialPass(d, p, w, CONFIG), data, all(data), null,
                    RepairSettings.of(RepairMethod.BN_RECAL), Progress.NONE, null).stats();
            String json = StatsJson.toJson(s);
            assertTrue(json.contains("\"kind\" : \"virtual\""), json.substring(0, 200));
            NetworkStats back = StatsJson.fromJson(json);
            assertTrue(back.unit("conv1").isVirtual());
            assertFalse(back.unit("conv2").isVirtual());
            assertTrue(back.sameStatistics(s));
            // a file written before units had kinds reads as BN units
            NetworkStats old = StatsJson.fromJson(json.replace("\"kind\" : \"virtual\",", "").replace(
                    "\"kind\" : \"bn\",", ""));
            assertFalse(old.unit("conv1").isVirtual());
            // previews of every method work on both kinds
            for (RepairMethod m : RepairMethods.builtins()) {
                RepairPlan plan = Preview.preview(back, RepairSettings.of(m));
                assertEquals(Set.of("conv1", "conv2", "lin1"), Set.copyOf(plan.units().stream()
                        .map(UnitRepair::unit).toList()));
                assertTrue(plan.unit("lin1").isVirtual());
            }
        }
    }

    /** Logits of every image, flattened. */
    static float[] logits(Executor e, Map<String, BnOverride> overrides, FloatImages data) {
        try (NDManager m = e.manager().newSubManager()) {
            return Executor.toFloats(e.forward(input(e, m, data), overrides, Set.of(), null));
        }
    }

    /** Every image of {@code data} as one batch on {@code e}'s device. */
    static NDArray input(Executor e, NDManager m, FloatImages data) {
        float[] pix = new float[data.size() * data.channels() * data.height() * data.width()];
        data.read(all(data), pix);
        return e.input(m, pix, data.size(), data.channels(), data.height(), data.width());
    }

    /** Per-channel population mean and variance of node {@code id}'s output over all images. */
    static double[][] moments(Executor e, Map<String, BnOverride> overrides, String id, FloatImages data) {
        try (NDManager m = e.manager().newSubManager()) {
            NDArray x = input(e, m, data);
            double[][][] out = new double[1][][];
            e.forward(x, overrides, Set.of(id), (nid, v) -> {
                long[] s = v.getShape().getShape();
                float[] f = Executor.toFloats(v);
                int ch = (int) s[1];
                long per = s.length == 4 ? s[2] * s[3] : 1;
                double[] mean = new double[ch];
                double[] var = new double[ch];
                long count = s[0] * per;
                for (int pass = 0; pass < 2; pass++) {
                    for (int n = 0; n < s[0]; n++) {
                        for (int c = 0; c < ch; c++) {
                            for (int k = 0; k < per; k++) {
                                double z = f[(int) ((n * ch + c) * per + k)];
                                if (pass == 0) {
                                    mean[c] += z / count;
                                } else {
                                    var[c] += (z - mean[c]) * (z - mean[c]) / count;
                                }
                            }
                        }
                    }
                }
                out[0] = new double[][] {mean, var};
            }).close();
            return out[0];
        }
    }

    static void assertClose(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], rel * Math.max(scale, 1e-6), what + " logit " + i);
        }
    }
}
