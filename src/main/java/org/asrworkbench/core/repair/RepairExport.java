package org.asrworkbench.core.repair;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a pruned network and a repair plan into an ordinary network's weights: the gain is
 * folded into each BatchNorm's weight (gamma), the running statistics are replaced by the
 * plan's {@code (mean, var)}, a virtual unit's map is folded into its layer, pruned weights stay
 * zero, and every name is the input's (PyTorch's or an ONNX model's initializers; a virtual
 * unit's layer without a bias gains one under {@link #addedBiasName}).
 */
public final class RepairExport {
    private RepairExport() {
    }

    /**
     * The name under which a folded virtual unit's bias is written when its layer had none: a
     * PyTorch-style {@code prefix.weight} gets {@code prefix.bias}, any other name (an ONNX
     * initializer's) gets {@code name_bias}. An exporter that finds this tensor adds it as the
     * layer's bias input.
     */
    public static String addedBiasName(String weightName) {
        return weightName.endsWith(".weight")
                ? weightName.substring(0, weightName.length() - ".weight".length()) + ".bias"
                : weightName + "_bias";
    }

    /**
     * The repaired network's weights, keyed by the graph's tensor names. A BN unit writes its
     * {@code (mean_c, var_c)} as running statistics and folds {@code gain_c} into the BN weight.
     * A virtual unit folds its affine map into its layer (the spec's "Export"):
     * {@code a_c = gamma_c * gain_c / sqrt(var_c + eps)}, {@code W'_c = a_c W_c},
     * {@code b'_c = a_c (b_c - mean_c) + beta_c}, where a layer without a bias gets one under
     * {@link #addedBiasName}. Pruned (zero) weights stay exactly zero. The classifier and any
     * layer that is no unit of the plan are left as they are.
     */
    public static StateDict repairedWeights(Graph graph, StateDict pruned, RepairPlan plan) {
        StateDict out = new StateDict(pruned.asMap());
        out.metadata().putAll(pruned.metadata());
        Map<String, Op.BatchNorm2d> bns = new HashMap<>();
        Map<String, Op.WeightLayer> layers = new HashMap<>();
        for (Unit u : graph.units(UnitSelection.ALL)) {
            if (u.isVirtual()) {
                layers.put(u.bn(), Graph.weightLayer(graph.node(u.layerNode())));
            } else {
                bns.put(u.bn(), graph.batchNorm(u));
            }
        }
        Set<String> folded = new HashSet<>();
        for (UnitRepair u : plan.units()) {
            if (u.isVirtual()) {
                Op.WeightLayer layer = layers.get(u.bn());
                if (layer == null) {
                    throw new IllegalArgumentException("the plan repairs the virtual unit '" + u.unit()
                            + "', which is no virtual unit of " + graph.name());
                }
                if (!folded.add(layer.weight())) {
                    throw new IllegalArgumentException("virtual unit '" + u.unit() + "': its weight '" + layer.weight()
                            + "' is shared with another unit and cannot be folded twice");
                }
                foldVirtual(out, pruned, layer, u);
                continue;
            }
            Op.BatchNorm2d bn = bns.get(u.bn());
            if (bn == null) {
                throw new IllegalArgumentException("the plan repairs '" + u.bn() + "', which is no unit of " + graph.name());
            }
            Tensor gamma = pruned.require(bn.scale());
            float[] g = new float[u.channels()];
            for (int c = 0; c < g.length; c++) {
                g[c] = gamma.data()[c] * u.gain()[c];
            }
            long[] shape = {u.channels()};
            out.put(bn.scale(), new Tensor(shape, g));
            out.put(bn.mean(), new Tensor(shape, u.mean().clone()));
            out.put(bn.var(), new Tensor(shape, u.var().clone()));
        }
        out.metadata().put("asr.method", plan.settings().method().id());
        out.metadata().put("asr.units", plan.settings().units().id());
        plan.settings().params().forEach((k, v) -> out.metadata().put("asr.param." + k, Double.toString(v)));
        Double lambda = plan.settings().param("lambda");
        if (lambda != null) {
            out.metadata().put("asr.lambda", Double.toString(lambda));
        }
        return out;
    }

    /**
     * The graph that reads {@code repaired} as an ordinary network: every conv or linear layer
     * without a bias whose {@link #addedBiasName added bias} is in {@code repaired} reads it as
     * its bias (what the ONNX export does to the node's inputs). Other nodes are unchanged.
     */
    public static Graph foldedGraph(Graph graph, StateDict repaired) {
        List<Node> nodes = new ArrayList<>(graph.nodes().size());
        boolean changed = false;
        for (Node n : graph.nodes()) {
            Op op = n.op();
            if (op instanceof Op.WeightLayer w && !w.hasBias() && repaired.get(addedBiasName(w.weight())) != null) {
                String b = addedBiasName(w.weight());
                op = w instanceof Op.Conv2d c
                        ? new Op.Conv2d(c.param(), c.weight(), b, c.inChannels(), c.outChannels(), c.window(), c.groups())
                        : new Op.Linear(w.param(), w.weight(), b, ((Op.Linear) w).inFeatures(), w.outputs(),
                        ((Op.Linear) w).transposed());
                changed = true;
            }
            nodes.add(new Node(n.id(), op, n.inputs()));
        }
        return changed ? new Graph(graph.name(), nodes) : graph;
    }

    /** Folds a virtual unit's map {@code y = a (z - mean) + beta} into its layer's weight and bias. */
    private static void foldVirtual(StateDict out, StateDict pruned, Op.WeightLayer layer, UnitRepair u) {
        BnOverride.VirtualBn v = u.virtual();
        int n = u.channels();
        if (layer.outputs() != n) {
            throw new IllegalArgumentException("virtual unit '" + u.unit() + "' has " + n + " channels, its layer "
                    + layer.outputs());
        }
        double[] a = new double[n];
        for (int c = 0; c < n; c++) {
            a[c] = (double) v.gamma()[c] * u.gain()[c] / Math.sqrt((double) u.var()[c] + v.eps());
            if (!Double.isFinite(a[c])) {
                throw new IllegalArgumentException("virtual unit '" + u.unit() + "', channel " + c
                        + ": the folded scale is " + a[c]);
            }
        }
        Tensor w = pruned.require(layer.weight());
        float[] wd = w.data();
        float[] nw = new float[wd.length];
        // one output channel per row; a transposed linear weight (in, out) has one per column
        boolean columns = layer instanceof Op.Linear l && l.transposed();
        int per = wd.length / n;
        for (int i = 0; i < wd.length; i++) {
            int c = columns ? i % n : i / per;
            nw[i] = wd[i] == 0f ? 0f : (float) (a[c] * wd[i]);
        }
        out.put(layer.weight(), new Tensor(w.shape(), nw));
        float[] b = layer.hasBias() ? pruned.require(layer.bias()).data() : new float[n];
        float[] nb = new float[n];
        for (int c = 0; c < n; c++) {
            nb[c] = (float) (a[c] * ((double) b[c] - u.mean()[c]) + v.beta()[c]);
        }
        out.put(layer.hasBias() ? layer.bias() : addedBiasName(layer.weight()), new Tensor(new long[] {n}, nb));
    }
}
