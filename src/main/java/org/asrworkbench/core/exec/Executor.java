package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Graph} with DJL NDArray operations on one device. The weights are uploaded
 * once; {@link #forward} streams one batch through the graph, freeing each intermediate as
 * soon as its last reader has run. Taps receive any node's output; per-BatchNorm overrides
 * change {@code (mean, var, gain)} without copying weights (the gain multiplies gamma).
 */
public final class Executor implements AutoCloseable {
    private final Graph graph;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> params = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private boolean training;

    public Executor(Graph graph, StateDict weights, Device device) {
        this.graph = graph;
        this.device = device;
        this.manager = Engines.newManager(device);
        for (Map.Entry<String, long[]> e : graph.parameterShapes().entrySet()) {
            Tensor t = weights.require(e.getKey());
            params.put(e.getKey(), manager.create(t.data(), new Shape(t.shape())));
        }
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
    }

    public Graph graph() {
        return graph;
    }

    public Device device() {
        return device;
    }

    /** The manager that owns the weights; make per-batch sub-managers from it. */
    public NDManager manager() {
        return manager;
    }

    /** Replaces one parameter on the device (e.g. a pruned weight). */
    public void setParameter(String name, Tensor t) {
        NDArray old = params.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + graph.name());
        }
        if (!old.getShape().equals(new Shape(t.shape()))) {
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + old.getShape()
                    + ", not " + t.shapeString());
        }
        params.put(name, manager.create(t.data(), new Shape(t.shape())));
        old.close();
    }

    public NDArray parameter(String name) {
        return params.get(name);
    }

    /**
     * Switches BatchNorm between evaluation (running statistics, the default) and training mode:
     * batch statistics, and the running statistics updated in place with PyTorch's momentum 0.1
     * and unbiased variance. Overrides are not allowed in training mode. Dropout stays the identity.
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    /** Creates a normalised input batch (N, C, H, W) on this executor's device, in {@code m}. */
    public NDArray input(NDManager m, float[] data, int n, int c, int h, int w) {
        return m.create(java.nio.FloatBuffer.wrap(data, 0, n * c * h * w), new Shape(n, c, h, w));
    }

    /** Forward pass of one batch with no overrides and no taps. */
    public NDArray forward(NDArray input) {
        return forward(input, Map.of(), Set.of(), null);
    }

    /**
     * Forward pass of one batch. Every array created is attached to the input's manager;
     * intermediates are closed as soon as they are no longer needed, except tapped ones, which
     * are handed to {@code tap} right after they are computed.
     *
     * @param overrides BatchNorm settings by BN module name (absent: the checkpoint's)
     * @param tapped    node ids whose outputs go to {@code tap}
     */
    public NDArray forward(NDArray input, Map<String, BnOverride> overrides, Set<String> tapped, Tap tap) {
        Map<String, NDArray> live = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(readers);
        live.put(graph.input().id(), input);
        NDArray last = input;
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.Input) {
                continue;
            }
            List<NDArray> ins = new ArrayList<>(n.inputs().size());
            for (String id : n.inputs()) {
                ins.add(live.get(id));
            }
            NDArray out = runNode(n, ins, n.param() == null ? null : overrides.get(n.param()));
            if (tap != null && tapped.contains(n.id())) {
                tap.accept(n.id(), out);
            }
            for (String id : n.inputs()) {
                if (left.merge(id, -1, Integer::sum) == 0) {
                    NDArray dead = live.remove(id);
                    if (dead != input && dead != out) {
                        dead.close();
                    }
                }
            }
            live.put(n.id(), out);
            last = out;
        }
        return last;
    }

    /** Runs one node on its inputs. {@code bn} overrides a BatchNorm's settings (may be null). */
    public NDArray runNode(Node n, List<NDArray> in, BnOverride bn) {
        Op op = n.op();
        NDArray x = in.isEmpty() ? null : in.get(0);
        if (op instanceof Op.Conv2d c) {
            NDArray b = c.bias() ? params.get(c.param() + ".bias") : null;
            Shape s = new Shape(c.stride(), c.stride());
            Shape p = new Shape(c.padding(), c.padding());
            Shape d = new Shape(c.dilation(), c.dilation());
            return Conv2d.conv2d(x, params.get(c.param() + ".weight"), b, s, p, d, c.groups()).singletonOrThrow();
        }
        if (op instanceof Op.BatchNorm2d b) {
            return batchNorm(x, b, bn);
        }
        if (op instanceof Op.Relu) {
            return Activation.relu(x);
        }
        if (op instanceof Op.Relu6) {
            return x.clip(0f, 6f);
        }
        if (op instanceof Op.Add) {
            return x.add(in.get(1));
        }
        if (op instanceof Op.MaxPool m) {
            return Pool.maxPool2d(x, new Shape(m.kernel(), m.kernel()), new Shape(m.stride(), m.stride()),
                    new Shape(m.padding(), m.padding()), false);
        }
        if (op instanceof Op.AvgPool a) {
            return Pool.avgPool2d(x, new Shape(a.kernel(), a.kernel()), new Shape(a.stride(), a.stride()),
                    new Shape(a.padding(), a.padding()), false, true);
        }
        if (op instanceof Op.AdaptiveAvgPool a) {
            return a.outH() == x.getShape().get(2) && a.outW() == x.getShape().get(3) ? copy(x)
                    : adaptiveAvgPool(x, a.outH(), a.outW());
        }
        if (op instanceof Op.GlobalAvgPool) {
            return spatialMean(x);
        }
        if (op instanceof Op.Flatten) {
            return x.reshape(x.getShape().get(0), -1);
        }
        if (op instanceof Op.Linear l) {
            NDArray b = l.bias() ? params.get(l.param() + ".bias") : null;
            return b == null ? Linear.linear(x, params.get(l.param() + ".weight")).singletonOrThrow()
                    : Linear.linear(x, params.get(l.param() + ".weight"), b).singletonOrThrow();
        }
        if (op instanceof Op.ShortcutA s) {
            NDArray sub = s.stride() == 1 ? x : x.get(":, :, ::" + s.stride() + ", ::" + s.stride());
            NDArray padded = sub.pad(new Shape(0, 0, 0, 0, s.padChannels(), s.padChannels()), 0);
            if (sub != x) {
                sub.close();
            }
            return padded;
        }
        if (op instanceof Op.Dropout || op instanceof Op.Identity) {
            return copy(x);
        }
        throw new IllegalStateException("unsupported op " + op);
    }

    /**
     * A new array equal to {@code x}. DJL's {@code duplicate()} is not recorded by autograd (no
     * gradient flows back through it), so training mode copies with a recorded operation.
     */
    private NDArray copy(NDArray x) {
        return training ? x.mul(1f) : x.duplicate();
    }

    private NDArray batchNorm(NDArray z, Op.BatchNorm2d b, BnOverride o) {
        String p = b.param();
        NDArray gamma = params.get(p + ".weight");
        NDArray beta = params.get(p + ".bias");
        if (training) {
            if (o != null) {
                throw new IllegalStateException("BatchNorm overrides are not supported in training mode ('" + p + "')");
            }
            // DJL's PyTorch engine passes 1 - momentum to torch: 0.9 here is PyTorch's momentum 0.1.
            return BatchNorm.batchNorm(z, params.get(p + ".running_mean"), params.get(p + ".running_var"),
                    gamma, beta, 1, 0.9f, (float) b.eps(), true).singletonOrThrow();
        }
        if (o == null) {
            return BatchNorm.batchNorm(z, params.get(p + ".running_mean"), params.get(p + ".running_var"),
                    gamma, beta, 1, 0.1f, (float) b.eps(), false).singletonOrThrow();
        }
        if (o.channels() != b.channels()) {
            throw new IllegalArgumentException("override for '" + p + "' has " + o.channels()
                    + " channels, the BatchNorm has " + b.channels());
        }
        NDManager m = z.getManager();
        try (NDArray mean = m.create(o.mean());
             NDArray var = m.create(o.var());
             NDArray gain = m.create(o.gain());
             NDArray g = gamma.mul(gain)) {
            return BatchNorm.batchNorm(z, mean, var, g, beta, 1, 0.1f, (float) b.eps(), false).singletonOrThrow();
        }
    }

    private static NDArray adaptiveAvgPool(NDArray x, int oh, int ow) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDList rows = new NDList();
        for (int i = 0; i < oh; i++) {
            long h0 = Math.floorDiv(i * h, oh);
            long h1 = -Math.floorDiv(-(i + 1) * h, oh);
            NDList cols = new NDList();
            for (int j = 0; j < ow; j++) {
                long w0 = Math.floorDiv(j * w, ow);
                long w1 = -Math.floorDiv(-(j + 1) * w, ow);
                try (NDArray cell = x.get(":, :, " + h0 + ":" + h1 + ", " + w0 + ":" + w1)) {
                    cols.add(spatialMean(cell));
                }
            }
            rows.add(concatClosing(cols, 3));
        }
        return concatClosing(rows, 2);
    }

    private static NDArray concatClosing(NDList list, int axis) {
        NDArray out = ai.djl.ndarray.NDArrays.concat(list, axis);
        list.close();
        return out;
    }

    /** Mean over H and W, keeping them as size-1 dimensions (PyTorch's mean over two axes). */
    static NDArray spatialMean(NDArray x) {
        Shape s = x.getShape();
        try (NDArray flat = x.reshape(s.get(0), s.get(1), -1); NDArray m = flat.mean(new int[] {2})) {
            return m.reshape(s.get(0), s.get(1), 1, 1);
        }
    }

    /** Copies an array to the heap as float32. */
    public static float[] toFloats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
