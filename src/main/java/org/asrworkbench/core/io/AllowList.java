package org.asrworkbench.core.io;

import net.razorvine.pickle.PickleException;
import org.asrworkbench.core.tensor.DType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python globals ({@code module.name}) that {@link SafeUnpickler} lets a pickle reference. Each
 * allowed global maps to an inert Java value or a {@link PickleCallable} that builds plain data; any
 * other global is refused before anything is constructed.
 */
public final class AllowList {
    /** Marker pushed for {@code numpy.ndarray}; only {@code _reconstruct} accepts it. */
    static final Object NDARRAY = new Object() {
        @Override
        public String toString() {
            return "numpy.ndarray";
        }
    };

    /** What a PyTorch tensor checkpoint (state dict, legacy or zip format) needs. */
    public static final AllowList TORCH_CHECKPOINT = new AllowList("PyTorch checkpoints", torchGlobals());

    /** What numpy {@code uint8}/{@code int64} arrays need (CIFAR python batches). */
    public static final AllowList NUMPY_ARRAYS = new AllowList("numpy arrays", numpyGlobals());

    private final String description;
    private final Map<String, Object> globals;

    private AllowList(String description, Map<String, Object> globals) {
        this.description = description;
        this.globals = Map.copyOf(globals);
    }

    /** What the list is for, for error messages. */
    public String description() {
        return description;
    }

    /** Whether {@code module.name} is allowed. */
    public boolean allows(String qualifiedName) {
        return globals.containsKey(qualifiedName);
    }

    /** The value a {@code GLOBAL} opcode pushes, or null when the global is refused. */
    Object resolve(String qualifiedName) {
        return globals.get(qualifiedName);
    }

    private static Map<String, Object> torchGlobals() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("collections.OrderedDict", (PickleCallable) AllowList::orderedDict);
        g.put("torch._utils._rebuild_tensor", (PickleCallable) a -> TorchObjects.TensorRef.of(a, 4, 4));
        g.put("torch._utils._rebuild_tensor_v2", (PickleCallable) a -> TorchObjects.TensorRef.of(a, 6, 7));
        g.put("torch._utils._rebuild_parameter", (PickleCallable) AllowList::parameter);
        Map<String, DType> storages = Map.of("FloatStorage", DType.F32, "HalfStorage", DType.F16,
                "BFloat16Storage", DType.BF16, "DoubleStorage", DType.F64, "LongStorage", DType.I64,
                "IntStorage", DType.I32, "ShortStorage", DType.I16, "CharStorage", DType.I8,
                "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);
        for (String module : List.of("torch", "torch.cuda")) {
            storages.forEach((name, type) -> g.put(module + "." + name,
                    new TorchObjects.StorageType(module + "." + name, type)));
        }
        return g;
    }

    private static Map<String, Object> numpyGlobals() {
        Map<String, Object> g = new LinkedHashMap<>();
        for (String module : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
            g.put(module + "._reconstruct", (PickleCallable) NumpyArray::reconstruct);
            g.put(module + ".scalar", (PickleCallable) AllowList::integerScalar);
        }
        g.put("numpy.ndarray", NDARRAY);
        g.put("numpy.dtype", (PickleCallable) NumpyDType::create);
        g.put("_codecs.encode", (PickleCallable) AllowList::latin1Encode);
        return g;
    }

    private static Object orderedDict(Object[] args) {
        LinkedHashMap<Object, Object> m = new LinkedHashMap<>();
        if (args.length == 1 && args[0] instanceof List<?> items) {
            for (Object item : items) {
                if (!(item instanceof Object[] kv) || kv.length != 2) {
                    throw new PickleException("OrderedDict items must be (key, value) pairs");
                }
                m.put(kv[0], kv[1]);
            }
        } else if (args.length != 0) {
            throw new PickleException("unsupported OrderedDict arguments");
        }
        return m;
    }

    private static Object parameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TorchObjects.TensorRef t)) {
            throw new PickleException("_rebuild_parameter without a tensor");
        }
        return t;
    }

    /** {@code numpy.core.multiarray.scalar(dtype, bytes)} for integer dtypes. */
    private static Object integerScalar(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof NumpyDType type) || (type.kind() != 'i' && type.kind() != 'u')) {
            throw new PickleException("numpy scalar is not an integer scalar");
        }
        byte[] raw = NumpyArray.rawBytes(args[1]);
        if (raw.length != type.itemSize()) {
            throw new PickleException("numpy scalar has " + raw.length + " bytes for " + type.name());
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(type.order());
        return switch (type.itemSize()) {
            case 1 -> type.kind() == 'u' ? (long) (b.get() & 0xff) : (long) b.get();
            case 2 -> (long) b.getShort();
            case 4 -> (long) b.getInt();
            default -> b.getLong();
        };
    }

    /** Python 3 protocol-2 pickles write {@code bytes} as {@code _codecs.encode(text, 'latin1')}. */
    private static Object latin1Encode(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof String s)
                || !("latin1".equals(args[1]) || "latin-1".equals(args[1]))) {
            throw new PickleException("_codecs.encode is only allowed for latin1 byte strings");
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
