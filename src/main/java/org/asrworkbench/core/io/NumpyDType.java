package org.asrworkbench.core.io;

import net.razorvine.pickle.PickleException;

import java.nio.ByteOrder;
import java.util.Map;

/**
 * A numpy {@code dtype} as pickled by {@code numpy.dtype(descr, align, copy)} plus its {@code BUILD}
 * state; only plain integer and float kinds are accepted.
 */
final class NumpyDType implements PickleState {
    private static final Map<String, String> NAMES = Map.of(
            "u1", "uint8", "i1", "int8", "i2", "int16", "i4", "int32", "i8", "int64", "f4", "float32",
            "f8", "float64");

    private final String descr;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    NumpyDType(String descr) {
        if (!NAMES.containsKey(descr)) {
            throw new PickleException("numpy dtype '" + descr + "' is not supported");
        }
        this.descr = descr;
    }

    /** {@code numpy.dtype(descr, align, copy)}. */
    static NumpyDType create(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof String d)) {
            throw new PickleException("numpy.dtype expects a type string");
        }
        return new NumpyDType(d);
    }

    /** State {@code (version, byteorder, subarray, names, fields, elsize, alignment, flags)}. */
    @Override
    public void setState(Object state) {
        if (!(state instanceof Object[] t) || t.length < 2 || !(t[1] instanceof String bo)) {
            throw new PickleException("malformed numpy dtype state");
        }
        if (t.length > 4 && (t[2] != null || t[3] != null || t[4] != null)) {
            throw new PickleException("structured numpy dtypes are not supported");
        }
        order = ">".equals(bo) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    String name() {
        return NAMES.get(descr);
    }

    char kind() {
        return descr.charAt(0);
    }

    int itemSize() {
        return descr.charAt(1) - '0';
    }

    ByteOrder order() {
        return order;
    }
}
