package org.asrworkbench.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.tensor.DType;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the safetensors format: an 8-byte little-endian header length, a JSON header padded with
 * spaces to a multiple of 8 bytes (so the data starts aligned), then the tensors' little-endian data
 * in state-dict order. The bytes depend on nothing but the state dict, so an export is
 * reproducible: the header lists {@code __metadata__} first, its keys sorted, then the tensors in
 * the state dict's order (the model's), each entry's fields in the order {@code dtype},
 * {@code shape}, {@code data_offsets}. The file is written through {@link AtomicFiles}, so a reader
 * never sees a partial file.
 */
public final class SafetensorsWriter {
    private static final int ALIGNMENT = 8;

    private SafetensorsWriter() {
    }

    /** Writes every tensor as F32 with the given {@code __metadata__} (string to string). */
    public static void write(Path file, StateDict sd, Map<String, String> metadata) throws IOException {
        write(file, sd, metadata, DType.F32);
    }

    /** Writes every tensor as {@code dtype}: F32, F16 or BF16 (rounded to nearest even). */
    public static void write(Path file, StateDict sd, Map<String, String> metadata, DType dtype) throws IOException {
        if (!List.of(DType.F32, DType.F16, DType.BF16).contains(dtype)) {
            throw new IllegalArgumentException("safetensors export supports F32, F16 and BF16, not " + dtype);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new TreeMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sd.asMap().entrySet()) {
            long end = offset + e.getValue().numel() * dtype.bytes();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype.safetensorsName());
            entry.put("shape", Arrays.stream(e.getValue().shape()).boxed().toList());
            entry.put("data_offsets", List.of(offset, end));
            header.put(e.getKey(), entry);
            offset = end;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');

        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (Tensor t : sd.asMap().values()) {
                out.write(encode(t.data(), dtype));
            }
        });
    }

    private static byte[] encode(float[] values, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(TensorDecoding.floatToHalf(v));
                default -> b.putShort(TensorDecoding.floatToBFloat16(v));
            }
        }
        return b.array();
    }
}
