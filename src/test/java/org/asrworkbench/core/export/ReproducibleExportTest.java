package org.asrworkbench.core.export;

import org.asrworkbench.core.io.SafetensorsWriter;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;
import org.asrworkbench.testing.HugeWeights;
import org.asrworkbench.testing.OnnxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports are byte-reproducible: the same state gives the same bytes in every run. Before, the
 * safetensors header's field order within an entry came from {@code Map.of}, whose iteration
 * order is salted per JVM, and the metadata kept its insertion order.
 */
class ReproducibleExportTest {
    @TempDir
    Path dir;

    private static String header(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(b, 8, n, StandardCharsets.UTF_8).strip();
    }

    @Test
    void safetensorsHeaderIsInTheDocumentedOrder() throws Exception {
        StateDict sd = new StateDict();
        sd.put("z.weight", new Tensor(new long[] {2}, new float[] {1, 2}));
        sd.put("a.bias", new Tensor(new long[] {1}, new float[] {3}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("asr.method", "asr");
        metadata.put("m", "2");
        Path file = dir.resolve("order.safetensors");
        SafetensorsWriter.write(file, sd, metadata);
        assertEquals("{\"__metadata__\":{\"asr.method\":\"asr\",\"m\":\"2\",\"z\":\"1\"},"
                + "\"z.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", header(file));
    }

    /** Writes a repaired-like export of the sample (safetensors) and of an ONNX fixture into {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        LoadedModel sample = ModelLoader.load(HugeWeights.sample(), null, null);
        StateDict sd = sample.weights().copy();
        // metadata as a repair writes it: its parameters come from a Map.copyOf, in a per-JVM order
        Map.copyOf(Map.of("lambda", "0.5", "rho", "0.3", "kappa", "2.0", "tau", "1.0"))
                .forEach((k, v) -> sd.metadata().put("asr.param." + k, v));
        ModelExport.write(sample, sd, out.resolve("repaired.safetensors"));
        LoadedModel onnx = ModelLoader.load(OnnxFixtures.committed("tiny-cifar-resnet8-optA-folded.onnx").toAbsolutePath(),
                null, "cifar");
        StateDict w = onnx.weights().copy();
        String first = w.names().iterator().next();
        float[] half = w.require(first).data().clone();
        for (int i = 0; i < half.length; i++) {
            half[i] *= 0.5f;
        }
        w.put(first, new Tensor(w.require(first).shape(), half));
        ModelExport.write(onnx, w, out.resolve("repaired.onnx"));
    }

    @Test
    void twoRunsExportTheSameBytes() throws Exception {
        Path[] runs = {Files.createDirectories(dir.resolve("run1")), Files.createDirectories(dir.resolve("run2"))};
        for (Path run : runs) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ReproducibleExportTest.class.getName(), run.toString())
                    .redirectErrorStream(true).redirectOutput(run.resolve("log.txt").toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the export finishes");
            assertEquals(0, p.exitValue(), Files.readString(run.resolve("log.txt")));
        }
        for (String name : new String[] {"repaired.safetensors", "repaired.json", "repaired.onnx"}) {
            assertArrayEquals(Files.readAllBytes(runs[0].resolve(name)), Files.readAllBytes(runs[1].resolve(name)), name);
        }
        String h = header(runs[0].resolve("repaired.safetensors"));
        assertTrue(h.startsWith("{\"__metadata__\":{\"architecture\":\"resnet20-w0.5\",\"asr.param.kappa\":\"2.0\","
                + "\"asr.param.lambda\":\"0.5\",\"asr.param.rho\":\"0.3\",\"asr.param.tau\":\"1.0\",\"format\":\"pt\"},"
                + "\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[8,1,3,3],\"data_offsets\":[0,288]}"), h);
    }
}
