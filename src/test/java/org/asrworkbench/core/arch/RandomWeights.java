package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Map;
import java.util.Random;

/** Test weights for a graph: a state dict made from its parameter shapes, with sane magnitudes. */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static StateDict of(Graph graph, long seed) {
        Random r = new Random(seed);
        StateDict sd = new StateDict();
        for (Map.Entry<String, long[]> e : graph.parameterShapes().entrySet()) {
            long[] shape = e.getValue();
            float[] data = new float[Math.toIntExact(Tensor.numel(shape))];
            String key = e.getKey();
            float lo;
            float hi;
            if (key.endsWith(".running_var") || (shape.length == 1 && key.endsWith(".weight"))) {
                lo = 0.5f;
                hi = 1.5f;
            } else if (shape.length == 1) {
                lo = -0.1f;
                hi = 0.1f;
            } else {
                float bound = (float) Math.sqrt(3.0 * shape[0] / Tensor.numel(shape));
                lo = -bound;
                hi = bound;
            }
            for (int i = 0; i < data.length; i++) {
                data[i] = lo + (hi - lo) * r.nextFloat();
            }
            sd.put(key, new Tensor(shape, data));
        }
        return sd;
    }
}
