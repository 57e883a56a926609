package org.asrworkbench.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.tensor.DType;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.IoMessages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;

/** Reads the safetensors format: an 8-byte little-endian header length, a JSON header, raw data. */
public final class SafetensorsReader {
    /** Largest JSON header accepted (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private SafetensorsReader() {
    }

    public static StateDict read(Path file) throws ModelFormatException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file, "file is truncated (" + size + " bytes, no safetensors header)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new ModelFormatException(file, "not a safetensors file: header length " + headerLen
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ModelFormatException(file, "safetensors header is not valid JSON: " + e.getMessage());
            }
            if (header == null || !header.isObject()) {
                throw new ModelFormatException(file, "safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            StateDict sd = new StateDict();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> sd.metadata().put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                sd.put(e.getKey(), readTensor(file, ch, e.getKey(), e.getValue(), dataStart, dataLen));
            }
            return sd;
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    private static Tensor readTensor(Path file, FileChannel ch, String name, JsonNode info, long dataStart,
                                     long dataLen) throws IOException, ModelFormatException {
        JsonNode dt = info.get("dtype");
        JsonNode sh = info.get("shape");
        JsonNode off = info.get("data_offsets");
        if (dt == null || sh == null || off == null || !sh.isArray() || !off.isArray() || off.size() != 2) {
            throw new ModelFormatException(file, "tensor '" + name + "' has an incomplete header entry");
        }
        DType type;
        try {
            type = DType.fromSafetensors(dt.asText());
        } catch (IllegalArgumentException ex) {
            throw new ModelFormatException(file, "tensor '" + name + "' has unsupported dtype " + dt.asText());
        }
        long[] shape = new long[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = sh.get(i).asLong(-1);
        }
        long begin = off.get(0).asLong(-1);
        long end = off.get(1).asLong(-1);
        long numel;
        try {
            numel = Tensor.numel(shape);
        } catch (ArithmeticException | IllegalArgumentException ex) {
            throw new ModelFormatException(file, "tensor '" + name + "' has an invalid shape");
        }
        if (begin < 0 || end < begin || end > dataLen || end - begin != numel * type.bytes()) {
            throw new ModelFormatException(file, "tensor '" + name + "': data offsets [" + begin + ", " + end
                    + ") do not match its shape and dtype, or run past the end of the file");
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file, "tensor '" + name + "' is too large (" + numel + " values)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        buf.flip();
        return new Tensor(shape, TensorDecoding.decode(buf, type, (int) numel), type);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            p += n;
        }
    }
}
