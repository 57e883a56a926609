package org.asrworkbench.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static shape inference: the output shape of every op from its inputs' shapes (batch first).
 * The ONNX importer uses it node by node while it translates, so the shapes it folds into
 * constants are the executor's; {@link #infer} gives every node's shape for a full input shape.
 */
public final class Shapes implements Op.Visitor<long[]> {
    private final List<long[]> in;
    private final long[] x;

    private Shapes(List<long[]> in) {
        this.in = in;
        this.x = in.isEmpty() ? null : in.get(0);
    }

    /**
     * The output shape of {@code op} on inputs of the given shapes.
     *
     * @throws IllegalArgumentException when the inputs do not fit the op
     */
    public static long[] output(Op op, List<long[]> inputs) {
        long[] out = op.accept(new Shapes(inputs));
        for (long d : out) {
            if (d < 0) {
                throw new IllegalArgumentException(op.kind() + " on " + describe(inputs) + " gives a negative size");
            }
        }
        return out;
    }

    /** Every node's output shape for the given input shape (N, C, H, W), in graph order. */
    public static Map<String, long[]> infer(Graph g, long[] inputShape) {
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put(g.input().id(), inputShape.clone());
        for (Node n : g.nodes()) {
            if (n.op() instanceof Op.Input) {
                continue;
            }
            List<long[]> ins = new ArrayList<>(n.inputs().size());
            for (String id : n.inputs()) {
                ins.add(out.get(id));
            }
            try {
                out.put(n.id(), output(n.op(), ins));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node '" + n.id() + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    static String describe(List<long[]> shapes) {
        return shapes.stream().map(Arrays::toString).toList().toString();
    }

    private IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(problem + " (input shapes " + describe(in) + ")");
    }

    private long[] rank(int r) {
        if (x == null || x.length != r) {
            throw bad("expects a rank-" + r + " input");
        }
        return x;
    }

    private static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    @Override
    public long[] visit(Op.Input op) {
        return op.shape();
    }

    private long[] window(Op.Window w, long channels, boolean ceil) {
        long[] s = rank(4);
        return new long[] {s[0], channels, w.outH(s[2], ceil), w.outW(s[3], ceil)};
    }

    @Override
    public long[] visit(Op.Conv2d op) {
        long[] s = rank(4);
        if (s[1] != op.inChannels()) {
            throw bad("conv '" + op.param() + "' takes " + op.inChannels() + " channels");
        }
        return window(op.window(), op.outChannels(), false);
    }

    @Override
    public long[] visit(Op.BatchNorm2d op) {
        if (x == null || x.length < 2 || x[1] != op.channels()) {
            throw bad("BatchNorm '" + op.param() + "' has " + op.channels() + " channels");
        }
        return x.clone();
    }

    private long[] same() {
        if (x == null) {
            throw bad("expects an input");
        }
        return x.clone();
    }

    @Override
    public long[] visit(Op.Relu op) {
        return same();
    }

    @Override
    public long[] visit(Op.Relu6 op) {
        return same();
    }

    @Override
    public long[] visit(Op.Clip op) {
        return same();
    }

    @Override
    public long[] visit(Op.LeakyRelu op) {
        return same();
    }

    @Override
    public long[] visit(Op.Sigmoid op) {
        return same();
    }

    @Override
    public long[] visit(Op.HardSigmoid op) {
        return same();
    }

    @Override
    public long[] visit(Op.HardSwish op) {
        return same();
    }

    /** numpy broadcasting of two shapes. */
    public static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private long[] twoInputs() {
        if (in.size() != 2) {
            throw bad("expects two inputs");
        }
        return broadcast(in.get(0), in.get(1));
    }

    @Override
    public long[] visit(Op.Add op) {
        return twoInputs();
    }

    @Override
    public long[] visit(Op.Binary op) {
        if (op.constant() == null) {
            return twoInputs();
        }
        try {
            long[] out = broadcast(same(), Op.longs(op.constantShape()));
            if (out.length != x.length || out[0] != x[0]) {
                throw bad("a constant may not change the batch dimension");
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    @Override
    public long[] visit(Op.MaxPool op) {
        return window(op.window(), rank(4)[1], op.ceilMode());
    }

    @Override
    public long[] visit(Op.AvgPool op) {
        return window(op.window(), rank(4)[1], op.ceilMode());
    }

    @Override
    public long[] visit(Op.AdaptiveAvgPool op) {
        long[] s = rank(4);
        return new long[] {s[0], s[1], op.outH(), op.outW()};
    }

    @Override
    public long[] visit(Op.GlobalAvgPool op) {
        long[] s = rank(4);
        return new long[] {s[0], s[1], 1, 1};
    }

    @Override
    public long[] visit(Op.ReduceMean op) {
        long[] s = same();
        List<Long> out = new ArrayList<>();
        List<Integer> axes = op.axes().stream().map(a -> axis(a, s.length)).toList();
        if (axes.contains(0)) {
            throw bad("a mean over the batch axis");
        }
        for (int i = 0; i < s.length; i++) {
            if (!axes.contains(i)) {
                out.add(s[i]);
            } else if (op.keepDims()) {
                out.add(1L);
            }
        }
        return Op.longs(out);
    }

    @Override
    public long[] visit(Op.Flatten op) {
        long[] s = same();
        long n = 1;
        for (int i = 1; i < s.length; i++) {
            n = Math.multiplyExact(n, s[i]);
        }
        return new long[] {s[0], n};
    }

    @Override
    public long[] visit(Op.Linear op) {
        long[] s = same();
        if (s[s.length - 1] != op.inFeatures()) {
            throw bad("linear '" + op.param() + "' takes " + op.inFeatures() + " features");
        }
        long[] out = s.clone();
        out[out.length - 1] = op.outFeatures();
        return out;
    }

    @Override
    public long[] visit(Op.Dropout op) {
        return same();
    }

    @Override
    public long[] visit(Op.ShortcutA op) {
        long[] s = rank(4);
        return new long[] {s[0], s[1] + 2L * op.padChannels(), (s[2] + op.stride() - 1) / op.stride(),
            (s[3] + op.stride() - 1) / op.stride()};
    }

    @Override
    public long[] visit(Op.Identity op) {
        return same();
    }

    @Override
    public long[] visit(Op.Concat op) {
        long[] first = same();
        int a = axis(op.axis(), first.length);
        if (a <= 0 || a >= first.length) {
            throw bad("concatenation along axis " + op.axis());
        }
        long[] out = first.clone();
        for (int i = 1; i < in.size(); i++) {
            long[] s = in.get(i);
            if (s.length != first.length) {
                throw bad("concatenation of different ranks");
            }
            for (int d = 0; d < s.length; d++) {
                if (d != a && s[d] != first[d]) {
                    throw bad("concatenation of mismatched sizes");
                }
            }
            out[a] += s[a];
        }
        return out;
    }

    @Override
    public long[] visit(Op.Slice op) {
        long[] out = same();
        for (int i = 0; i < op.axes().size(); i++) {
            int a = op.axes().get(i);
            if (a <= 0 || a >= out.length) {
                throw bad("a slice along axis " + a);
            }
            out[a] = op.length(i);
        }
        return out;
    }

    @Override
    public long[] visit(Op.Pad op) {
        long[] out = same();
        if (op.pads().size() != 2 * out.length || op.pads().get(0) != 0 || op.pads().get(out.length) != 0) {
            throw bad("pads " + op.pads() + " (two per axis, none on the batch axis)");
        }
        for (int i = 0; i < out.length; i++) {
            out[i] += op.pads().get(i) + op.pads().get(out.length + i);
        }
        return out;
    }

    @Override
    public long[] visit(Op.Reshape op) {
        long[] s = same();
        long[] out = new long[op.sampleShape().size() + 1];
        out[0] = s[0];
        long n = 1;
        for (int i = 1; i < out.length; i++) {
            out[i] = op.sampleShape().get(i - 1);
            n = Math.multiplyExact(n, out[i]);
        }
        long have = 1;
        for (int i = 1; i < s.length; i++) {
            have = Math.multiplyExact(have, s[i]);
        }
        if (n != have) {
            throw bad("reshape to " + op.sampleShape() + " per image");
        }
        return out;
    }

    @Override
    public long[] visit(Op.Transpose op) {
        long[] s = same();
        if (op.perm().size() != s.length) {
            throw bad("permutation " + op.perm());
        }
        long[] out = new long[s.length];
        boolean[] seen = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            int p = op.perm().get(i);
            if (p < 0 || p >= s.length || seen[p]) {
                throw bad("permutation " + op.perm());
            }
            seen[p] = true;
            out[i] = s[p];
        }
        return out;
    }

    @Override
    public long[] visit(Op.Softmax op) {
        long[] s = same();
        int a = axis(op.axis(), s.length);
        if (a <= 0 || a >= s.length) {
            throw bad("softmax along axis " + op.axis());
        }
        return s;
    }
}
