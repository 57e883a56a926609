package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.asrworkbench.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code select} and {@code repair --method auto} end to end. */
class AutoCommandTest {
    static final String FASHION = "sample-models/fashion-mnist/";

    @Test
    void selectPrintsTheCandidatesTableOnTheSharedResNet20() throws Exception {
        CommandLineTest.Run r = run("select", "--model", SharedData.resnet20Th().toString(), "--norm", "cifar",
                "--data", SharedData.cifarTest().toString(), "--calib-data", SharedData.cifarCalib().toString(),
                "--calib-n", "128", "--select-n", "64", "--limit", "200", "--device", "cpu",
                "--candidates", "bn-recal,channel-wise,asr:0.25,asr:1");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        JsonNode c = j.get("candidates");
        assertEquals(4, c.size());
        double minKl = Double.POSITIVE_INFINITY;
        double bestTop1 = 0;
        for (JsonNode k : c) {
            assertFalse(k.has("failed"), k.toString());
            assertTrue(k.get("kl").asDouble() >= 0);
            assertTrue(k.get("agreement").asDouble() <= 1);
            assertTrue(k.has("top1"), "evaluation data with labels gives each candidate's top-1");
            minKl = Math.min(minKl, k.get("kl").asDouble());
            bestTop1 = Math.max(bestTop1, k.get("top1").asDouble());
        }
        JsonNode chosen = j.get("chosen");
        JsonNode row = null;
        for (JsonNode k : c) {
            if (k.get("method").equals(chosen.get("method")) && k.get("lambda").equals(chosen.get("lambda"))) {
                row = k;
            }
        }
        assertTrue(row != null, "the chosen candidate is in the table: " + j);
        assertTrue(row.get("kl").asDouble() <= minKl + 1e-4);
        assertEquals(bestTop1 - row.get("top1").asDouble(), j.get("regret").asDouble(), 1e-12);
        assertEquals(64, j.get("selectN").asInt());
        assertEquals(128, j.get("calibN").asInt());
        assertEquals(200, j.get("n").asInt());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("* ")), r.out());
    }

    @Test
    void selectWithoutEvaluationDataReportsNoTopOne() throws Exception {
        CommandLineTest.Run r = run("select", "--model", "sample-models/resnet20-w0.5-fashion.safetensors",
                "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "48", "--select-n", "32",
                "--device", "cpu", "--candidates", "layer-wise,asr:0.5");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(2, j.get("candidates").size());
        j.get("candidates").forEach(k -> assertFalse(k.has("top1")));
        assertFalse(j.has("regret"));
        assertTrue(j.get("chosen").has("method"));
    }

    @Test
    void repairAutoWritesTheChosenModelAndReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("auto.safetensors");
        Path report = dir.resolve("report.json");
        CommandLineTest.Run r = run("repair", "--method", "auto", "--model", "sample-models/resnet20-w0.5-fashion.safetensors",
                "--data", FASHION + "fashion-test-2000-images-idx3-ubyte.gz",
                "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "48", "--select-n", "32",
                "--limit", "200", "--device", "cpu", "--candidates", "bn-recal,asr:0.25,asr:2",
                "--out", out.toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        JsonNode chosen = j.get("chosen");
        assertEquals(chosen.get("method").asText(), j.get("method").asText());
        JsonNode row = null;
        for (JsonNode k : j.get("candidates")) {
            if (k.get("method").equals(chosen.get("method")) && k.get("lambda").equals(chosen.get("lambda"))) {
                row = k;
            }
        }
        assertTrue(row != null, j.toString());
        assertEquals(row.get("top1").asDouble(), j.get("top1").asDouble(), 0.0);
        assertTrue(j.get("regret").asDouble() >= 0);
        assertTrue(Files.size(out) > 0);
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertEquals(3, rep.get("candidates").size());
        assertEquals(chosen, rep.get("chosen"));
        assertEquals(48, rep.get("statistics").get("calib").get("n").asInt());
        // the exported model re-evaluates to the reported top-1
        CommandLineTest.Run e = run("eval", "--model", out.toString(), "--data", FASHION + "fashion-test-2000-images-idx3-ubyte.gz",
                "--limit", "200", "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        assertEquals(j.get("top1").asDouble(), e.json().get("top1").asDouble(), 1e-9);
    }

    @Test
    void badCandidatesAreAnErrorNamingTheCandidate() {
        CommandLineTest.Run r = run("select", "--model", "sample-models/resnet20-w0.5-fashion.safetensors",
                "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--candidates", "asr:0.25,layer-wise:3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("layer-wise:3"), r.err());
        CommandLineTest.Run tooMany = run("select", "--model", "sample-models/resnet20-w0.5-fashion.safetensors",
                "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "1900", "--select-n", "512");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("selection set of 512"), tooMany.err());
    }
}
