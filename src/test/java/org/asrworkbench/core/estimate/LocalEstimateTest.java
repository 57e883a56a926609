package org.asrworkbench.core.estimate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneRanking;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.FloatImages;
import org.asrworkbench.testing.SeededWeights;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local damage estimate on small hand-made networks: covariances, quadratic forms, groups, budget. */
class LocalEstimateTest {
    private static final long BUDGET = 1L << 30;

    /** conv1 (1->2, 2x2 kernel, padding 1) on 2x2 images, then a depthwise 3x3 conv2, pool, classifier. */
    static Graph twoLayer() {
        GraphBuilder g = new GraphBuilder("two-layer", 1);
        g.conv("conv1", 1, 2, 2, 1, 1, 1, false);
        g.bn("bn1", 2);
        g.relu();
        g.conv("conv2", 2, 2, 3, 1, 1, 2, true);
        g.bn("bn2", 2);
        g.relu();
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("fc", 2, 2, true);
        return g.build();
    }

    /** A grouped stride-2 conv, a dilated conv with padding 2, a linear unit (linear -> BN) and a classifier. */
    static Graph grouped() {
        GraphBuilder g = new GraphBuilder("grouped", 4);
        g.conv("convA", 4, 4, 3, 2, 1, 2, true);
        g.bn("bnA", 4);
        g.relu();
        g.add("convB", new Op.Conv2d("convB", 4, 6, 3, 1, 2, 2, 1, false));
        g.bn("bnB", 6);
        g.relu();
        g.add("pool", new Op.GlobalAvgPool());
        g.add("flat", new Op.Flatten());
        g.linear("lin", 6, 3, true);
        g.bn("bnL", 3);
        g.relu();
        g.linear("fc", 3, 2, true);
        return g.build();
    }

    /** Seeded weights for every parameter; BatchNorms with positive variances and unequal gammas. */
    static StateDict weights(Graph graph, long seed) {
        return SeededWeights.of(graph, seed);
    }

    static InputCovariances gather(Graph g, StateDict w, FloatImages data, long budget) throws Exception {
        try (Executor d = new Executor(g, w, Device.cpu())) {
            return CovarianceGatherer.gather(d, data, IntStream.range(0, data.size()).toArray(), null, 3, budget,
                    Progress.NONE);
        }
    }

    @Test
    void firstLayerCovarianceAndQuadraticFormByHand() throws Exception {
        // image 1 = [[1, 2], [3, 4]], image 2 = [[0, 1], [0, -1]]
        FloatImages data = new FloatImages(1, 2, 2, new float[][] {{1, 2, 3, 4}, {0, 1, 0, -1}});
        Graph g = twoLayer();
        StateDict w = weights(g, 1);
        float[] w1 = {1, 0, -1, 2, 0.5f, 0.5f, 0.5f, 0.5f};
        w.put("conv1.weight", new Tensor(new long[] {2, 1, 2, 2}, w1));
        InputCovariances cov = gather(g, w, data, BUDGET);
        InputCovariance c1 = cov.units().get("conv1");
        assertEquals(18, c1.count()); // 3 x 3 output positions per image, zero padding included
        // The 2x2 patches (p00, p01, p10, p11) of [[a, b], [c, d]] padded by one zero on every side, by position:
        float[][] patches = new float[18][];
        int k = 0;
        for (float[] im : data.images()) {
            float a = im[0];
            float b = im[1];
            float c = im[2];
            float d = im[3];
            float[][] p = {{0, 0, 0, a}, {0, 0, a, b}, {0, 0, b, 0}, {0, a, 0, c}, {a, b, c, d}, {b, 0, d, 0},
                {0, c, 0, 0}, {c, d, 0, 0}, {d, 0, 0, 0}};
            for (float[] q : p) {
                patches[k++] = q;
            }
        }
        // every pixel sits once in each patch coordinate: mean (1+2+3+4+0+1+0-1)/18 = 10/18 in each
        for (int i = 0; i < 4; i++) {
            assertEquals(10.0 / 18, c1.mean()[0][i], 1e-12);
        }
        // coordinate 0 holds a, b, c, d of both images once: E[p0^2] = (1+4+9+16+0+1+0+1)/18 = 32/18
        assertEquals(32.0 / 18 - (10.0 / 18) * (10.0 / 18), c1.cov()[0][0], 1e-12);
        double[][] expected = covariance(patches);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[i][j], c1.cov()[0][i * 4 + j], 1e-12, "C[" + i + "][" + j + "]");
            }
        }
        // quadratic forms against the variance of z = w . p over the 18 patches, mask (T, F, T, T) on channel 0
        boolean[] mask = {true, false, true, true, true, true, true, true};
        List<UnitEstimate> est = new LocalEstimate(g, w, cov).update(Map.of("conv1.weight", mask));
        UnitEstimate e = est.get(0);
        assertEquals("conv1", e.unit());
        double s2d = variance(patches, new float[] {1, 0, -1, 2});
        double s2p = variance(patches, new float[] {1, 0, -1, 2});
        assertEquals(s2d, e.s2dEst()[0], 1e-9);
        assertEquals(s2p, e.s2pEst()[0], 1e-9, "the pruned weight was 0 already");
        boolean[] mask2 = {true, true, false, true, true, true, true, false};
        e = new LocalEstimate(g, w, cov).update(Map.of("conv1.weight", mask2)).get(0);
        double s2p0 = variance(patches, new float[] {1, 0, 0, 2});
        double s2d1 = variance(patches, new float[] {0.5f, 0.5f, 0.5f, 0.5f});
        double s2p1 = variance(patches, new float[] {0.5f, 0.5f, 0.5f, 0});
        assertEquals(s2p0, e.s2pEst()[0], 1e-9);
        assertEquals(s2p1, e.s2pEst()[1], 1e-9);
        double eps = 1e-5;
        assertEquals(Math.sqrt((s2p0 + eps) / (s2d + eps)), e.rEst()[0], 1e-9);
        assertEquals(Math.sqrt((s2p1 + eps) / (s2d1 + eps)), e.rEst()[1], 1e-9);
        double g0 = w.require("bn1.weight").data()[0];
        double g1 = w.require("bn1.weight").data()[1];
        double num = g0 * g0 * e.rEst()[0] * e.rEst()[0] + g1 * g1 * e.rEst()[1] * e.rEst()[1];
        assertEquals(Math.sqrt(num / (g0 * g0 + g1 * g1)), e.R(), 1e-12);
        // the depthwise second layer has an estimate too (checked against a reference below)
        assertTrue(est.get(1).available());
    }

    @Test
    void groupedDilatedDepthwiseAndLinearCovariancesMatchAReferenceUnfolding() throws Exception {
        for (Graph g : new Graph[] {twoLayer(), grouped()}) {
            StateDict w = weights(g, 7);
            FloatImages data = g.inputChannels() == 1 ? FloatImages.random(5, 1, 2, 2, 3)
                    : FloatImages.random(5, 4, 7, 7, 3);
            InputCovariances cov = gather(g, w, data, BUDGET);
            Map<String, float[]> inputs = tapInputs(g, w, data);
            for (Unit u : g.units()) {
                Node layer = g.node(u.layerNode());
                LayerInput li = LayerInput.of(layer.op());
                InputCovariance c = cov.units().get(u.name());
                assertNotNull(c, u.name());
                float[] x = inputs.get(layer.inputs().get(0));
                for (int grp = 0; grp < li.groups(); grp++) {
                    double[][] ref = covariance(unfold(x, data.size(), li, g, layer, grp));
                    int d = li.patch();
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            assertEquals(ref[i][j], c.cov()[grp][i * d + j], 1e-5 * (1 + Math.abs(ref[i][j])),
                                    g.name() + " " + u.name() + " group " + grp + " C[" + i + "][" + j + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void onTheFirstUnitTheEstimateIsThePassRetention() throws Exception {
        Graph g = grouped();
        StateDict w = weights(g, 11);
        FloatImages data = FloatImages.random(12, 4, 7, 7, 5);
        int[] idx = IntStream.range(0, data.size()).toArray();
        PruneResult p = Pruner.prune(g, w, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.6));
        UnitStats pass;
        try (Executor d = new Executor(g, w, Device.cpu()); Executor pe = new Executor(g, p.pruned(), Device.cpu())) {
            pass = RepairedPass.run(new SequentialPass(d, pe, w, new SequentialPass.Config(5, BUDGET)), data, idx, null,
                    RepairSettings.of(RepairMethod.BN_RECAL), Progress.NONE, null).stats().unit("convA");
        }
        UnitEstimate e = new LocalEstimate(g, w, gather(g, w, data, BUDGET)).update(p.masks()).get(0);
        double[] r = pass.r();
        for (int c = 0; c < r.length; c++) {
            assertEquals(pass.s2D()[c], e.s2dEst()[c], 1e-5 * pass.s2D()[c], "s2_d channel " + c);
            assertEquals(r[c], e.rEst()[c], 1e-5, "r channel " + c);
            assertEquals(pass.muD()[c], e.muDEst()[c], 1e-5, "mu_d channel " + c);
            assertEquals(pass.muP()[c], e.muPEst()[c], 1e-5, "mu_p channel " + c);
            assertEquals(pass.rho()[c], e.rhoEst()[c], 1e-5, "rho channel " + c);
        }
        UnitStats asStats = new LocalEstimate(g, w, gather(g, w, data, BUDGET)).asStats(
                new LocalEstimate(g, w, gather(g, w, data, BUDGET)).update(p.masks()), Map.of()).unit("convA");
        assertEquals(pass.R(), asStats.R(), 1e-5);
        assertEquals(pass.R(), e.R(), 1e-5);
    }

    @Test
    void incrementalUpdatesEqualAFreshEstimateForEveryMask() throws Exception {
        Graph g = grouped();
        StateDict w = weights(g, 3);
        InputCovariances cov = gather(g, w, FloatImages.random(6, 4, 7, 7, 9), BUDGET);
        LocalEstimate running = new LocalEstimate(g, w, cov);
        PruneRanking magnitude = Pruner.ranking(g, w, PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0));
        PruneRanking filters = Pruner.ranking(g, w, PruneSettings.of(PruneKind.FILTER_L1, 0));
        PruneRanking uniform = Pruner.ranking(g, w, PruneSettings.of(PruneKind.LAYER_UNIFORM, 0));
        Object[][] steps = {{magnitude, 0.1}, {magnitude, 0.5}, {magnitude, 0.52}, {magnitude, 0.9}, {filters, 0.5},
            {magnitude, 0.3}, {uniform, 0.7}, {magnitude, 1.0}, {magnitude, 0.0}, {uniform, 0.45}};
        for (Object[] s : steps) {
            Map<String, boolean[]> masks = ((PruneRanking) s[0]).masks((double) s[1]);
            List<UnitEstimate> a = running.update(masks);
            List<UnitEstimate> b = new LocalEstimate(g, w, cov).update(masks);
            for (int u = 0; u < a.size(); u++) {
                for (int c = 0; c < a.get(u).rEst().length; c++) {
                    assertEquals(b.get(u).s2pEst()[c], a.get(u).s2pEst()[c], 1e-9 * (1 + b.get(u).s2dEst()[c]),
                            s[1] + " " + a.get(u).unit() + " channel " + c);
                }
            }
        }
        // unpruned: r = 1 everywhere; fully pruned channel: s2_p = 0
        for (UnitEstimate e : running.update(magnitude.masks(0))) {
            for (double r : e.rEst()) {
                assertEquals(1.0, r, 1e-9);
            }
        }
        for (UnitEstimate e : running.update(magnitude.masks(1))) {
            for (double v : e.s2pEst()) {
                assertEquals(0.0, v);
            }
        }
    }

    @Test
    void aUnitWhoseCovarianceExceedsTheBudgetIsSkippedWithANote() throws Exception {
        Graph g = grouped();
        StateDict w = weights(g, 5);
        long first = InputCovariance.bytes(LayerInput.of(g.node("convA").op()));
        InputCovariances cov = gather(g, w, FloatImages.random(4, 4, 7, 7, 1), first);
        assertEquals(List.of("convA"), cov.unitNames());
        assertTrue(cov.notes().get("convB").contains("memory budget"), cov.notes().toString());
        List<UnitEstimate> est = new LocalEstimate(g, w, cov).update(Map.of());
        assertEquals(List.of("convA", "convB", "lin"), est.stream().map(UnitEstimate::unit).toList());
        assertTrue(est.get(0).available());
        assertFalse(est.get(1).available());
        assertNull(est.get(1).rEst());
        assertTrue(Double.isNaN(est.get(1).R()));
        assertTrue(est.get(1).note().startsWith("no local estimate"));
    }

    // ---- references ----

    /** The output of every node that feeds a unit's layer, and the input, as float arrays. */
    private static Map<String, float[]> tapInputs(Graph g, StateDict w, FloatImages data) {
        Map<String, float[]> out = new HashMap<>();
        int plane = data.channels() * data.height() * data.width();
        float[] px = new float[data.size() * plane];
        data.read(IntStream.range(0, data.size()).toArray(), px);
        out.put(g.input().id(), px);
        try (Executor e = new Executor(g, w, Device.cpu()); NDManager m = e.manager().newSubManager()) {
            NDArray x = m.create(px, new Shape(data.size(), data.channels(), data.height(), data.width()));
            Set<String> ids = new java.util.HashSet<>();
            g.units().forEach(u -> ids.add(g.node(u.layerNode()).inputs().get(0)));
            e.forward(x, Map.of(), ids, (id, v) -> out.put(id, v.toFloatArray()));
        }
        return out;
    }

    /** Plain-loop unfolding of group {@code grp}'s input vectors (independent of {@link LayerInput#vectors}). */
    private static float[][] unfold(float[] x, int n, LayerInput li, Graph g, Node layer, int grp) {
        if (!li.conv()) {
            float[][] v = new float[n][li.inChannels()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, i * li.inChannels(), v[i], 0, li.inChannels());
            }
            return v;
        }
        int c = li.inChannels();
        int hw = x.length / n / c;
        int h = (int) Math.round(Math.sqrt(hw));
        int wd = h;
        int oh = (h + li.pt() + li.pb() - li.dh() * (li.kh() - 1) - 1) / li.sh() + 1;
        int ow = (wd + li.pl() + li.pr() - li.dw() * (li.kw() - 1) - 1) / li.sw() + 1;
        int cg = c / li.groups();
        float[][] v = new float[n * oh * ow][li.patch()];
        int row = 0;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    int k = 0;
                    for (int ci = 0; ci < cg; ci++) {
                        for (int a = 0; a < li.kh(); a++) {
                            for (int b = 0; b < li.kw(); b++) {
                                int yy = y * li.sh() - li.pt() + a * li.dh();
                                int xq = xx * li.sw() - li.pl() + b * li.dw();
                                int ch = grp * cg + ci;
                                v[row][k++] = yy < 0 || yy >= h || xq < 0 || xq >= wd ? 0
                                        : x[((i * c + ch) * h + yy) * wd + xq];
                            }
                        }
                    }
                    row++;
                }
            }
        }
        return v;
    }

    private static double[][] covariance(float[][] v) {
        int d = v[0].length;
        double[] mean = new double[d];
        for (float[] p : v) {
            for (int i = 0; i < d; i++) {
                mean[i] += p[i] / (double) v.length;
            }
        }
        double[][] c = new double[d][d];
        for (float[] p : v) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (p[i] - mean[i]) * (p[j] - mean[j]) / v.length;
                }
            }
        }
        return c;
    }

    /** Population variance of {@code w . p} over the patches. */
    private static double variance(float[][] patches, float[] w) {
        double[] z = new double[patches.length];
        double mean = 0;
        for (int k = 0; k < patches.length; k++) {
            for (int i = 0; i < w.length; i++) {
                z[k] += (double) w[i] * patches[k][i];
            }
            mean += z[k] / patches.length;
        }
        double v = 0;
        for (double zk : z) {
            v += (zk - mean) * (zk - mean) / patches.length;
        }
        return v;
    }
}
