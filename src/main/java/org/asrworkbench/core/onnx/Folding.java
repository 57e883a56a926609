package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import org.asrworkbench.core.graph.Shapes;
import org.asrworkbench.core.io.ModelFormatException;

import java.util.Arrays;
import java.util.Set;

/**
 * Evaluates ONNX nodes whose inputs are all constants at import: the shape computations PyTorch
 * writes for a channel shuffle or a view ({@code Shape, Gather, Unsqueeze, Concat, Reshape, ...})
 * and arithmetic on constants. The batch size is symbolic ({@link Const#BATCH}).
 */
final class Folding {
    private static final Set<String> FOLDABLE = Set.of("Add", "Sub", "Mul", "Div", "Gather", "Unsqueeze", "Squeeze",
            "Concat", "Cast", "ConstantOfShape", "Reshape", "Slice", "Identity", "Shape", "Flatten", "Transpose");

    private Folding() {
    }

    /** Whether {@link #fold} evaluates this op type on constants. */
    static boolean folds(String op) {
        return FOLDABLE.contains(op);
    }

    static Const fold(OnnxImporter.Ctx c, String op) {
        Const x = c.constant(0);
        return switch (op) {
            case "Add", "Sub", "Mul", "Div" -> arithmetic(op, x, c.constant(1));
            case "Gather" -> gather(x, c.constant(1), (int) c.i("axis", 0));
            case "Unsqueeze" -> x.reshaped(unsqueezed(x.shape(), c.intsAttrOrInput("axes", 1, 13)));
            case "Squeeze" -> x.reshaped(squeezed(x.shape(), c.intsAttrOrInput("axes", 1, 13)));
            case "Concat" -> {
                Const[] parts = new Const[c.in.size()];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = c.constant(i);
                }
                yield concat(parts, (int) c.i("axis", 0));
            }
            case "Cast" -> cast(x, c.i("to", 1));
            case "ConstantOfShape" -> constantOfShape(c, x);
            case "Reshape" -> x.reshaped(reshapeTarget(x.shape(), c.constant(1).asLongs(), c.i("allowzero", 0) != 0,
                    false));
            case "Slice" -> slice(c, x);
            case "Identity" -> x;
            case "Transpose" -> transpose(x, c.ints("perm"));
            case "Shape" -> shapeOf(c, x.shape(), false);
            case "Flatten" -> {
                int a = OnnxImporter.axis(c.i("axis", 1), Math.max(1, x.rank()));
                long outer = 1;
                for (int i = 0; i < a; i++) {
                    outer *= x.shape()[i];
                }
                yield x.reshaped(new long[] {outer, x.size() / Math.max(1, outer)});
            }
            default -> throw new Const.UnsupportedPattern("cannot fold " + op);
        };
    }

    /** A {@code Constant} node's value. */
    static Const constant(OnnxImporter.Ctx c) {
        for (OnnxMl.AttributeProto a : c.node.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    try {
                        return new OnnxTensors(java.nio.file.Path.of("")).read(a.getT());
                    } catch (ModelFormatException e) {
                        throw new Const.UnsupportedPattern(e.getMessage());
                    }
                }
                case "value_float" -> {
                    return Const.ofFloats(new long[0], a.getF());
                }
                case "value_floats" -> {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.getFloats(i);
                    }
                    return Const.ofFloats(new long[] {f.length}, f);
                }
                case "value_int" -> {
                    return Const.ofInts(new long[0], a.getI());
                }
                case "value_ints" -> {
                    return Const.vector(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
                }
                default -> {
                    // sparse_value and strings are not supported: fall through to the error
                }
            }
        }
        throw new Const.UnsupportedPattern("a Constant without a dense numeric value");
    }

    /** {@code Shape} of a tensor: its dims, the first (batch) one symbolic when it is the image's. */
    static Const shapeOf(OnnxImporter.Ctx c, long[] shape, boolean batchFirst) {
        long[] dims = shape.clone();
        if (batchFirst && dims.length > 0) {
            dims[0] = Const.BATCH;
        }
        int start = 0;
        int end = dims.length;
        if (c.opset() >= 15) {
            start = (int) clampIndex(c.i("start", 0), dims.length);
            end = (int) clampIndex(c.i("end", dims.length), dims.length);
        }
        return Const.vector(Arrays.copyOfRange(dims, start, Math.max(start, end)));
    }

    static Const shapeOf(OnnxImporter.Ctx c, long[] imageShape) {
        return shapeOf(c, imageShape, true);
    }

    private static long clampIndex(long i, long n) {
        long v = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, v));
    }

    /**
     * The shape a {@code Reshape} to {@code target} gives: 0 copies the input's dim (unless
     * {@code allowzero}), one -1 takes what is left, {@link Const#BATCH} is the batch.
     */
    static long[] reshapeTarget(long[] in, long[] target, boolean allowZero, boolean image) {
        long total = 1;
        for (long d : in) {
            total = Math.multiplyExact(total, d);
        }
        long[] out = new long[target.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (t == Const.BATCH) {
                if (!image || i != 0) {
                    throw new Const.UnsupportedPattern("the batch size moves to axis " + i);
                }
                t = in[0];
            } else if (t == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new Const.UnsupportedPattern("reshape copies dim " + i + " of a rank-" + in.length + " input");
                }
                t = in[i];
            } else if (t == -1) {
                if (infer >= 0) {
                    throw new Const.UnsupportedPattern("reshape with two -1 dims");
                }
                infer = i;
                continue;
            } else if (t < 0) {
                throw new Const.UnsupportedPattern("reshape to a negative dim " + t);
            }
            out[i] = t;
            known = Math.multiplyExact(known, t);
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new Const.UnsupportedPattern("reshape of " + Arrays.toString(in) + " to " + Arrays.toString(target));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw new Const.UnsupportedPattern("reshape of " + Arrays.toString(in) + " to " + Arrays.toString(target));
        }
        return out;
    }

    static long[] unsqueezed(long[] shape, long[] axes) {
        if (axes == null) {
            throw new Const.UnsupportedPattern("Unsqueeze without axes");
        }
        int rank = shape.length + axes.length;
        boolean[] added = new boolean[rank];
        for (long a : axes) {
            int ax = OnnxImporter.axis(a, rank);
            if (added[ax]) {
                throw new Const.UnsupportedPattern("axis " + a + " repeated");
            }
            added[ax] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = added[i] ? 1 : shape[j++];
        }
        return out;
    }

    static long[] squeezed(long[] shape, long[] axes) {
        boolean[] drop = new boolean[shape.length];
        if (axes == null) {
            for (int i = 0; i < shape.length; i++) {
                drop[i] = shape[i] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = OnnxImporter.axis(a, shape.length);
                if (shape[ax] != 1) {
                    throw new Const.UnsupportedPattern("squeeze of axis " + a + " of size " + shape[ax]);
                }
                drop[ax] = true;
            }
        }
        return java.util.stream.IntStream.range(0, shape.length).filter(i -> !drop[i]).mapToLong(i -> shape[i]).toArray();
    }

    /** ONNX Slice's clamping of {@code [start, end)} with {@code step} on an axis of size {@code dim}. */
    static long[] sliceRange(long dim, long start, long end, long step) {
        if (step == 0) {
            throw new Const.UnsupportedPattern("slice step 0");
        }
        long s = start < 0 ? saturatingAdd(start, dim) : start;
        long e = end < 0 ? saturatingAdd(end, dim) : end;
        if (step > 0) {
            s = Math.max(0, Math.min(dim, s));
            e = Math.max(0, Math.min(dim, e));
        } else {
            s = Math.max(0, Math.min(dim - 1, s));
            e = Math.max(-1, Math.min(dim - 1, e));
        }
        return new long[] {s, e};
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private static Const slice(OnnxImporter.Ctx c, Const x) {
        long[] starts = c.constant(1).asLongs();
        long[] ends = c.constant(2).asLongs();
        Const ax = c.optionalConst(3);
        Const st = c.optionalConst(4);
        int rank = x.rank();
        long[] first = new long[rank];
        long[] step = new long[rank];
        long[] outShape = x.shape().clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = OnnxImporter.axis(ax == null ? i : ax.asLongs()[i], rank);
            step[a] = st == null ? 1 : st.asLongs()[i];
            long[] r = sliceRange(x.shape()[a], starts[i], ends[i], step[a]);
            first[a] = r[0];
            outShape[a] = Math.max(0, step[a] > 0 ? Math.floorDiv(r[1] - r[0] + step[a] - 1, step[a])
                    : Math.floorDiv(r[0] - r[1] - step[a] - 1, -step[a]));
        }
        return remap(x, outShape, (out, src) -> {
            long idx = 0;
            for (int d = 0; d < rank; d++) {
                idx = idx * x.shape()[d] + first[d] + out[d] * step[d];
            }
            return idx;
        });
    }

    /** A constant's transpose by {@code perm} (reversed axes by default). */
    private static Const transpose(Const x, long[] perm) {
        int rank = x.rank();
        long[] p = perm;
        if (p == null) {
            p = new long[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        }
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = x.shape()[(int) p[i]];
        }
        long[] pp = p;
        return remap(x, outShape, (out, src) -> {
            long[] in = new long[rank];
            for (int i = 0; i < rank; i++) {
                in[(int) pp[i]] = out[i];
            }
            long idx = 0;
            for (int d = 0; d < rank; d++) {
                idx = idx * x.shape()[d] + in[d];
            }
            return idx;
        });
    }

    /** Maps every output coordinate to a flat source index. */
    private interface IndexMap {
        long source(long[] outCoord, Const src);
    }

    private static Const remap(Const x, long[] outShape, IndexMap map) {
        int n = Math.toIntExact(org.asrworkbench.core.tensor.Tensor.numel(outShape));
        long[] iv = x.isInt() ? new long[n] : null;
        float[] fv = x.isInt() ? null : new float[n];
        long[] coord = new long[outShape.length];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = outShape.length - 1; d >= 0; d--) {
                coord[d] = rem % outShape[d];
                rem /= (int) outShape[d];
            }
            int src = (int) map.source(coord, x);
            if (iv != null) {
                iv[i] = x.ints()[src];
            } else {
                fv[i] = x.floats()[src];
            }
        }
        return new Const(outShape, iv, fv);
    }

    private static Const gather(Const data, Const indices, int axisAttr) {
        int axis = OnnxImporter.axis(axisAttr, Math.max(1, data.rank()));
        long[] ds = data.shape();
        long[] idx = indices.asLongs();
        long dim = ds[axis];
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= ds[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < ds.length; i++) {
            inner *= ds[i];
        }
        long[] outShape = new long[ds.length - 1 + indices.rank()];
        System.arraycopy(ds, 0, outShape, 0, axis);
        System.arraycopy(indices.shape(), 0, outShape, axis, indices.rank());
        System.arraycopy(ds, axis + 1, outShape, axis + indices.rank(), ds.length - axis - 1);
        int n = Math.toIntExact(outer * idx.length * inner);
        long[] iv = data.isInt() ? new long[n] : null;
        float[] fv = data.isInt() ? null : new float[n];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (long k : idx) {
                long j = k < 0 ? k + dim : k;
                if (j < 0 || j >= dim) {
                    throw new Const.UnsupportedPattern("gather index " + k + " outside " + dim);
                }
                for (long q = 0; q < inner; q++) {
                    int src = (int) ((o * dim + j) * inner + q);
                    if (iv != null) {
                        iv[p++] = data.ints()[src];
                    } else {
                        fv[p++] = data.floats()[src];
                    }
                }
            }
        }
        return new Const(outShape, iv, fv);
    }

    private static Const concat(Const[] parts, int axisAttr) {
        int rank = parts[0].rank();
        int axis = OnnxImporter.axis(axisAttr, Math.max(1, rank));
        boolean ints = Arrays.stream(parts).allMatch(Const::isInt);
        long[] shape = parts[0].shape().clone();
        shape[axis] = 0;
        for (Const p : parts) {
            if (p.rank() != rank) {
                throw new Const.UnsupportedPattern("concatenation of different ranks");
            }
            shape[axis] += p.shape()[axis];
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        int n = Math.toIntExact(org.asrworkbench.core.tensor.Tensor.numel(shape));
        long[] iv = ints ? new long[n] : null;
        float[] fv = ints ? null : new float[n];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (Const p : parts) {
                int chunk = (int) (p.size() / Math.max(1, outer));
                for (int i = 0; i < chunk; i++) {
                    int src = (int) (o * chunk + i);
                    if (ints) {
                        iv[pos++] = p.ints()[src];
                    } else {
                        fv[pos++] = (float) p.get(src);
                    }
                }
            }
        }
        return new Const(shape, iv, fv);
    }

    private static Const cast(Const x, long to) {
        return switch ((int) to) {
            case 1, 10, 11 -> Const.ofFloats(x.shape(), x.asFloats());
            case 2, 3, 4, 5, 6, 7, 12, 13 -> x.isInt() ? x : Const.ofInts(x.shape(), x.asLongs());
            case 9 -> {
                long[] v = new long[x.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = x.get(i) != 0 ? 1 : 0;
                }
                yield Const.ofInts(x.shape(), v);
            }
            default -> throw new Const.UnsupportedPattern("cast to type " + to);
        };
    }

    private static Const constantOfShape(OnnxImporter.Ctx c, Const shapeC) {
        long[] shape = shapeC.asLongs();
        if (shapeC.readsBatch()) {
            throw new Const.UnsupportedPattern("a constant whose shape depends on the batch size");
        }
        long n = org.asrworkbench.core.tensor.Tensor.numel(shape);
        if (n > OnnxTensors.MAX_ELEMENTS) {
            throw new Const.UnsupportedPattern("ConstantOfShape of " + n + " elements");
        }
        OnnxMl.AttributeProto a = c.attrs.get("value");
        Const v;
        try {
            v = a == null ? Const.ofFloats(new long[] {1}, 0f) : new OnnxTensors(java.nio.file.Path.of("")).read(a.getT());
        } catch (ModelFormatException e) {
            throw new Const.UnsupportedPattern(e.getMessage());
        }
        if (v.isInt()) {
            long[] out = new long[(int) n];
            Arrays.fill(out, v.ints()[0]);
            return Const.ofInts(shape, out);
        }
        float[] out = new float[(int) n];
        Arrays.fill(out, v.floats()[0]);
        return Const.ofFloats(shape, out);
    }

    /** Element-wise arithmetic on constants with numpy broadcasting; integers divide as C does. */
    private static Const arithmetic(String op, Const a, Const b) {
        if (a.readsBatch() || b.readsBatch()) {
            throw new Const.UnsupportedPattern("the batch size is used in arithmetic (" + op + ")");
        }
        long[] shape;
        try {
            shape = Shapes.broadcast(a.shape(), b.shape());
        } catch (IllegalArgumentException e) {
            throw new Const.UnsupportedPattern(e.getMessage());
        }
        int n = Math.toIntExact(org.asrworkbench.core.tensor.Tensor.numel(shape));
        boolean ints = a.isInt() && b.isInt();
        long[] iv = ints ? new long[n] : null;
        float[] fv = ints ? null : new float[n];
        for (int i = 0; i < n; i++) {
            int ia = broadcastIndex(i, shape, a.shape());
            int ib = broadcastIndex(i, shape, b.shape());
            if (ints) {
                long x = a.ints()[ia];
                long y = b.ints()[ib];
                iv[i] = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> {
                        if (y == 0) {
                            throw new Const.UnsupportedPattern("integer division by zero");
                        }
                        yield x / y;
                    }
                };
            } else {
                float x = (float) a.get(ia);
                float y = (float) b.get(ib);
                fv[i] = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                };
            }
        }
        return new Const(shape, iv, fv);
    }

    /** The flat index in a broadcast operand of shape {@code s} for flat index {@code i} of {@code out}. */
    private static int broadcastIndex(int i, long[] out, long[] s) {
        int idx = 0;
        int stride = 1;
        int rem = i;
        for (int d = out.length - 1; d >= 0; d--) {
            int coord = (int) (rem % out[d]);
            rem /= out[d];
            int sd = d - (out.length - s.length);
            if (sd >= 0) {
                if (s[sd] != 1) {
                    idx += coord * stride;
                }
                stride *= (int) s[sd];
            }
        }
        return idx;
    }
}
