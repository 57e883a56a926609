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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Graph} with DJL NDArray operations on one device. The weights are uploaded
 * once; {@link #forward} streams one batch through the graph, freeing each intermediate as
 * soon as its last reader has run. Taps receive any node's output; per-BatchNorm overrides
 * change {@code (mean, var, gain)} without copying weights (the gain multiplies gamma). An
 * override keyed by a conv or linear layer's name is a virtual unit's BN: it is applied as a
 * per-channel affine right after the layer (a tap on the layer sees the result).
 */
public final class Executor implements AutoCloseable {
    private final Graph graph;
    private final Device device;
    private final NDManager manager;
    private final Layout layout;
    private final Map<String, NDArray> params = new HashMap<>();
    private final Map<String, Integer> readers = new HashMap<>();
    private boolean training;

    /** An executor for inference: the device's {@link Layout#preferred preferred layout}. */
    public Executor(Graph graph, StateDict weights, Device device) {
        this(graph, weights, device, Layout.preferred(device));
    }

    /**
     * An executor whose 4-D weights and {@link #input inputs} are laid out as {@code layout}
     * (training uses {@link Layout#CONTIGUOUS}).
     */
    public Executor(Graph graph, StateDict weights, Device device, Layout layout) {
        this.graph = graph;
        this.device = device;
        this.layout = layout;
        this.manager = Engines.newManager(device);
        try {
            for (Map.Entry<String, long[]> e : graph.parameterShapes().entrySet()) {
                params.put(e.getKey(), upload(weights.require(e.getKey())));
            }
        } catch (RuntimeException | Error e) { // a missing weight, a failed upload: nothing is left on the device
            manager.close();
            throw e;
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
        params.put(name, upload(t));
        old.close();
    }

    private NDArray upload(Tensor t) {
        return layout.adopt(manager.create(t.data(), new Shape(t.shape())));
    }

    /** How this executor's weights and inputs are laid out in memory. */
    public Layout layout() {
        return layout;
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

    /** Creates a normalised input batch (N, C, H, W) on this executor's device, in {@code m}, in its layout. */
    public NDArray input(NDManager m, float[] data, int n, int c, int h, int w) {
        return layout.adopt(m.create(java.nio.FloatBuffer.wrap(data, 0, n * c * h * w), new Shape(n, c, h, w)));
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

    /** A node whose output holds a NaN or infinite value, and the first such value. */
    public record NonFinite(String node, float value) {
    }

    /**
     * Runs {@code input} node by node and returns the first node (in graph order) whose output holds
     * a NaN or infinite value, or null where every output is finite. For finding where a non-finite
     * result comes from: it copies every node's output to the heap, so give it one image.
     */
    public NonFinite firstNonFinite(NDArray input, Map<String, BnOverride> overrides) {
        Set<String> all = new HashSet<>();
        graph.nodes().forEach(n -> all.add(n.id()));
        NonFinite[] first = {null};
        NDArray out = forward(input, overrides, all, (id, v) -> {
            if (first[0] == null) {
                float[] values = toFloats(v);
                int bad = Tensor.firstNonFinite(values);
                if (bad >= 0) {
                    first[0] = new NonFinite(id, values[bad]);
                }
            }
        });
        if (out != input) {
            out.close();
        }
        return first[0];
    }

    /** Runs one node on its inputs. {@code bn} overrides a BatchNorm's settings (may be null). */
    public NDArray runNode(Node n, List<NDArray> in, BnOverride bn) {
        return n.op().accept(new NodeRun(in, bn));
    }

    /** One node's computation on its inputs: every op of {@link Op}, checked by the compiler. */
    private final class NodeRun implements Op.Visitor<NDArray> {
        private final List<NDArray> in;
        private final NDArray x;
        private final BnOverride bn;

        NodeRun(List<NDArray> in, BnOverride bn) {
            this.in = in;
            this.x = in.isEmpty() ? null : in.get(0);
            this.bn = bn;
        }

        @Override
        public NDArray visit(Op.Input op) {
            return copy(x);
        }

        @Override
        public NDArray visit(Op.Conv2d c) {
            return virtual(conv2d(x, params.get(c.weight()), c.hasBias() ? params.get(c.bias()) : null, c));
        }

        /** The layer's output through its virtual BN, when the override is one. */
        private NDArray virtual(NDArray z) {
            if (bn == null || !bn.isVirtual()) {
                return z;
            }
            if (training) {
                throw new IllegalStateException("virtual BN overrides are not supported in training mode");
            }
            try (z) {
                return applyVirtualBn(z, bn);
            }
        }

        @Override
        public NDArray visit(Op.BatchNorm2d b) {
            return batchNorm(x, b, bn != null && bn.isVirtual() ? null : bn);
        }

        @Override
        public NDArray visit(Op.Relu op) {
            return Activation.relu(x);
        }

        @Override
        public NDArray visit(Op.Relu6 op) {
            return x.clip(0f, 6f);
        }

        @Override
        public NDArray visit(Op.Clip op) {
            return x.clip(op.min(), op.max());
        }

        @Override
        public NDArray visit(Op.LeakyRelu op) {
            return Activation.leakyRelu(x, op.alpha());
        }

        @Override
        public NDArray visit(Op.Sigmoid op) {
            return Activation.sigmoid(x);
        }

        @Override
        public NDArray visit(Op.HardSigmoid op) {
            return hardSigmoid(x, op.alpha(), op.beta());
        }

        @Override
        public NDArray visit(Op.HardSwish op) {
            try (NDArray gate = hardSigmoid(x, 1f / 6f, 0.5f)) {
                return x.mul(gate);
            }
        }

        @Override
        public NDArray visit(Op.Add op) {
            return x.add(in.get(1));
        }

        @Override
        public NDArray visit(Op.Binary op) {
            NDArray a = x;
            NDArray b = op.constant() == null ? in.get(1) : params.get(op.constant());
            if (op.constantFirst()) {
                NDArray t = a;
                a = b;
                b = t;
            }
            return switch (op.op()) {
                case ADD -> a.add(b);
                case SUB -> a.sub(b);
                case MUL -> a.mul(b);
                case DIV -> a.div(b);
            };
        }

        @Override
        public NDArray visit(Op.MaxPool m) {
            Op.Window w = m.window();
            Shape k = new Shape(w.kernelH(), w.kernelW());
            Shape s = new Shape(w.strideH(), w.strideW());
            if (w.symmetricPads()) {
                return Pool.maxPool2d(x, k, s, new Shape(w.padTop(), w.padLeft()), m.ceilMode());
            }
            try (NDArray padded = padWindow(x, w, Float.NEGATIVE_INFINITY)) {
                return Pool.maxPool2d(padded, k, s, new Shape(0, 0), m.ceilMode());
            }
        }

        @Override
        public NDArray visit(Op.AvgPool a) {
            Op.Window w = a.window();
            Shape k = new Shape(w.kernelH(), w.kernelW());
            Shape s = new Shape(w.strideH(), w.strideW());
            if (w.symmetricPads()) {
                return Pool.avgPool2d(x, k, s, new Shape(w.padTop(), w.padLeft()), a.ceilMode(), a.countIncludePad());
            }
            if (!a.countIncludePad()) {
                throw new IllegalStateException("average pooling with asymmetric padding that is not counted");
            }
            try (NDArray padded = padWindow(x, w, 0f)) {
                return Pool.avgPool2d(padded, k, s, new Shape(0, 0), a.ceilMode(), true);
            }
        }

        @Override
        public NDArray visit(Op.AdaptiveAvgPool a) {
            return a.outH() == x.getShape().get(2) && a.outW() == x.getShape().get(3) ? copy(x)
                    : adaptiveAvgPool(x, a.outH(), a.outW());
        }

        @Override
        public NDArray visit(Op.GlobalAvgPool op) {
            return spatialMean(x);
        }

        @Override
        public NDArray visit(Op.ReduceMean op) {
            // one axis at a time (the PyTorch engine reduces one axis per call), the last axis first
            int rank = x.getShape().dimension();
            int[] axes = op.axes().stream().mapToInt(a -> a < 0 ? a + rank : a).sorted().toArray();
            return steps(axes.length, (cur, i) -> cur.mean(new int[] {axes[axes.length - 1 - i]}, op.keepDims()));
        }

        @Override
        public NDArray visit(Op.Flatten op) {
            return x.reshape(x.getShape().get(0), -1);
        }

        @Override
        public NDArray visit(Op.Linear l) {
            NDArray w = params.get(l.weight());
            NDArray b = l.hasBias() ? params.get(l.bias()) : null;
            if (l.transposed()) {
                NDArray y = x.matMul(w);
                if (b == null) {
                    return virtual(y);
                }
                try (y) {
                    return virtual(y.add(b));
                }
            }
            return virtual(b == null ? Linear.linear(x, w).singletonOrThrow() : Linear.linear(x, w, b).singletonOrThrow());
        }

        @Override
        public NDArray visit(Op.Dropout op) {
            return copy(x);
        }

        @Override
        public NDArray visit(Op.ShortcutA s) {
            NDArray sub = s.stride() == 1 ? x : x.get(":, :, ::" + s.stride() + ", ::" + s.stride());
            NDArray padded = sub.pad(new Shape(0, 0, 0, 0, s.padChannels(), s.padChannels()), 0);
            if (sub != x) {
                sub.close();
            }
            return padded;
        }

        @Override
        public NDArray visit(Op.Identity op) {
            return copy(x);
        }

        @Override
        public NDArray visit(Op.Concat op) {
            return ai.djl.ndarray.NDArrays.concat(new NDList(in.toArray(new NDArray[0])), op.axis());
        }

        @Override
        public NDArray visit(Op.Slice op) {
            return steps(op.axes().size(), (cur, i) -> sliceAxis(cur, op.axes().get(i), op.starts().get(i),
                    op.ends().get(i), op.steps().get(i)));
        }

        /** Applies {@code step} {@code n} times from the input, closing each intermediate (a copy when n is 0). */
        private NDArray steps(int n, java.util.function.BiFunction<NDArray, Integer, NDArray> step) {
            NDArray cur = x;
            for (int i = 0; i < n; i++) {
                NDArray next = step.apply(cur, i);
                if (cur != x) {
                    cur.close();
                }
                cur = next;
            }
            return cur == x ? copy(x) : cur;
        }

        @Override
        public NDArray visit(Op.Pad op) {
            int rank = op.pads().size() / 2;
            long[] torchPads = new long[2 * rank];
            for (int axis = rank - 1, j = 0; axis >= 0; axis--, j += 2) {
                torchPads[j] = op.pads().get(axis);
                torchPads[j + 1] = op.pads().get(rank + axis);
            }
            return x.pad(new Shape(torchPads), op.value());
        }

        @Override
        public NDArray visit(Op.Reshape op) {
            long[] shape = new long[op.sampleShape().size() + 1];
            shape[0] = x.getShape().get(0);
            for (int i = 1; i < shape.length; i++) {
                shape[i] = op.sampleShape().get(i - 1);
            }
            return x.reshape(new Shape(shape));
        }

        @Override
        public NDArray visit(Op.Transpose op) {
            return x.transpose(op.perm().stream().mapToInt(Integer::intValue).toArray());
        }

        @Override
        public NDArray visit(Op.Softmax op) {
            return x.softmax(op.axis());
        }
    }

    /** Pads H and W explicitly (top, left, bottom, right) for a window whose padding is asymmetric. */
    /**
     * Convolution {@code c} of {@code x} with {@code weight} and {@code bias} (may be null); asymmetric
     * pads as an explicit zero pad. The executor's node and the inference plan's steps both run it.
     */
    static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Op.Conv2d c) {
        Op.Window w = c.window();
        Shape s = new Shape(w.strideH(), w.strideW());
        Shape d = new Shape(w.dilationH(), w.dilationW());
        if (w.symmetricPads()) {
            return Conv2d.conv2d(x, weight, bias, s, new Shape(w.padTop(), w.padLeft()), d, c.groups())
                    .singletonOrThrow();
        }
        try (NDArray padded = padWindow(x, w, 0f)) {
            return Conv2d.conv2d(padded, weight, bias, s, new Shape(0, 0), d, c.groups()).singletonOrThrow();
        }
    }

    private static NDArray padWindow(NDArray x, Op.Window w, float value) {
        return x.pad(new Shape(w.padLeft(), w.padRight(), w.padTop(), w.padBottom()), value);
    }

    private static NDArray hardSigmoid(NDArray x, float alpha, float beta) {
        try (NDArray scaled = x.mul(alpha); NDArray shifted = scaled.add(beta)) {
            return shifted.clip(0f, 1f);
        }
    }

    /** {@code x[start:end:step]} along one axis; a negative step flips the axis first. */
    private static NDArray sliceAxis(NDArray x, int axis, long start, long end, long step) {
        long size = x.getShape().get(axis);
        if (step < 0) {
            try (NDArray flipped = x.flip(axis)) {
                return sliceAxis(flipped, axis, size - 1 - start, size - 1 - end, -step);
            }
        }
        StringBuilder idx = new StringBuilder();
        for (int a = 0; a < x.getShape().dimension(); a++) {
            idx.append(a == 0 ? "" : ", ").append(a == axis ? start + ":" + end + ":" + step : ":");
        }
        return x.get(idx.toString());
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
        NDArray gamma = params.get(b.scale());
        NDArray beta = params.get(b.bias());
        NDArray runningMean = params.get(b.mean());
        NDArray runningVar = params.get(b.var());
        if (training) {
            if (o != null) {
                throw new IllegalStateException("BatchNorm overrides are not supported in training mode ('" + p + "')");
            }
            // DJL's PyTorch engine passes 1 - momentum to torch: 0.9 here is PyTorch's momentum 0.1.
            return BatchNorm.batchNorm(z, runningMean, runningVar,
                    gamma, beta, 1, 0.9f, (float) b.eps(), true).singletonOrThrow();
        }
        if (o == null) {
            return BatchNorm.batchNorm(z, runningMean, runningVar,
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

    /**
     * A virtual BN on a layer's output {@code z} (channels on axis 1):
     * {@code y = gamma * gain * (z - mean) / sqrt(var + eps) + beta} per channel, computed as
     * {@code scale * z + shift} with both folded in double precision. The result is attached to
     * {@code z}'s manager.
     */
    public static NDArray applyVirtualBn(NDArray z, BnOverride o) {
        Shape s = z.getShape();
        if (s.dimension() < 2 || s.get(1) != o.channels()) {
            throw new IllegalArgumentException("a virtual BN of " + o.channels() + " channels cannot apply to " + s);
        }
        double[][] a = o.affine();
        float[] scale = new float[o.channels()];
        float[] shift = new float[o.channels()];
        for (int c = 0; c < scale.length; c++) {
            scale[c] = (float) a[0][c];
            shift[c] = (float) a[1][c];
        }
        long[] bshape = new long[s.dimension()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = o.channels();
        NDManager m = z.getManager();
        try (NDArray sc = m.create(scale, new Shape(bshape)); NDArray sh = m.create(shift, new Shape(bshape));
             NDArray scaled = z.mul(sc)) {
            return scaled.add(sh);
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
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
