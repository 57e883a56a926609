package org.asrworkbench.core.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.io.TensorDecoding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads an ONNX {@code TensorProto} into a {@link Const}: float32, float64 and float16 as floats;
 * int64, int32, int8, uint8 and bool as integers; the data inline (raw or typed fields) or in an
 * external file beside the model. Every claim the file makes is checked before anything is
 * allocated: dims non-negative, the element count bounded, the bytes present.
 */
final class OnnxTensors {
    /** The most elements one tensor may hold (1 GiB of float32). */
    static final long MAX_ELEMENTS = 1L << 28;

    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int BOOL = 9;
    private static final int FLOAT16 = 10;
    private static final int DOUBLE = 11;

    private final Path file;
    private final Path dir;

    OnnxTensors(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    private ModelFormatException bad(OnnxMl.TensorProto t, String problem) {
        return new ModelFormatException(file, "tensor '" + t.getName() + "': " + problem);
    }

    /** The tensor's shape, checked: non-negative dims, at most {@link #MAX_ELEMENTS} elements. */
    long[] shape(OnnxMl.TensorProto t) throws ModelFormatException {
        long[] shape = new long[t.getDimsCount()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getDims(i);
            if (shape[i] < 0) {
                throw bad(t, "negative dimension in " + Arrays.toString(t.getDimsList().toArray()));
            }
            if (shape[i] > MAX_ELEMENTS || (n = n * shape[i]) > MAX_ELEMENTS) {
                throw bad(t, "shape " + t.getDimsList() + " claims more than " + MAX_ELEMENTS + " elements");
            }
        }
        return shape;
    }

    static int elementSize(int type) {
        return switch (type) {
            case FLOAT, INT32 -> 4;
            case INT64, DOUBLE -> 8;
            case FLOAT16 -> 2;
            case UINT8, INT8, BOOL -> 1;
            default -> 0;
        };
    }

    static boolean isFloat(int type) {
        return type == FLOAT || type == DOUBLE || type == FLOAT16;
    }

    Const read(OnnxMl.TensorProto t) throws ModelFormatException {
        long[] shape = shape(t);
        int n = Math.toIntExact(org.asrworkbench.core.tensor.Tensor.numel(shape));
        int type = t.getDataType();
        int size = elementSize(type);
        if (size == 0) {
            throw bad(t, "data type " + type + " is not supported (float, double, float16 and integers are)");
        }
        ByteBuffer raw = null;
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            raw = external(t, (long) n * size);
        } else if (!t.getRawData().isEmpty() || n == 0) {
            ByteString b = t.getRawData();
            if (b.size() != (long) n * size) {
                throw bad(t, "shape " + Arrays.toString(shape) + " claims " + n + " values (" + (long) n * size
                        + " bytes) but the file holds " + b.size() + " bytes");
            }
            raw = b.asReadOnlyByteBuffer();
        }
        if (raw != null) {
            return fromRaw(raw.order(ByteOrder.LITTLE_ENDIAN), shape, n, type);
        }
        return fromFields(t, shape, n, type);
    }

    private static Const fromRaw(ByteBuffer b, long[] shape, int n, int type) {
        switch (type) {
            case FLOAT -> {
                float[] f = new float[n];
                b.asFloatBuffer().get(f);
                return Const.ofFloats(shape, f);
            }
            case DOUBLE -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) b.getDouble(b.position() + 8 * i);
                }
                return Const.ofFloats(shape, f);
            }
            case FLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = TensorDecoding.halfToFloat(b.getShort(b.position() + 2 * i));
                }
                return Const.ofFloats(shape, f);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    int p = b.position();
                    v[i] = switch (type) {
                        case INT64 -> b.getLong(p + 8 * i);
                        case INT32 -> b.getInt(p + 4 * i);
                        case INT8 -> b.get(p + i);
                        default -> b.get(p + i) & 0xff;
                    };
                }
                return Const.ofInts(shape, v);
            }
        }
    }

    private Const fromFields(OnnxMl.TensorProto t, long[] shape, int n, int type) throws ModelFormatException {
        int have = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            default -> t.getInt32DataCount(); // int32, int8, uint8, bool and float16 are stored as int32
        };
        if (have != n) {
            throw bad(t, "shape " + Arrays.toString(shape) + " claims " + n + " values but the file holds " + have);
        }
        switch (type) {
            case FLOAT -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = t.getFloatData(i);
                }
                return Const.ofFloats(shape, f);
            }
            case DOUBLE -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) t.getDoubleData(i);
                }
                return Const.ofFloats(shape, f);
            }
            case FLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = TensorDecoding.halfToFloat((short) t.getInt32Data(i));
                }
                return Const.ofFloats(shape, f);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt64Data(i);
                }
                return Const.ofInts(shape, v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.getInt32Data(i);
                }
                return Const.ofInts(shape, v);
            }
        }
    }

    /**
     * The bytes of an external tensor: {@code location} relative to the model's folder (no absolute
     * path, no {@code ..}, not leaving the folder through a link), {@code offset} and {@code length}
     * inside the file, and exactly the bytes the shape needs.
     */
    ByteBuffer external(OnnxMl.TensorProto t, long bytes) throws ModelFormatException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> {
                        // checksum and unknown keys are not needed
                    }
                }
            } catch (NumberFormatException ex) {
                throw bad(t, "external data " + e.getKey() + " '" + e.getValue() + "' is not a number");
            }
        }
        if (location == null || location.isBlank()) {
            throw bad(t, "external data without a location");
        }
        Path rel;
        try {
            rel = Path.of(location);
        } catch (java.nio.file.InvalidPathException ex) {
            throw bad(t, "external data location '" + location + "' is not a valid path");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
                || Arrays.stream(location.split("[/\\\\]")).anyMatch(".."::equals)) {
            throw bad(t, "external data location '" + location + "' is outside the model's folder (absolute or"
                    + " with '..'); it must be a file beside the model");
        }
        Path data = dir.resolve(rel).normalize();
        try {
            if (!Files.isRegularFile(data)) {
                throw bad(t, "external data file '" + location + "' does not exist beside the model");
            }
            if (!data.toRealPath().startsWith(dir.toRealPath(LinkOption.NOFOLLOW_LINKS).toRealPath())) {
                throw bad(t, "external data location '" + location + "' leads outside the model's folder");
            }
            long fileSize = Files.size(data);
            if (length >= 0 && length != bytes) {
                throw bad(t, "external data length " + length + " does not match the shape's " + bytes + " bytes");
            }
            if (offset < 0 || offset > fileSize || bytes > fileSize - offset) {
                throw bad(t, "shape claims " + bytes + " bytes at offset " + offset + " of '" + location
                        + "', which holds " + fileSize + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes));
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                while (b.hasRemaining()) {
                    if (ch.read(b, offset + b.position()) < 0) {
                        throw bad(t, "external data file '" + location + "' ended early");
                    }
                }
            }
            return b.flip();
        } catch (IOException ex) {
            throw new ModelFormatException(file, "tensor '" + t.getName() + "': cannot read external data '"
                    + location + "': " + ex.getMessage(), ex);
        }
    }
}
