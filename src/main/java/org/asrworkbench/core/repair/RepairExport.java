package org.asrworkbench.core.repair;

import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

/**
 * Turns a pruned network and a repair plan into an ordinary PyTorch state dict: the gain is
 * folded into each BatchNorm's weight (gamma), the running statistics are replaced by the
 * plan's {@code (mean, var)}, pruned weights stay zero, and every name is the input's.
 */
public final class RepairExport {
    private RepairExport() {
    }

    public static StateDict repairedWeights(StateDict pruned, RepairPlan plan) {
        StateDict out = new StateDict(pruned.asMap());
        out.metadata().putAll(pruned.metadata());
        for (UnitRepair u : plan.units()) {
            Tensor gamma = pruned.require(u.bn() + ".weight");
            float[] g = new float[u.channels()];
            for (int c = 0; c < g.length; c++) {
                g[c] = gamma.data()[c] * u.gain()[c];
            }
            long[] shape = {u.channels()};
            out.put(u.bn() + ".weight", new Tensor(shape, g));
            out.put(u.bn() + ".running_mean", new Tensor(shape, u.mean().clone()));
            out.put(u.bn() + ".running_var", new Tensor(shape, u.var().clone()));
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
