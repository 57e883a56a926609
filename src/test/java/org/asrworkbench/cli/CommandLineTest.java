package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end on the shared ResNet-20, reading the last stdout line as JSON. */
class CommandLineTest {
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            List<String> lines = out.lines().toList();
            return new ObjectMapper().readTree(lines.get(lines.size() - 1));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AsrCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String model() {
        return SharedData.resnet20Th().toString();
    }

    @Test
    void infoDescribesTheArchitecture() throws Exception {
        Run r = run("info", "--model", model(), "--norm", "cifar");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("resnet20", j.get("arch").asText());
        assertEquals(269722, j.get("parameters").asLong());
        assertEquals(19, j.get("units").asInt());
        assertTrue(j.get("detected").asBoolean());
        assertEquals("weights", j.get("archSource").asText());
        assertTrue(r.out().contains("\nresnet20-12fca82f.th: resnet20 (detected from the weights), "), r.out());
    }

    @Test
    void infoSaysTheArchitectureCameFromTheSidecar() throws Exception {
        Run r = run("info", "--model", "sample-models/mobilenet_v2-cifar-w0.5-fashion.safetensors");
        assertEquals(0, r.code(), r.err());
        assertEquals("sidecar", r.json().get("archSource").asText());
        assertTrue(r.out().contains("\nmobilenet_v2-cifar-w0.5-fashion.safetensors: mobilenet_v2-cifar-w0.5 (from the sidecar), "),
                r.out());
    }

    @Test
    void evalPrintsTopOneAndDevice() throws Exception {
        Run r = run("eval", "--model", model(), "--norm", "cifar", "--data", SharedData.cifarTest().toString(),
                "--limit", "2000", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals(0.809, j.get("top1").asDouble(), 1e-9);
        assertEquals(2000, j.get("n").asInt());
        assertEquals("cpu", j.get("device").asText());
        assertTrue(j.get("imagesPerSecond").asDouble() > 0);
        assertTrue(!j.has("top5"), "no top-5 for 10 classes");
    }

    @Test
    void evalWritesEveryImagesLogitsConsistentWithTopOne(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("logits.csv");
        Run r = run("eval", "--model", "sample-models/resnet20-w0.5-fashion.safetensors", "--data",
                "sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz", "--limit", "300",
                "--batch-size", "128", "--device", "cpu", "--logits", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("index,label,predicted,logit0,logit1,logit2,logit3,logit4,logit5,logit6,logit7,logit8,logit9",
                lines.get(0));
        assertEquals(301, lines.size(), "a line per image over three batches, the last one partial");
        int correct = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertEquals(i - 1, Integer.parseInt(f[0]));
            int argmax = 0;
            for (int j = 1; j < 10; j++) {
                if (Float.parseFloat(f[3 + j]) > Float.parseFloat(f[3 + argmax])) {
                    argmax = j;
                }
            }
            assertEquals(argmax, Integer.parseInt(f[2]), lines.get(i));
            correct += f[1].equals(f[2]) ? 1 : 0;
        }
        assertEquals(r.json().get("top1").asDouble(), correct / 300.0, 1e-12);
    }

    @Test
    void repairWritesModelAndReportThatReloads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("repaired.safetensors");
        Path report = dir.resolve("report.json");
        Run r = run("repair", "--model", model(), "--norm", "cifar", "--data", SharedData.cifarTest().toString(),
                "--calib-data", SharedData.cifarCalib().toString(), "--calib-n", "128", "--limit", "500",
                "--method", "asr", "--lambda", "0.5", "--out", out.toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("asr", j.get("method").asText());
        assertEquals(0.5, j.get("lambda").asDouble());
        assertEquals(0.8999985093315843, j.get("sparsityAchieved").asDouble(), 1e-12);
        assertTrue(j.get("top1").asDouble() > j.get("top1Pruned").asDouble() + 0.1, "repair helps at 0.9");
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        assertEquals(19, rep.get("statistics").get("units").size());
        assertEquals(19, rep.get("repair").get("units").size());
        // the exported model is an ordinary network again: evaluating it gives the repaired top-1
        Run e = run("eval", "--model", out.toString(), "--data", SharedData.cifarTest().toString(), "--limit", "500");
        assertEquals(0, e.code(), e.err());
        assertEquals(j.get("top1").asDouble(), e.json().get("top1").asDouble(), 1e-9);
    }

    @Test
    void errorsGoToStderrWithNonZeroExit(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        Run r = run("info", "--model", bad.toString(), "--norm", "cifar");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("broken.safetensors"), r.err());
        Run missing = run("eval", "--model", model(), "--norm", "cifar");
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("--data"), missing.err());
        Run mismatch = run("eval", "--model", model(), "--norm", "fashion-mnist", "--data",
                SharedData.cifarTest().toString());
        assertNotEquals(0, mismatch.code());
        assertTrue(mismatch.err().contains("channel"), mismatch.err());
    }

    @Test
    void sweepWritesTablesAndPlot(@TempDir Path dir) throws Exception {
        Run r = run("sweep", "--model", model(), "--norm", "cifar", "--data", SharedData.cifarTest().toString(),
                "--calib-data", SharedData.cifarCalib().toString(), "--calib-n", "64", "--limit", "200",
                "--sparsities", "0.9", "--methods", "none,bn-recal,asr", "--lambdas", "0.25,4", "--seeds", "0,1",
                "--out-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(8, r.json().get("cells").asInt());
        assertEquals(9, Files.readAllLines(dir.resolve("results.csv")).size());
        assertEquals(5, Files.readAllLines(dir.resolve("summary.csv")).size());
        assertTrue(Files.size(dir.resolve("top1-global-magnitude.png")) > 10_000);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        // the markdown table of the same sweep: one line for the one sparsity, its cells the summary's means
        Run t = run("sweep", "table", dir.toString(), "--series", "none;asr (lambda 0.25);channel-wise", "--std",
                "--digits", "2");
        assertEquals(0, t.code(), t.err());
        List<String> lines = t.out().lines().toList();
        assertEquals(3, lines.size(), t.out());
        assertEquals("| model | pruning | sparsity | dense | `none` | `asr (lambda 0.25)` | `channel-wise` |", lines.get(0));
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        String[] asr = summary.stream().filter(l -> l.contains("\"asr (lambda 0.25)\"")).findFirst().orElseThrow().split(",");
        String mean = String.format(java.util.Locale.ROOT, "%.2f", 100 * Double.parseDouble(asr[5]));
        assertTrue(lines.get(2).startsWith("| resnet20 | global-magnitude | 0.9 |"), lines.get(2));
        assertTrue(lines.get(2).matches(".*\\| " + mean + " ± \\d+\\.\\d\\d \\| – \\|"), lines.get(2));
    }
}
