package org.asrworkbench.core.io;

import net.razorvine.pickle.PickleException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A numpy {@code ndarray} read from a pickle by {@link SafeUnpickler} with
 * {@link AllowList#NUMPY_ARRAYS}: its shape, dtype name and raw C-order bytes. Only plain integer
 * and float dtypes are accepted; object arrays are refused.
 */
public final class NumpyArray implements PickleState {
    private long[] shape = new long[0];
    private NumpyDType dtype;
    private byte[] bytes = new byte[0];

    NumpyArray() {
    }

    /** The array's dimensions. */
    public long[] shape() {
        return shape.clone();
    }

    /** The numpy dtype name, for example {@code uint8} or {@code int64}. */
    public String dtype() {
        return dtype == null ? "unset" : dtype.name();
    }

    /** The number of elements. */
    public long size() {
        return bytes.length / (dtype == null ? 1 : dtype.itemSize());
    }

    /** The values of a {@code uint8} array in C order (shared, not copied: callers must not modify it). */
    public byte[] uint8() {
        if (dtype == null || !"uint8".equals(dtype.name())) {
            throw new IllegalStateException("array of " + dtype() + " is not uint8");
        }
        return bytes;
    }

    /** The values of an integer array in C order. */
    public long[] toLongs() {
        if (dtype == null || (dtype.kind() != 'i' && dtype.kind() != 'u')) {
            throw new IllegalStateException("array of " + dtype() + " is not an integer array");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(dtype.order());
        long[] out = new long[bytes.length / dtype.itemSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype.name()) {
                case "uint8" -> b.get() & 0xff;
                case "int8" -> b.get();
                case "int16" -> b.getShort();
                case "int32" -> b.getInt();
                default -> b.getLong();
            };
        }
        return out;
    }

    /** {@code numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')}: an empty array for BUILD. */
    static NumpyArray reconstruct(Object[] args) {
        if (args.length != 3 || args[0] != AllowList.NDARRAY) {
            throw new PickleException("_reconstruct may only build a plain numpy.ndarray");
        }
        return new NumpyArray();
    }

    /** State {@code (version, shape, dtype, is_fortran, rawdata)}. */
    @Override
    public void setState(Object state) {
        if (!(state instanceof Object[] t) || t.length != 5 || !(t[2] instanceof NumpyDType type)) {
            throw new PickleException("malformed numpy array state");
        }
        long[] dims = TorchObjects.longs(t[1], "numpy array shape");
        byte[] raw = rawBytes(t[4]);
        long numel = 1;
        for (long d : dims) {
            numel = Math.multiplyExact(numel, d);
        }
        if (Math.multiplyExact(numel, type.itemSize()) != raw.length) {
            throw new PickleException("numpy array of shape " + Arrays.toString(dims) + " and dtype " + type.name()
                    + " holds " + raw.length + " bytes");
        }
        if (Boolean.TRUE.equals(t[3]) && dims.length > 1) {
            throw new PickleException("Fortran-ordered numpy arrays are not supported");
        }
        shape = dims;
        dtype = type;
        bytes = raw;
    }

    /** Python 2 pickles carry raw data as a latin-1 string, Python 3 ones as bytes. */
    static byte[] rawBytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new PickleException("numpy array data is not a byte string (object arrays are not supported)");
    }

    @Override
    public String toString() {
        return "ndarray" + Arrays.toString(shape) + "(" + dtype() + ")";
    }
}
