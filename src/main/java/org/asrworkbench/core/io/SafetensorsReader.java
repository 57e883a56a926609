package org.asrworkbench.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header, raw data. A
 * header that names a key twice, or whose tensors' data overlap, is refused.
 */
public final class SafetensorsReader {
    /** Largest JSON header accepted (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    /** Duplicate keys are refused, not resolved to the last (Jackson's default). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String DUPLICATE = "Duplicate field ";

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
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                String m = e.getOriginalMessage();
                if (m != null && m.startsWith(DUPLICATE)) {
                    // a second entry of one name would silently replace the first
                    throw new ModelFormatException(file, "safetensors header has the key "
                            + m.substring(DUPLICATE.length()) + " twice");
                }
                throw new ModelFormatException(file, "safetensors header is not valid JSON: " + e.getMessage());
            }
            if (header == null || !header.isObject()) {
                throw new ModelFormatException(file, "safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            StateDict sd = new StateDict();
            List<Entry> entries = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> sd.metadata().put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.add(entry(file, e.getKey(), e.getValue(), dataLen));
            }
            checkNoOverlap(file, entries);
            for (Entry e : entries) {
                sd.put(e.name(), read(ch, e, dataStart));
            }
            return sd;
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    /** One tensor's header entry, checked against the data section's length. */
    private record Entry(String name, DType type, long[] shape, long numel, long begin, long end) {
    }

    private static Entry entry(Path file, String name, JsonNode info, long dataLen) throws ModelFormatException {
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
        return new Entry(name, type, shape, numel, begin, end);
    }

    /** Refuses two tensors whose data share bytes (a write to one would be a write to the other). */
    private static void checkNoOverlap(Path file, List<Entry> entries) throws ModelFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry a = byOffset.get(i - 1);
            Entry b = byOffset.get(i);
            if (b.begin() < a.end()) {
                throw new ModelFormatException(file, "the data of tensors '" + a.name() + "' [" + a.begin() + ", "
                        + a.end() + ") and '" + b.name() + "' [" + b.begin() + ", " + b.end() + ") overlap");
            }
        }
    }

    private static Tensor read(FileChannel ch, Entry e, long dataStart) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + e.begin());
        buf.flip();
        return new Tensor(e.shape(), TensorDecoding.decode(buf, e.type(), (int) e.numel()), e.type());
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
