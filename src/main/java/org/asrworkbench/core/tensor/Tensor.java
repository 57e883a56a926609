package org.asrworkbench.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor held on the Java heap, in row-major (C) order.
 *
 * <p>This is the exchange format between loaders, pruning, the executor and exporters. The
 * original storage dtype of the file is remembered so that reports can name it.
 */
public record Tensor(long[] shape, float[] data, DType sourceType) {

    public Tensor {
        shape = shape.clone();
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values but " + data.length + " were given");
        }
    }

    public Tensor(long[] shape, float[] data) {
        this(shape, data, DType.F32);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return data.length;
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    public boolean sameShape(long... other) {
        return Arrays.equals(shape, other);
    }

    /** Returns a copy with its own data array. */
    public Tensor copy() {
        return new Tensor(shape, data.clone(), sourceType);
    }

    /** Index of the first non-finite value, or -1. */
    public int firstNonFinite() {
        return firstNonFinite(data);
    }

    /** Index of the first NaN or infinite value of {@code values}, or -1. */
    public static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** "tensor 'name' has a non-finite value (v) at flat index i" for the first such value, or null when all are finite. */
    public String nonFiniteProblem(String name) {
        int bad = firstNonFinite();
        return bad < 0 ? null : "tensor '" + name + "' has a non-finite value (" + data[bad] + ") at flat index " + bad;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "(" + sourceType + ")";
    }
}
