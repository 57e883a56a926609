package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/** Checks that a checkpoint holds exactly the parameters a graph expects. */
public final class ModelBinder {
    static final String BATCHES_TRACKED = ".num_batches_tracked";

    private ModelBinder() {
    }

    /**
     * Every parameter of {@code graph} must be present with its shape; the only extra keys
     * tolerated are the {@code num_batches_tracked} counters of the graph's BatchNorms. The
     * architecture's parameters are checked first, in graph order, then the checkpoint's extra
     * keys, in file order.
     *
     * @throws ArchitectureException naming the first offending key and, for a shape mismatch,
     *                               the checkpoint's and the architecture's shapes
     */
    public static void check(Graph graph, StateDict weights) throws ArchitectureException {
        Map<String, long[]> expected = graph.parameterShapes();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null) {
                throw new ArchitectureException(e.getKey(), graph.name() + ": the checkpoint lacks '" + e.getKey()
                        + "' (architecture shape " + Arrays.toString(e.getValue()) + ")");
            }
            if (!t.sameShape(e.getValue())) {
                throw new ArchitectureException(e.getKey(), graph.name() + ": '" + e.getKey() + "' has shape "
                        + t.shapeString() + " in the checkpoint but " + Arrays.toString(e.getValue())
                        + " in the architecture");
            }
        }
        for (String key : weights.names()) {
            if (!expected.containsKey(key) && !isBatchCounter(graph, key)) {
                throw new ArchitectureException(key, graph.name() + ": unexpected key '" + key + "' (shape "
                        + weights.get(key).shapeString() + ") is not a parameter of the architecture");
            }
        }
    }

    private static boolean isBatchCounter(Graph graph, String key) {
        if (!key.endsWith(BATCHES_TRACKED)) {
            return false;
        }
        String module = key.substring(0, key.length() - BATCHES_TRACKED.length());
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.BatchNorm2d b && b.param().equals(module)) {
                return true;
            }
        }
        return false;
    }
}
