package org.asrworkbench.testing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import org.asrworkbench.core.data.BatchReader;
import org.asrworkbench.core.data.CalibrationSampler;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.experiments.RepairSession;
import org.asrworkbench.core.export.ModelExport;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.onnx.OnnxExport;
import org.asrworkbench.core.prune.PruneResult;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairExport;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.SequentialPass;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The round trip of issue 16 for one ONNX model: prune, repair, export as ONNX; then ONNX Runtime
 * runs the export and gives the workbench's logits for the repaired network (max |difference| &le;
 * 1e-4 &middot; max(1, |logit|), the same argmax), the export is the source's graph with only the
 * initializers changed, every re-imported tensor is the repaired one bit for bit (pruned weights
 * exactly zero), and the re-imported network, unpruned with method {@code none}, sees at every
 * unit the channel statistics the repaired pass measured in P (D' = the repaired network): a BN
 * unit's pre-BN {@code mu_p, s2_p}; a virtual unit's mapped by its folded affine map
 * ({@code scale mu_p + shift}, {@code scale^2 s2_p}), since the map is now inside the layer.
 */
public final class OnnxRoundTrip {
    public static final double TOL = 1e-4;
    public static final SequentialPass.Config PASS = new SequentialPass.Config(32, 1L << 30);

    private OnnxRoundTrip() {
    }

    /** What a round trip measured. */
    public record Result(LoadedModel model, PruneResult prune, RepairedPass pass, StateDict repaired,
                         OnnxExport.Written written, LoadedModel back, double worstLogit, double worstStat) {
    }

    public static Result run(Path source, String norm, ImageDataset calib, int n, PruneSettings ps, RepairSettings rs,
                             Path out) throws Exception {
        LoadedModel m = ModelLoader.load(source, null, norm);
        PruneResult p = Pruner.prune(m.graph(), m.weights(), ps);
        try (RepairSession s = new RepairSession(m, p, Device.cpu())) {
            int[] idx = CalibrationSampler.indices(calib, n, 0L);
            RepairedPass pass = s.pass(calib, idx, rs, PASS, Progress.NONE);
            StateDict repaired = RepairExport.repairedWeights(m.graph(), p.pruned(), pass.plan());
            OnnxExport.Written w = ModelExport.write(m, repaired, out);
            assertTrue(Files.isRegularFile(org.asrworkbench.core.data.ModelSidecar.pathFor(out)), "sidecar beside " + out);
            sameGraph(source, out);

            float[] x = firstImages(calib, m, 16);
            long[] in = m.graph().inputShape();
            int batch = x.length / (int) (in[1] * in[2] * in[3]);
            float[] ours = forward(s.pruned(), x, batch, in, pass.plan().overrides());
            float[][] ort = OnnxFixtures.run(out, x, new long[] {batch, in[1], in[2], in[3]}, 1);
            double worst = compareLogits(ort, ours, out.toString());

            LoadedModel back = ModelLoader.load(out, null, null);
            for (String name : back.graph().parameterShapes().keySet()) {
                if (repaired.contains(name) && !w.merged().contains(name)) {
                    assertArrayEquals(repaired.require(name).data(), back.weights().require(name).data(), 0f,
                            out + ": tensor " + name + " read back");
                }
            }
            // pruned weights are exactly zero in the export, and only they
            long pruned = 0;
            for (Map.Entry<String, boolean[]> mask : p.masks().entrySet()) {
                float[] v = back.weights().require(mask.getKey()).data();
                for (int i = 0; i < v.length; i++) {
                    if (!mask.getValue()[i]) {
                        pruned++;
                        assertEquals(0, Float.floatToRawIntBits(v[i]) & 0x7fffffff,
                                out + ": pruned " + mask.getKey() + "[" + i + "] is " + v[i]);
                    }
                }
            }
            assertEquals(p.prunedWeights(), pruned, out + ": pruned weights");
            double stat = sameStatistics(back, pass, calib, idx, out.toString());
            return new Result(m, p, pass, repaired, w, back, worst, stat);
        }
    }

    /** D's statistics of the re-imported export equal P's of the repaired pass, unit by unit. */
    static double sameStatistics(LoadedModel back, RepairedPass pass, ImageDataset calib, int[] idx, String what)
            throws Exception {
        PruneResult none = Pruner.prune(back.graph(), back.weights(), PruneSettings.of(
                org.asrworkbench.core.prune.PruneKind.GLOBAL_MAGNITUDE, 0.0));
        double worst = 0;
        double changed = 0;
        try (RepairSession s = new RepairSession(back, none, Device.cpu())) {
            RepairedPass again = s.pass(calib, idx, RepairSettings.of(RepairMethod.NONE), PASS, Progress.NONE);
            assertEquals(pass.stats().units().size(), again.stats().units().size(), what + ": units");
            for (UnitStats u : pass.stats().units()) {
                UnitStats b = again.stats().unit(u.unit());
                double[] mu = u.muP();
                double[] s2 = u.s2P();
                org.asrworkbench.core.repair.UnitRepair rep = pass.plan().unit(u.unit());
                if (rep.isVirtual()) {
                    // the virtual unit's map y = scale z + shift is folded into the layer: the
                    // re-imported layer's output is the repaired unit's output, except that where
                    // the layer's bias is a separate Add (a Gemm's non-vector C, MatMul + Add) the
                    // shift went into that Add, after the unit
                    double[][] a = rep.toOverride().affine();
                    boolean shiftInLayer = org.asrworkbench.core.graph.Graph.weightLayer(back.graph().node(back.graph()
                            .units(org.asrworkbench.core.graph.UnitSelection.ALL).stream()
                            .filter(x -> x.name().equals(u.unit())).findFirst().orElseThrow().layerNode())).hasBias();
                    mu = new double[mu.length];
                    s2 = new double[s2.length];
                    for (int c = 0; c < mu.length; c++) {
                        mu[c] = a[0][c] * u.muP()[c] + (shiftInLayer ? a[1][c] : 0);
                        s2[c] = a[0][c] * a[0][c] * u.s2P()[c];
                    }
                }
                worst = Math.max(worst, close(mu, b.muD(), what + " " + u.unit() + " mu_p -> mu_d"));
                worst = Math.max(worst, close(s2, b.s2D(), what + " " + u.unit() + " s2_p -> s2_d"));
                close(b.muD(), b.muP(), what + " " + u.unit() + " unpruned mu_p");
                for (int c = 0; c < u.s2D().length; c++) {
                    changed = Math.max(changed, Math.abs(b.s2D()[c] - u.s2D()[c]) / Math.max(1, u.s2D()[c]));
                }
            }
        }
        // not the dense network again: pruning and repair moved the variances
        assertTrue(changed > 1e-3, what + ": the re-imported export sees the dense statistics");
        return worst;
    }

    static double close(double[] a, double[] b, String what) {
        assertEquals(a.length, b.length, what);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(1, Math.abs(a[i]));
            double d = Math.abs(a[i] - b[i]) / scale;
            worst = Math.max(worst, d);
            assertTrue(d <= TOL, what + " channel " + i + ": " + a[i] + " vs " + b[i]);
        }
        return worst;
    }

    public static int zeros(Tensor t) {
        int z = 0;
        for (float v : t.data()) {
            if (v == 0f) {
                z++;
            }
        }
        return z;
    }

    /** The first {@code n} images of {@code data}, normalised for {@code m}. */
    public static float[] firstImages(ImageDataset data, LoadedModel m, int n) throws Exception {
        int k = Math.min(n, data.size());
        List<float[]> got = new ArrayList<>();
        new BatchReader(data, m.normalization(), k).forEach(java.util.stream.IntStream.range(0, k).toArray(),
                b -> got.add(b.pixels().clone()), () -> false);
        return got.get(0);
    }

    public static float[] forward(Executor ex, float[] x, int batch, long[] in, Map<String, BnOverride> overrides) {
        try (NDManager nm = ex.manager().newSubManager()) {
            NDArray y = ex.forward(ex.input(nm, x, batch, (int) in[1], (int) in[2], (int) in[3]), overrides, Set.of(), null);
            return Executor.toFloats(y);
        }
    }

    /** Max |difference| relative to max(1, |logit|); asserts the tolerance and the argmax. */
    public static double compareLogits(float[][] ort, float[] ours, String what) {
        int classes = ort[0].length;
        assertEquals(ort.length * classes, ours.length, what + ": output size");
        double worst = 0;
        for (int b = 0; b < ort.length; b++) {
            double scale = 1;
            for (float v : ort[b]) {
                scale = Math.max(scale, Math.abs(v));
            }
            int best = 0;
            int mine = 0;
            for (int k = 0; k < classes; k++) {
                double d = Math.abs(ours[b * classes + k] - ort[b][k]);
                worst = Math.max(worst, d / scale);
                assertTrue(d <= TOL * scale, what + ": image " + b + " logit " + k + " differs by " + d);
                best = ort[b][k] > ort[b][best] ? k : best;
                mine = ours[b * classes + k] > ours[b * classes + mine] ? k : mine;
            }
            int second = best == 0 ? 1 : 0;
            for (int k = 0; k < classes; k++) {
                second = k != best && ort[b][k] > ort[b][second] ? k : second;
            }
            if (ort[b][best] - ort[b][second] > TOL * scale) {
                assertEquals(best, mine, what + ": image " + b + " argmax");
            }
        }
        return worst;
    }

    /**
     * The export is the source's graph: the same node names, op types, outputs and attributes in
     * the same order (a Constant's value and a node's rewired or added constant input aside), the
     * same opset, IR version, producer, metadata, graph name, inputs and outputs.
     */
    public static void sameGraph(Path source, Path export) throws Exception {
        OnnxMl.ModelProto a = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(source));
        OnnxMl.ModelProto b = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(export));
        assertEquals(a.getOpsetImportList(), b.getOpsetImportList(), "opset");
        assertEquals(a.getIrVersion(), b.getIrVersion(), "IR version");
        assertEquals(a.getProducerName() + a.getProducerVersion(), b.getProducerName() + b.getProducerVersion(), "producer");
        assertEquals(a.getMetadataPropsList(), b.getMetadataPropsList(), "metadata");
        OnnxMl.GraphProto ga = a.getGraph();
        OnnxMl.GraphProto gb = b.getGraph();
        assertEquals(ga.getName(), gb.getName(), "graph name");
        assertEquals(ga.getOutputList(), gb.getOutputList(), "graph outputs");
        Set<String> inits = new java.util.HashSet<>();
        ga.getInitializerList().forEach(t -> inits.add(t.getName()));
        assertEquals(ga.getInputList().stream().filter(v -> !inits.contains(v.getName())).toList(),
                gb.getInputList().stream().filter(v -> !inits.contains(v.getName())).toList(), "graph inputs");
        assertEquals(ga.getNodeCount(), gb.getNodeCount(), "node count");
        for (int i = 0; i < ga.getNodeCount(); i++) {
            OnnxMl.NodeProto x = ga.getNode(i);
            OnnxMl.NodeProto y = gb.getNode(i);
            String at = "node " + i + " '" + x.getName() + "'";
            assertEquals(x.getName(), y.getName(), at + " name");
            assertEquals(x.getOpType(), y.getOpType(), at + " op");
            assertEquals(x.getDomain(), y.getDomain(), at + " domain");
            assertEquals(x.getOutputList(), y.getOutputList(), at + " outputs");
            if (!x.getOpType().equals("Constant")) {
                assertEquals(x.getAttributeList(), y.getAttributeList(), at + " attributes");
            }
            // the image path is unchanged: every input that is not a constant stays
            for (int k = 0; k < x.getInputCount(); k++) {
                boolean constant = inits.contains(x.getInput(k)) || isConstantOutput(ga, x.getInput(k));
                if (!constant) {
                    assertEquals(x.getInput(k), y.getInput(k), at + " input " + k);
                }
            }
            assertTrue(y.getInputCount() >= x.getInputCount(), at + " inputs");
        }
    }

    private static boolean isConstantOutput(OnnxMl.GraphProto g, String value) {
        return g.getNodeList().stream().anyMatch(n -> n.getOutputList().contains(value)
                && n.getInputList().stream().allMatch(v -> v.isEmpty() || g.getInitializerList().stream()
                .anyMatch(t -> t.getName().equals(v)) || isConstantOutput(g, v)));
    }
}
