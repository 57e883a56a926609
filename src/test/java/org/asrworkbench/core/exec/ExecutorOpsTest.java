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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each op of the executor on small tensors against values computed by hand in Java. */
class ExecutorOpsTest {
    private static final float TOL = 1e-5f;

    /** The output of one forward pass: shape and values. */
    private record Result(long[] shape, float[] data) {
    }

    private static Result run(Graph g, StateDict sd, long[] inShape, float[] in, Map<String, BnOverride> bn) {
        try (Executor ex = new Executor(g, sd, Device.cpu()); NDManager m = ex.manager().newSubManager()) {
            NDArray x = ex.input(m, in, (int) inShape[0], (int) inShape[1], (int) inShape[2], (int) inShape[3]);
            NDArray y = ex.forward(x, bn, Set.of(), null);
            Result r = new Result(y.getShape().getShape(), Executor.toFloats(y));
            if (!ex.isTraining()) { // every op here also runs through the evaluation plan, with the same result
                try (InferencePlan plan = InferencePlan.of(ex, bn)) {
                    NDArray z = plan.forward(x);
                    assertArrayEquals(r.shape(), z.getShape().getShape(), "plan output shape");
                    float[] p = Executor.toFloats(z);
                    for (int i = 0; i < p.length; i++) {
                        assertEquals(r.data()[i], p[i], TOL * Math.max(1, Math.abs(r.data()[i])), "plan value " + i);
                    }
                }
            }
            return r;
        }
    }

    private static Result run(Graph g, StateDict sd, long[] inShape, float[] in) {
        return run(g, sd, inShape, in, Map.of());
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** Direct conv2d: out[n,o,y,x] = b[o] + sum over the group's inputs and the kernel (any window, pads asymmetric too). */
    private static float[] referenceConv(float[] x, int n, int c, int h, int w, float[] wt, float[] bias, Op.Conv2d op) {
        Op.Window win = op.window();
        int kh = win.kernelH();
        int kw = win.kernelW();
        int oc = op.outChannels();
        int cpg = c / op.groups();
        int opg = oc / op.groups();
        int oh = (int) win.outH(h, false);
        int ow = (int) win.outW(w, false);
        float[] out = new float[n * oc * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                int g = o / opg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int ci = 0; ci < cpg; ci++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * win.strideH() - win.padTop() + ky * win.dilationH();
                                    int ix = ox * win.strideW() - win.padLeft() + kx * win.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        int ic = g * cpg + ci;
                                        s += x[((b * c + ic) * h + iy) * w + ix] * wt[((o * cpg + ci) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                        out[((b * oc + o) * oh + oy) * ow + ox] = (float) s;
                    }
                }
            }
        }
        return out;
    }

    private static Result conv(Op.Conv2d op, int n, int h, int w, long seed, float[][] expectedWeightsAndBias) {
        GraphBuilder b = new GraphBuilder("conv", op.inChannels());
        b.add("c", op);
        StateDict sd = new StateDict();
        float[] wt = random((int) Tensor.numel(op.weightShape()), seed);
        float[] bias = op.hasBias() ? random(op.outChannels(), seed + 1) : null;
        sd.put(op.weight(), new Tensor(op.weightShape(), wt));
        if (bias != null) {
            sd.put(op.bias(), new Tensor(new long[] {op.outChannels()}, bias));
        }
        float[] x = random(n * op.inChannels() * h * w, seed + 2);
        expectedWeightsAndBias[0] = referenceConv(x, n, op.inChannels(), h, w, wt, bias, op);
        return run(b.build(), sd, new long[] {n, op.inChannels(), h, w}, x);
    }

    @Test
    void referenceConvMatchesAHandComputedExample() {
        Op.Conv2d op = new Op.Conv2d("c", 1, 1, 2, 1, 0, 1, 1, false);
        float[] out = referenceConv(iota(9), 1, 1, 3, 3, new float[] {1, 1, 1, 1}, null, op);
        assertArrayEquals(new float[] {12, 16, 24, 28}, out);
    }

    @Test
    void convStride2Padding1() {
        Op.Conv2d op = new Op.Conv2d("c", 2, 3, 3, 2, 1, 1, 1, true);
        float[][] expected = new float[1][];
        Result r = conv(op, 2, 5, 5, 1, expected);
        assertArrayEquals(new long[] {2, 3, 3, 3}, r.shape());
        assertArrayEquals(expected[0], r.data(), TOL);
    }

    @Test
    void convStride2Padding1ByHand() {
        GraphBuilder b = new GraphBuilder("conv", 1);
        b.conv("c", 1, 1, 3, 2, 1, 1, false);
        StateDict sd = new StateDict();
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        sd.put("c.weight", new Tensor(new long[] {1, 1, 3, 3}, ones));
        // 4x4 input 1..16; each output sums the in-bounds 3x3 window centred at (2y, 2x).
        Result r = run(b.build(), sd, new long[] {1, 1, 4, 4}, iota(16));
        assertArrayEquals(new float[] {1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8, 5 + 6 + 9 + 10 + 13 + 14,
            6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16}, r.data(), TOL);
    }

    @Test
    void convDilation2() {
        Op.Conv2d op = new Op.Conv2d("c", 2, 2, 3, 1, 2, 2, 1, false);
        float[][] expected = new float[1][];
        Result r = conv(op, 1, 6, 6, 3, expected);
        assertArrayEquals(new long[] {1, 2, 6, 6}, r.shape());
        assertArrayEquals(expected[0], r.data(), TOL);
    }

    @Test
    void depthwiseConv() {
        Op.Conv2d op = new Op.Conv2d("c", 4, 4, 3, 1, 1, 1, 4, false);
        float[][] expected = new float[1][];
        Result r = conv(op, 2, 4, 4, 5, expected);
        assertArrayEquals(new long[] {2, 4, 4, 4}, r.shape());
        assertArrayEquals(expected[0], r.data(), TOL);
    }

    private static StateDict bnWeights(float[] gamma, float[] beta, float[] mean, float[] var) {
        StateDict sd = new StateDict();
        long[] s = {gamma.length};
        sd.put("bn.weight", new Tensor(s, gamma));
        sd.put("bn.bias", new Tensor(s, beta));
        sd.put("bn.running_mean", new Tensor(s, mean));
        sd.put("bn.running_var", new Tensor(s, var));
        return sd;
    }

    private static float[] referenceBn(float[] x, int hw, float[] gamma, float[] beta, float[] mean, float[] var,
                                       float[] gain) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / hw) % gamma.length;
            out[i] = (float) (gamma[c] * gain[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + 1e-5) + beta[c]);
        }
        return out;
    }

    @Test
    void batchNormEvalWithAndWithoutOverride() {
        GraphBuilder b = new GraphBuilder("bn", 2);
        b.bn("bn", 2);
        float[] gamma = {2f, 0.5f};
        float[] beta = {1f, -1f};
        float[] mean = {0.5f, -2f};
        float[] var = {4f, 0.25f};
        StateDict sd = bnWeights(gamma, beta, mean, var);
        float[] x = random(2 * 2 * 3 * 3, 7);
        long[] shape = {2, 2, 3, 3};
        Result plain = run(b.build(), sd, shape, x);
        assertArrayEquals(referenceBn(x, 9, gamma, beta, mean, var, new float[] {1, 1}), plain.data(), TOL);
        // First element by hand: 2 * (x - 0.5) / sqrt(4 + 1e-5) + 1.
        assertEquals(2 * (x[0] - 0.5) / Math.sqrt(4.00001) + 1, plain.data()[0], TOL);

        BnOverride o = new BnOverride(new float[] {1f, 0f}, new float[] {1f, 9f}, new float[] {3f, 0.5f});
        Result over = run(b.build(), sd, shape, x, Map.of("bn", o));
        assertArrayEquals(referenceBn(x, 9, gamma, beta, o.mean(), o.var(), o.gain()), over.data(), TOL);
    }

    @Test
    void optionAShortcutSubsamplesAndPadsChannels() {
        GraphBuilder b = new GraphBuilder("shortcut", 2);
        b.add("s", new Op.ShortcutA(2, 1));
        Result r = run(b.build(), new StateDict(), new long[] {1, 2, 4, 4}, iota(32));
        assertArrayEquals(new long[] {1, 4, 2, 2}, r.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 3, 9, 11, 17, 19, 25, 27, 0, 0, 0, 0}, r.data());
    }

    @Test
    void residualAddReadsBothBranches() {
        GraphBuilder b = new GraphBuilder("residual", 1);
        b.conv("c", 1, 1, 1, 1, 0, 1, false);
        String branch = b.relu();
        b.addFrom("add", new Op.Add(), branch, "input");
        StateDict sd = new StateDict();
        sd.put("c.weight", new Tensor(new long[] {1, 1, 1, 1}, new float[] {2f}));
        Result r = run(b.build(), sd, new long[] {1, 1, 2, 2}, new float[] {-1, 2, -3, 4});
        // relu(2x) + x
        assertArrayEquals(new float[] {-1, 6, -3, 12}, r.data(), TOL);
    }

    @Test
    void maxAndAvgPool() {
        long[] shape = {1, 1, 4, 4};
        GraphBuilder max = new GraphBuilder("max", 1);
        max.add("p", new Op.MaxPool(3, 2, 1));
        assertArrayEquals(new float[] {6, 8, 14, 16}, run(max.build(), new StateDict(), shape, iota(16)).data());

        GraphBuilder avg = new GraphBuilder("avg", 1);
        avg.add("p", new Op.AvgPool(3, 2, 1));
        // count_include_pad: every window divides by 9.
        float[] expected = {(1 + 2 + 5 + 6) / 9f, (2 + 3 + 4 + 6 + 7 + 8) / 9f, (5 + 6 + 9 + 10 + 13 + 14) / 9f,
            (6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16) / 9f};
        assertArrayEquals(expected, run(avg.build(), new StateDict(), shape, iota(16)).data(), TOL);

        GraphBuilder pair = new GraphBuilder("avg2", 1);
        pair.add("p", new Op.AvgPool(2, 2, 0));
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f},
                run(pair.build(), new StateDict(), shape, iota(16)).data(), TOL);
    }

    @Test
    void adaptiveAvgPoolReplicatesOneByOneToSevenBySeven() {
        GraphBuilder b = new GraphBuilder("adaptive", 2);
        b.add("p", new Op.AdaptiveAvgPool(7, 7));
        Result r = run(b.build(), new StateDict(), new long[] {1, 2, 1, 1}, new float[] {3f, -5f});
        assertArrayEquals(new long[] {1, 2, 7, 7}, r.shape());
        for (int i = 0; i < 49; i++) {
            assertEquals(3f, r.data()[i]);
            assertEquals(-5f, r.data()[49 + i]);
        }
    }

    @Test
    void adaptiveAvgPoolUsesPyTorchsOverlappingBins() {
        GraphBuilder b = new GraphBuilder("adaptive", 1);
        b.add("p", new Op.AdaptiveAvgPool(3, 3));
        float[] x = iota(25);
        Result r = run(b.build(), new StateDict(), new long[] {1, 1, 5, 5}, x);
        // PyTorch bins for 5 -> 3: [floor(i*5/3), ceil((i+1)*5/3)) = [0,2), [1,4), [3,5).
        int[][] bins = {{0, 2}, {1, 4}, {3, 5}};
        float[] expected = new float[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                int count = 0;
                for (int y = bins[i][0]; y < bins[i][1]; y++) {
                    for (int xx = bins[j][0]; xx < bins[j][1]; xx++) {
                        s += x[y * 5 + xx];
                        count++;
                    }
                }
                expected[i * 3 + j] = (float) (s / count);
            }
        }
        assertArrayEquals(expected, r.data(), TOL);
    }

    @Test
    void flattenThenLinear() {
        GraphBuilder b = new GraphBuilder("head", 2);
        b.add("flatten", new Op.Flatten());
        b.linear("fc", 4, 2, true);
        StateDict sd = new StateDict();
        sd.put("fc.weight", new Tensor(new long[] {2, 4}, new float[] {1, 0, 0, 1, 0.5f, -1, 2, 0}));
        sd.put("fc.bias", new Tensor(new long[] {2}, new float[] {10, 20}));
        // x[n] = (c0: [a, b], c1: [c, d]) flattened in (C, H, W) order to [a, b, c, d].
        Result r = run(b.build(), sd, new long[] {2, 2, 1, 2}, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(new long[] {2, 2}, r.shape());
        assertArrayEquals(new float[] {1 + 4 + 10, 0.5f - 2 + 6 + 20, 5 + 8 + 10, 2.5f - 6 + 14 + 20}, r.data(), TOL);
    }

    @Test
    void globalAvgPoolThenFlatten() {
        GraphBuilder b = new GraphBuilder("gap", 2);
        b.add("gap", new Op.GlobalAvgPool());
        b.add("flatten", new Op.Flatten());
        Result r = run(b.build(), new StateDict(), new long[] {1, 2, 2, 2}, iota(8));
        assertArrayEquals(new long[] {1, 2}, r.shape());
        assertArrayEquals(new float[] {2.5f, 6.5f}, r.data(), TOL);
    }

    private static Graph convBnRelu() {
        GraphBuilder b = new GraphBuilder("unit", 1);
        b.conv("c", 1, 2, 1, 1, 0, 1, false);
        b.bn("bn", 2);
        b.relu();
        return b.build();
    }

    private static StateDict convBnReluWeights() {
        StateDict sd = bnWeights(new float[] {1, 1}, new float[] {100, 100}, new float[] {0, 0}, new float[] {1, 1});
        sd.put("c.weight", new Tensor(new long[] {2, 1, 1, 1}, new float[] {2, -3}));
        return sd;
    }

    @Test
    void tapsReceivePreBatchNormOutputs() {
        Graph g = convBnRelu();
        Map<String, float[]> seen = new LinkedHashMap<>();
        try (Executor ex = new Executor(g, convBnReluWeights(), Device.cpu()); NDManager m = ex.manager().newSubManager()) {
            NDArray x = ex.input(m, new float[] {1, 2}, 1, 1, 1, 2);
            NDArray y = ex.forward(x, Map.of(), Set.of("c"), (id, v) -> seen.put(id, Executor.toFloats(v)));
            assertEquals(Set.of("c"), seen.keySet());
            assertArrayEquals(new float[] {2, 4, -3, -6}, seen.get("c"), TOL);
            float s = (float) (1 / Math.sqrt(1 + 1e-5));
            assertArrayEquals(new float[] {2 * s + 100, 4 * s + 100, -3 * s + 100, -6 * s + 100},
                    Executor.toFloats(y), 1e-4f);
        }
    }

    @Test
    void intermediatesAreFreedAndForwardIsRepeatable() {
        Graph g = convBnRelu();
        List<NDArray> intermediates = new ArrayList<>();
        try (Executor ex = new Executor(g, convBnReluWeights(), Device.cpu()); NDManager m = ex.manager().newSubManager()) {
            NDArray x = ex.input(m, new float[] {1, -2}, 1, 1, 1, 2);
            NDArray first = ex.forward(x, Map.of(), Set.of("c", "bn"), (id, v) -> intermediates.add(v));
            assertEquals(2, intermediates.size());
            for (NDArray a : intermediates) {
                assertTrue(a.isReleased(), "an intermediate is still held after the pass");
            }
            assertFalse(x.isReleased(), "the caller's input must stay usable");
            assertFalse(first.isReleased());
            NDArray second = ex.forward(x);
            assertArrayEquals(Executor.toFloats(first), Executor.toFloats(second));
        }
    }
}
