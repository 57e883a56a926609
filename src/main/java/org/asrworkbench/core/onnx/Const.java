package org.asrworkbench.core.onnx;

import java.util.Arrays;

/**
 * A constant tensor met while importing: an initializer, a {@code Constant} node or the value of a
 * folded shape computation. Integers ({@code ints}) and floats ({@code floats}); exactly one is set.
 * The batch size is not a constant: where a shape computation reads it, the value is
 * {@link #BATCH}, which a {@code Reshape} may keep but no arithmetic may use.
 */
record Const(long[] shape, long[] ints, float[] floats) {
    /** The batch dimension, as {@code Shape} reports it. */
    static final long BATCH = Long.MIN_VALUE + 1;

    Const {
        if ((ints == null) == (floats == null)) {
            throw new IllegalArgumentException("a constant holds integers or floats");
        }
    }

    static Const ofInts(long[] shape, long... values) {
        return new Const(shape, values, null);
    }

    static Const ofFloats(long[] shape, float... values) {
        return new Const(shape, null, values);
    }

    /** A 1-D integer vector. */
    static Const vector(long... values) {
        return ofInts(new long[] {values.length}, values);
    }

    boolean isInt() {
        return ints != null;
    }

    int size() {
        return isInt() ? ints.length : floats.length;
    }

    int rank() {
        return shape.length;
    }

    /** The values as integers (floats truncated toward zero, as a Cast does). */
    long[] asLongs() {
        if (isInt()) {
            return ints;
        }
        long[] out = new long[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) floats[i];
        }
        return out;
    }

    /** The values as floats; the batch size cannot be one. */
    float[] asFloats() {
        if (!isInt()) {
            return floats;
        }
        float[] out = new float[ints.length];
        for (int i = 0; i < out.length; i++) {
            if (ints[i] == BATCH) {
                throw new UnsupportedPattern("the batch size is used as a number");
            }
            out[i] = ints[i];
        }
        return out;
    }

    double get(int i) {
        return isInt() ? ints[i] : floats[i];
    }

    boolean readsBatch() {
        return isInt() && Arrays.stream(ints).anyMatch(v -> v == BATCH);
    }

    /** The same values under another shape. */
    Const reshaped(long[] newShape) {
        return new Const(newShape, ints, floats);
    }

    /** A pattern the importer cannot fold or run (reported with the node that has it). */
    static final class UnsupportedPattern extends RuntimeException {
        UnsupportedPattern(String message) {
            super(message);
        }
    }
}
