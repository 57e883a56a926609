package org.asrworkbench.core.io;

import net.razorvine.pickle.PickleException;
import org.asrworkbench.core.tensor.DType;

/** The inert values a PyTorch checkpoint pickle builds; tensors are materialized after unpickling. */
final class TorchObjects {
    private TorchObjects() {
    }

    /** A storage class such as {@code torch.FloatStorage}, as named in a persistent id. */
    record StorageType(String pythonName, DType dtype) {
    }

    /**
     * A storage named by a persistent id: {@code key} names its bytes; a legacy view adds an element
     * offset into the root storage {@code key}.
     */
    record StorageRef(StorageType type, String key, String location, long numel, long viewOffset) {

        /** Parses {@code ('storage', StorageClass, key, location, numel[, view_metadata])}. */
        static StorageRef parse(Object pid) {
            if (!(pid instanceof Object[] t) || t.length < 5 || t.length > 6 || !"storage".equals(t[0])) {
                throw new PickleException("unsupported persistent id (expected a 'storage' tuple)");
            }
            if (!(t[1] instanceof StorageType type)) {
                throw new PickleException("persistent id does not name an allowed storage class");
            }
            String key = text(t[2], "storage key");
            String location = text(t[3], "storage location");
            long numel = nonNegative(t[4], "storage size");
            long viewOffset = 0;
            if (t.length == 6 && t[5] != null) {
                if (!(t[5] instanceof Object[] view) || view.length != 3) {
                    throw new PickleException("malformed storage view metadata for storage " + key);
                }
                viewOffset = nonNegative(view[1], "storage view offset");
            }
            return new StorageRef(type, key, location, numel, viewOffset);
        }
    }

    /** {@code _rebuild_tensor[_v2](storage, storage_offset, size, stride, ...)}. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {

        static TensorRef of(Object[] args, int minArgs, int maxArgs) {
            if (args.length < minArgs || args.length > maxArgs) {
                throw new PickleException("tensor rebuild expects " + minArgs + ".." + maxArgs + " arguments, got "
                        + args.length);
            }
            if (!(args[0] instanceof StorageRef storage)) {
                throw new PickleException("tensor rebuild without a storage persistent id");
            }
            long[] size = longs(args[2], "tensor size");
            long[] stride = longs(args[3], "tensor stride");
            if (size.length != stride.length) {
                throw new PickleException("tensor size and stride have different ranks");
            }
            return new TensorRef(storage, nonNegative(args[1], "storage offset"), size, stride);
        }
    }

    static String text(Object o, String what) {
        if (o instanceof String s) {
            return s;
        }
        throw new PickleException(what + " is not a string");
    }

    static long nonNegative(Object o, String what) {
        if (!(o instanceof Integer || o instanceof Long)) {
            throw new PickleException(what + " is not an integer");
        }
        long v = ((Number) o).longValue();
        if (v < 0) {
            throw new PickleException(what + " is negative (" + v + ")");
        }
        return v;
    }

    static long[] longs(Object o, String what) {
        if (!(o instanceof Object[] t)) {
            throw new PickleException(what + " is not a tuple");
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = nonNegative(t[i], what);
        }
        return out;
    }
}
