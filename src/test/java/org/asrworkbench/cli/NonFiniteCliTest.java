package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.testing.HugeWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval}, {@code repair} and {@code sweep} on a model with finite weights and NaN logits
 * (two convolutions of the bundled ResNet-20 scaled by 1e36). Before, all three reported top-1
 * 1.0, {@code --logits} said {@code predicted=0} and {@code repair} exited 0 with an export its
 * own loader refused.
 */
class NonFiniteCliTest {
    @TempDir
    Path dir;

    private void assertNamesModelImageAndLayer(Path model, String message) {
        assertTrue(message.contains("model " + model + " (resnet20)"), message);
        assertTrue(message.contains("non-finite logit (NaN) on image 0 of " + HugeWeights.testImages()), message);
        assertTrue(message.contains("'" + HugeWeights.SECOND + "'"), message);
    }

    @Test
    void evalFailsAndWritesNoLogits() throws Exception {
        Path model = HugeWeights.write(dir, "huge.safetensors");
        Path csv = dir.resolve("logits.csv");
        CommandLineTest.Run r = CommandLineTest.run("eval", "--model", model.toString(), "--data",
                HugeWeights.testImages().toString(), "--limit", "64", "--device", "cpu", "--logits", csv.toString());
        assertEquals(2, r.code(), r.out());
        assertNamesModelImageAndLayer(model, r.err());
        assertFalse(r.out().contains("top1"), r.out());
        assertFalse(Files.exists(csv), "no logits file");
    }

    @Test
    void repairFailsAndExportsNothing() throws Exception {
        Path model = HugeWeights.write(dir, "huge.safetensors");
        Path out = dir.resolve("repaired.safetensors");
        Path report = dir.resolve("report.json");
        CommandLineTest.Run r = CommandLineTest.run("repair", "--model", model.toString(), "--data",
                HugeWeights.testImages().toString(), "--calib-data", HugeWeights.calibImages().toString(),
                "--calib-n", "64", "--limit", "64", "--device", "cpu", "--method", "asr", "--sparsity", "0.5",
                "--out", out.toString(), "--report", report.toString());
        assertEquals(2, r.code(), r.out());
        assertNamesModelImageAndLayer(model, r.err());
        assertFalse(Files.exists(out), "no export");
        assertFalse(Files.exists(report), "no report");
    }

    @Test
    void sweepRecordsTheCellsAsFailedAndGoesOn() throws Exception {
        Path model = HugeWeights.write(dir, "huge.safetensors");
        Path grid = dir.resolve("grid.json");
        String data = HugeWeights.testImages().toString();
        String calib = HugeWeights.calibImages().toString();
        ObjectMapper json = new ObjectMapper();
        Files.writeString(grid, json.writeValueAsString(java.util.Map.of(
                "models", List.of(java.util.Map.of("path", model.toString(), "data", data, "calibData", calib, "limit", 64),
                        java.util.Map.of("path", HugeWeights.sample().toString(), "data", data, "calibData", calib,
                                "limit", 64)),
                "sparsities", List.of(0.5), "methods", List.of("none", "bn-recal"), "calibNs", List.of(64))));
        Path out = dir.resolve("sweep");
        CommandLineTest.Run r = CommandLineTest.run("sweep", "--grid", grid.toString(), "--device", "cpu",
                "--out-dir", out.toString());
        assertEquals(1, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(4, j.get("cells").asInt());
        assertEquals(2, j.get("done").asInt(), "the good model's cells ran");
        assertEquals(2, j.get("failed").asInt(), "the NaN model's cells failed");
        int failed = 0;
        try (Stream<Path> cells = Files.list(out.resolve("cells"))) {
            for (Path c : cells.toList()) {
                JsonNode cell = json.readTree(c.toFile());
                if (cell.get("status").asText().equals("failed")) {
                    failed++;
                    assertNamesModelImageAndLayer(model, cell.get("error").asText());
                } else {
                    assertTrue(cell.toString().contains(HugeWeights.sample().getFileName().toString()), cell.toString());
                }
            }
        }
        assertEquals(2, failed);
    }
}
