package org.asrworkbench.testing;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Map;
import java.util.Random;

/** Seeded weights for hand-made graphs: Gaussian weights, BatchNorms with positive variances and unequal gammas. */
public final class SeededWeights {
    private SeededWeights() {
    }

    /** Seeded weights for every parameter; BatchNorms with positive variances and unequal gammas. */
    public static StateDict of(Graph graph, long seed) {
        Random r = new Random(seed);
        StateDict sd = new StateDict();
        for (Map.Entry<String, long[]> e : graph.parameterShapes().entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] v = new float[(int) n];
            for (int i = 0; i < v.length; i++) {
                double x = r.nextGaussian();
                v[i] = (float) (e.getKey().endsWith("running_var") ? 0.5 + Math.abs(x)
                        : e.getKey().endsWith(".weight") && !graph.parameterShapes().containsKey(
                        e.getKey().replace(".weight", ".running_var")) ? 0.5 * x : 0.5 + 0.3 * x);
            }
            sd.put(e.getKey(), new Tensor(e.getValue(), v));
        }
        return sd;
    }
}
