package org.asrworkbench.core.repair;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.graph.Unit;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns a pruned network and a repair plan into an ordinary PyTorch state dict: the gain is
 * folded into each BatchNorm's weight (gamma), the running statistics are replaced by the
 * plan's {@code (mean, var)}, pruned weights stay zero, and every name is the input's (the
 * BatchNorm's own tensor names, PyTorch's or an ONNX model's initializers).
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

    public static StateDict repairedWeights(Graph graph, StateDict pruned, RepairPlan plan) {
        StateDict out = new StateDict(pruned.asMap());
        out.metadata().putAll(pruned.metadata());
        Map<String, Op.BatchNorm2d> bns = new HashMap<>();
        for (Unit u : graph.units()) {
            bns.put(u.bn(), graph.batchNorm(u));
        }
        for (UnitRepair u : plan.units()) {
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
        plan.settings().params().forEach((k, v) -> out.metadata().put("asr.param." + k, Double.toString(v)));
        Double lambda = plan.settings().param("lambda");
        if (lambda != null) {
            out.metadata().put("asr.lambda", Double.toString(lambda));
        }
        return out;
    }
}
