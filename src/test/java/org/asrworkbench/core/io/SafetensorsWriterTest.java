package org.asrworkbench.core.io;

import org.asrworkbench.core.tensor.DType;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private static StateDict sample() {
        StateDict sd = new StateDict();
        sd.put("conv.weight", new Tensor(new long[] {2, 1, 1, 3}, new float[] {1f, -2f, 0.5f, 3.25f, 0f, -0.125f}));
        sd.put("bn.bias", new Tensor(new long[] {3}, new float[] {0.1f, 0.2f, 0.3f}));
        sd.put("scalar", new Tensor(new long[] {}, new float[] {7f}));
        return sd;
    }

    @Test
    void float32RoundTripsWithMetadataAndAlignedData() throws Exception {
        Path file = dir.resolve("out.safetensors");
        Files.writeString(file, "previous contents");
        SafetensorsWriter.write(file, sample(), Map.of("source", "test", "method", "asr"));
        StateDict back = SafetensorsReader.read(file);
        assertEquals(List.copyOf(sample().names()), List.copyOf(back.names()));
        sample().asMap().forEach((name, t) -> assertEquals(t, back.get(name), name));
        assertEquals(Map.of("source", "test", "method", "asr"), back.metadata());
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8);
        assertEquals(List.of(file), Files.list(dir).toList(), "no temporary file may remain");
    }

    @Test
    void halfAndBfloat16RoundTripExactlyRepresentableValues() throws Exception {
        for (DType type : List.of(DType.F16, DType.BF16)) {
            Path file = dir.resolve(type + ".safetensors");
            SafetensorsWriter.write(file, sample(), Map.of(), type);
            StateDict back = SafetensorsReader.read(file);
            assertArrayEquals(sample().get("conv.weight").data(), back.get("conv.weight").data());
            assertEquals(type, back.get("conv.weight").sourceType());
            assertEquals(0.1f, back.get("bn.bias").data()[0], type == DType.F16 ? 1e-4f : 1e-3f);
        }
    }
}
