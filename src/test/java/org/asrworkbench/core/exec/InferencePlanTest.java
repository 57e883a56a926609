package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation plan against the executor's plain forward, on small hand-made graphs. */
class InferencePlanTest {
    private static final double TOL = 1e-5;

    static float[] random(int n, long seed, float offset) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1 + offset;
        }
        return a;
    }

    static void conv(StateDict sd, String p, int in, int out, int k, boolean bias, long seed) {
        sd.put(p + ".weight", new Tensor(new long[] {out, in, k, k}, random(out * in * k * k, seed, 0)));
        if (bias) {
            sd.put(p + ".bias", new Tensor(new long[] {out}, random(out, seed + 1, 0)));
        }
    }

    static void bn(StateDict sd, String p, int ch, long seed) {
        sd.put(p + ".weight", new Tensor(new long[] {ch}, random(ch, seed, 1.5f)));
        sd.put(p + ".bias", new Tensor(new long[] {ch}, random(ch, seed + 1, 0)));
        sd.put(p + ".running_mean", new Tensor(new long[] {ch}, random(ch, seed + 2, 0)));
        sd.put(p + ".running_var", new Tensor(new long[] {ch}, random(ch, seed + 3, 2f)));
    }

    /**
     * Logits of the plain forward and of the plan on the same batch; asserts they agree. Returns
     * the plan's folded BatchNorms and its fused steps.
     */
    private static int[] compare(Graph g, StateDict sd, Map<String, BnOverride> overrides, int c, int hw) {
        float[] x = random(2 * c * hw * hw, 99, 0);
        try (Executor ex = new Executor(g, sd, Device.cpu()); NDManager m = ex.manager().newSubManager();
             InferencePlan plan = InferencePlan.of(ex, overrides)) {
            NDArray in = ex.input(m, x, 2, c, hw, hw);
            float[] before = Executor.toFloats(in);
            NDArray want = ex.forward(in, overrides, Set.of(), null);
            NDArray got = plan.forward(in);
            assertArrayEquals(want.getShape().getShape(), got.getShape().getShape());
            float[] w = Executor.toFloats(want);
            float[] p = Executor.toFloats(got);
            double scale = 1; // float rounding, relative to the output's scale (folding reorders a product)
            for (float v : w) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], p[i], TOL * scale, "value " + i);
            }
            assertArrayEquals(before, Executor.toFloats(in), "the plan leaves its input as it was");
            // a second batch through the same plan gives the same answer (nothing was written into the weights)
            assertArrayEquals(p, Executor.toFloats(plan.forward(in)));
            return new int[] {plan.foldedBatchNorms(), plan.fusedSteps()};
        }
    }

    @Test
    void foldsEachConvBatchNormPairWithItsOverride() {
        GraphBuilder b = new GraphBuilder("pair", 3);
        b.conv("c1", 3, 4, 3, 1, 1, 1, false);
        b.bn("b1", 4);
        b.relu();
        b.conv("c2", 4, 4, 3, 2, 1, 2, true); // grouped, strided, with a bias of its own
        b.bn("b2", 4);
        StateDict sd = new StateDict();
        conv(sd, "c1", 3, 4, 3, false, 1);
        bn(sd, "b1", 4, 10);
        conv(sd, "c2", 2, 4, 3, true, 20);
        bn(sd, "b2", 4, 30);
        Graph g = b.build();
        assertEquals(2, compare(g, sd, Map.of(), 3, 6)[0]);
        BnOverride o = new BnOverride(new float[] {0.1f, -0.2f, 0.3f, 0f}, new float[] {0.5f, 2f, 1f, 0f},
                new float[] {1.5f, 0.5f, 3f, 1f}); // a zero variance is eps alone
        assertEquals(2, compare(g, sd, Map.of("b2", o, "b1", o), 3, 6)[0]);
    }

    @Test
    void aConvReadByTwoNodesKeepsItsBatchNormSeparate() {
        GraphBuilder b = new GraphBuilder("two", 2);
        String c = b.conv("c", 2, 2, 1, 1, 0, 1, false);
        String n = b.bn("bn", 2);
        b.addFrom("sum", new Op.Add(), n, c);
        StateDict sd = new StateDict();
        conv(sd, "c", 2, 2, 1, false, 1);
        bn(sd, "bn", 2, 5);
        BnOverride o = new BnOverride(new float[] {1f, -1f}, new float[] {2f, 3f}, new float[] {0.5f, 2f});
        assertEquals(0, compare(b.build(), sd, Map.of("bn", o), 2, 4)[0]);
    }

    @Test
    void anAddDoesNotWriteIntoAnArrayThatIsStillRead() {
        // y = conv(x); s1 = y + x; s2 = y + s1: the first Add must not overwrite y, which s2 reads
        GraphBuilder b = new GraphBuilder("reuse", 2);
        String y = b.conv("c", 2, 2, 3, 1, 1, 1, true);
        String s1 = b.addFrom("s1", new Op.Add(), y, "input");
        b.addFrom("s2", new Op.Add(), y, s1);
        b.addFrom("s3", new Op.Add(), "s2", "s2"); // both inputs the same array
        b.add("id", new Op.Identity());
        b.addFrom("s4", new Op.Add(), "id", "input");
        StateDict sd = new StateDict();
        conv(sd, "c", 2, 2, 3, true, 3);
        compare(b.build(), sd, Map.of(), 2, 5);
    }

    @Test
    void asymmetricPaddingPoolsAndAHead() {
        GraphBuilder b = new GraphBuilder("head", 3);
        b.add("c", new Op.Conv2d("c", "c.weight", null, 3, 4, new Op.Window(3, 2, 2, 1, 1, 1, 0, 1, 1, 0), 1));
        b.bn("bn", 4);
        b.relu();
        b.add("pool", new Op.MaxPool(2, 2, 0));
        b.add("gap", new Op.GlobalAvgPool());
        b.add("flat", new Op.Flatten());
        b.linear("fc", 4, 3, true);
        StateDict sd = new StateDict();
        sd.put("c.weight", new Tensor(new long[] {4, 3, 3, 2}, random(72, 4, 0)));
        bn(sd, "bn", 4, 8);
        sd.put("fc.weight", new Tensor(new long[] {3, 4}, random(12, 9, 0)));
        sd.put("fc.bias", new Tensor(new long[] {3}, random(3, 11, 0)));
        assertEquals(1, compare(b.build(), sd, Map.of(), 3, 9)[0]);
    }

    @Test
    void foldsAVirtualUnitsBatchNormIntoItsConvAndAppliesItAfterALinear() {
        GraphBuilder b = new GraphBuilder("virtual", 3);
        b.conv("c1", 3, 4, 3, 1, 1, 1, false); // no BN, no bias: the fold adds one
        b.relu();
        b.conv("c2", 4, 4, 1, 1, 0, 1, true);
        b.add("gap", new Op.GlobalAvgPool());
        b.add("flat", new Op.Flatten());
        b.linear("fc", 4, 4, true);
        b.relu();
        b.linear("head", 4, 2, true);
        StateDict sd = new StateDict();
        conv(sd, "c1", 3, 4, 3, false, 1);
        conv(sd, "c2", 4, 4, 1, true, 2);
        sd.put("fc.weight", new Tensor(new long[] {4, 4}, random(16, 3, 0)));
        sd.put("fc.bias", new Tensor(new long[] {4}, random(4, 4, 0)));
        sd.put("head.weight", new Tensor(new long[] {2, 4}, random(8, 5, 0)));
        sd.put("head.bias", new Tensor(new long[] {2}, random(2, 6, 0)));
        BnOverride.VirtualBn v = new BnOverride.VirtualBn(new float[] {1.2f, 0.8f, 2f, 1f},
                new float[] {0.1f, -0.3f, 0f, 0.5f}, 1e-5);
        BnOverride o = new BnOverride(new float[] {0.2f, -0.1f, 0.4f, 0f}, new float[] {1.5f, 0.5f, 2f, 1f},
                new float[] {1.3f, 0.7f, 1f, 2f}, v);
        assertEquals(2, compare(b.build(), sd, Map.of("c1", o, "c2", o, "fc", o), 3, 5)[0]); // both convs folded
    }

    @Test
    void fusesEachConvWithItsReluOrResidualAddAndRelu() {
        assertNull(FusedConv.problem(), "the fused kernels load on the CPU");
        GraphBuilder b = new GraphBuilder("block", 4);
        b.conv("c1", 4, 4, 3, 1, 1, 1, false);
        b.bn("b1", 4);
        b.relu(); // conv + ReLU
        b.conv("c2", 4, 4, 3, 1, 1, 1, false);
        String n2 = b.bn("b2", 4);
        b.addFrom("sum", new Op.Add(), "input", n2); // the shortcut first; the plan's input is not written into
        String block = b.relu(); // conv + Add + ReLU
        b.conv("c7", 4, 4, 3, 1, 1, 1, true);
        b.relu();
        String c8 = b.conv("c8", 4, 4, 3, 1, 1, 1, true);
        b.addFrom("sum3", new Op.Add(), c8, block); // written into the first block's output (a fused result)
        b.relu();
        b.conv("c3", 4, 4, 1, 1, 0, 1, true);
        b.relu6(); // not fused: oneDNN's clip would turn a NaN into a bound
        b.conv("c4", 4, 4, 3, 2, 1, 4, true);
        b.add("clip", new Op.Clip(-0.5f, 0.5f));
        b.add("pool", new Op.MaxPool(1, 1, 0));
        // y = c5(pool); z = c6(pool); relu(y + z): c5's other operand comes after it, c6's before
        // (and c6's sum is written into y, an ordinary array)
        String y = b.addFrom("c5", new Op.Conv2d("c5", "c5.weight", "c5.bias", 4, 4, Op.Window.square(1, 1, 0, 1), 1), "pool");
        String z = b.addFrom("c6", new Op.Conv2d("c6", "c6.weight", null, 4, 4, Op.Window.square(3, 1, 1, 1), 1), "pool");
        b.addFrom("sum2", new Op.Add(), y, z);
        b.relu();
        b.add("gap", new Op.GlobalAvgPool()); // the network's output
        StateDict sd = new StateDict();
        conv(sd, "c1", 4, 4, 3, false, 1);
        bn(sd, "b1", 4, 10);
        conv(sd, "c2", 4, 4, 3, false, 2);
        bn(sd, "b2", 4, 20);
        conv(sd, "c7", 4, 4, 3, true, 7);
        conv(sd, "c8", 4, 4, 3, true, 8);
        conv(sd, "c3", 4, 4, 1, true, 3);
        conv(sd, "c4", 1, 4, 3, true, 4);
        conv(sd, "c5", 4, 4, 1, true, 5);
        conv(sd, "c6", 4, 4, 3, false, 6); // no bias, no BN: the kernel gets a zero bias
        Graph g = b.build();
        assertArrayEquals(new int[] {2, 5}, compare(g, sd, Map.of(), 4, 7));
        BnOverride o = new BnOverride(new float[] {0.1f, -0.2f, 0.3f, 0f}, new float[] {0.5f, 2f, 1f, 0f},
                new float[] {1.5f, 0.5f, 3f, 1f});
        assertArrayEquals(new int[] {2, 5}, compare(g, sd, Map.of("b1", o, "b2", o), 4, 7));
    }

    @Test
    void nanAndInfinitiesComeOutAsTheExecutorMakesThem() {
        // weights of 1e25 overflow float32 in the second and third convolutions: +Inf, -Inf and NaN
        GraphBuilder b = new GraphBuilder("overflow", 2);
        b.conv("c1", 2, 4, 3, 1, 1, 1, true);
        String r1 = b.relu();
        b.conv("c2", 4, 4, 3, 1, 1, 1, true);
        String r2 = b.relu();
        b.conv("c3", 4, 4, 3, 1, 1, 1, true);
        String n3 = b.addFrom("sum", new Op.Add(), "c3", r2);
        b.relu();
        b.conv("c4", 4, 2, 1, 1, 0, 1, true);
        StateDict sd = new StateDict();
        conv(sd, "c1", 2, 4, 3, true, 1);
        conv(sd, "c2", 4, 4, 3, true, 2);
        conv(sd, "c3", 4, 4, 3, true, 3);
        conv(sd, "c4", 4, 2, 1, true, 4);
        for (String c : new String[] {"c2", "c3"}) {
            Tensor t = sd.get(c + ".weight");
            float[] w = t.data().clone();
            for (int i = 0; i < w.length; i++) {
                w[i] *= 1e25f;
            }
            sd.put(c + ".weight", new Tensor(t.shape(), w));
        }
        float[] x = random(2 * 2 * 5 * 5, 99, 0);
        try (Executor ex = new Executor(b.build(), sd, Device.cpu()); NDManager m = ex.manager().newSubManager();
             InferencePlan plan = InferencePlan.of(ex, Map.of())) {
            assertEquals(3, plan.fusedSteps(), r1 + ", " + r2 + " and " + n3);
            NDArray in = ex.input(m, x, 2, 2, 5, 5);
            float[] want = Executor.toFloats(ex.forward(in, Map.of(), Set.of(), null));
            float[] got = Executor.toFloats(plan.forward(in));
            int nonFinite = 0;
            for (int i = 0; i < want.length; i++) {
                if (!Float.isFinite(want[i])) {
                    nonFinite++;
                    assertEquals(Float.isNaN(want[i]), Float.isNaN(got[i]),
                            "value " + i + ": " + want[i] + " against " + got[i]);
                    assertEquals(want[i], got[i], 0f, "value " + i);
                }
            }
            assertTrue(nonFinite > 0, "the weights overflow");
        }
    }

    @Test
    void anAddOnAOneByOneMapRunsUnfused() {
        GraphBuilder b = new GraphBuilder("tiny", 2);
        b.conv("c1", 2, 2, 1, 1, 0, 1, true);
        String r1 = b.relu(); // fused: a ReLU is fine on any map
        String c2 = b.conv("c2", 2, 2, 1, 1, 0, 1, true);
        b.addFrom("sum", new Op.Add(), c2, r1);
        b.relu();
        b.add("flat", new Op.Flatten());
        StateDict sd = new StateDict();
        conv(sd, "c1", 2, 2, 1, true, 1);
        conv(sd, "c2", 2, 2, 1, true, 2);
        // the plan fuses both (the map's size is open when it is built); on a 1 x 1 map the Add runs on its own
        assertArrayEquals(new int[] {0, 2}, compare(b.build(), sd, Map.of(), 2, 1));
        assertArrayEquals(new int[] {0, 2}, compare(b.build(), sd, Map.of(), 2, 3));
    }

    @Test
    void aConvWhoseOutputIsReadTwiceOrIsTheOutputIsNotFused() {
        GraphBuilder b = new GraphBuilder("twice", 2);
        String c = b.conv("c", 2, 2, 3, 1, 1, 1, true);
        String r = b.relu();
        b.addFrom("sum", new Op.Add(), r, c); // c is read by the ReLU and by the Add
        b.conv("last", 2, 2, 1, 1, 0, 1, true); // the network's output: nothing after it
        StateDict sd = new StateDict();
        conv(sd, "c", 2, 2, 3, true, 1);
        conv(sd, "last", 2, 2, 1, true, 2);
        assertArrayEquals(new int[] {0, 0}, compare(b.build(), sd, Map.of(), 2, 5));
    }

    @Test
    void theFusedKernelsCanBeTurnedOff() {
        GraphBuilder b = new GraphBuilder("off", 2);
        b.conv("c", 2, 2, 3, 1, 1, 1, true);
        b.relu();
        b.add("gap", new Op.GlobalAvgPool());
        StateDict sd = new StateDict();
        conv(sd, "c", 2, 2, 3, true, 1);
        Graph g = b.build();
        assertEquals(1, compare(g, sd, Map.of(), 2, 5)[1]);
        System.setProperty(FusedConv.PROPERTY, "false");
        try {
            assertEquals(0, compare(g, sd, Map.of(), 2, 5)[1]);
        } finally {
            System.clearProperty(FusedConv.PROPERTY);
        }
    }

    @Test
    void refusedInTrainingMode() {
        GraphBuilder b = new GraphBuilder("bn", 2);
        b.bn("bn", 2);
        StateDict sd = new StateDict();
        bn(sd, "bn", 2, 1);
        try (Executor ex = new Executor(b.build(), sd, Device.cpu())) {
            ex.setTraining(true);
            assertThrows(IllegalStateException.class, () -> InferencePlan.of(ex, Map.of()));
        }
    }
}
