package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.asrworkbench.cli.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published baselines and rule files on the command line, on the bundled Fashion-MNIST sample. */
class MethodsCommandTest {
    private static final String MODEL = "sample-models/resnet20-w0.5-fashion.safetensors";
    private static final String FASHION = "sample-models/fashion-mnist/";
    private static final String[] DATA = {"--model", MODEL, "--data", FASHION + "fashion-test-2000-images-idx3-ubyte.gz",
        "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "48", "--limit", "200",
        "--device", "cpu", "--sparsity", "0.8"};

    private static CommandLineTest.Run repair(String... more) {
        String[] args = new String[1 + DATA.length + more.length];
        args[0] = "repair";
        System.arraycopy(DATA, 0, args, 1, DATA.length);
        System.arraycopy(more, 0, args, 1 + DATA.length, more.length);
        return run(args);
    }

    @Test
    void statCorrAndBiasCorrRepair() throws Exception {
        CommandLineTest.Run r = repair("--method", "stat-corr");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("stat-corr", j.get("method").asText());
        assertTrue(j.get("params").isObject() && j.get("params").isEmpty());
        assertFalse(j.has("lambda"), "stat-corr has no lambda");
        CommandLineTest.Run b = repair("--method", "bias-corr");
        assertEquals(0, b.code(), b.err());
        assertEquals("bias-corr", b.json().get("method").asText());
        CommandLineTest.Run wrong = repair("--method", "stat-corr", "--lambda", "0.5");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("stat-corr has no parameter 'lambda'"), wrong.err());
    }

    @Test
    void aRuleFileRepairsAsTheBuiltInItWrites(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        CommandLineTest.Run rule = repair("--method", "rule:rules/asr.json", "--param", "lambda=0.5", "--report",
                report.toString());
        assertEquals(0, rule.code(), rule.err());
        CommandLineTest.Run builtin = repair("--method", "asr", "--lambda", "0.5");
        assertEquals(0, builtin.code(), builtin.err());
        JsonNode j = rule.json();
        assertEquals("rule:asr-as-rule", j.get("method").asText());
        assertEquals(0.5, j.get("params").get("lambda").asDouble());
        assertEquals(0.5, j.get("lambda").asDouble());
        assertEquals(builtin.json().get("top1").asDouble(), j.get("top1").asDouble());
        // the let values per channel, beside the statistics and in the repair
        JsonNode rep = new ObjectMapper().readTree(report.toFile());
        JsonNode unit = rep.get("statistics").get("units").get(3);
        assertEquals(unit.get("s2_d").size(), unit.get("t").size());
        assertEquals(unit.get("s2_d").size(), unit.get("w").size());
        assertEquals(unit.get("w"), rep.get("repair").get("units").get(3).get("w"));
        assertEquals(0.5, rep.get("statistics").get("params").get("lambda").asDouble());
    }

    @Test
    void aHostileRuleIsRefusedNamingFileExpressionAndPosition(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("evil.json");
        Files.writeString(f, "{\"name\": \"evil\", \"gain\": \"java.lang.Runtime.getRuntime().exec(1)\"}");
        CommandLineTest.Run r = repair("--method", "rule:" + f);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(f + ": gain: ") && r.err().contains("at column 5"), r.err());
    }

    @Test
    void sweepsCrossEveryParameterOfEveryMethodAndResume(@TempDir Path dir) throws Exception {
        String[] args = {"sweep", "--model", MODEL, "--data", FASHION + "fashion-test-2000-images-idx3-ubyte.gz",
            "--calib-data", FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "48", "--limit", "100",
            "--device", "cpu", "--sparsities", "0.8", "--methods", "stat-corr,asr,rule:rules/clamped-channel-wise.json",
            "--lambdas", "0.5", "--param", "limit=2,4", "--out-dir", dir.toString()};
        CommandLineTest.Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals(4, r.json().get("cells").asInt(), "stat-corr, asr at one lambda, the rule at two limits");
        String csv = Files.readString(dir.resolve("results.csv"));
        assertTrue(csv.contains("rule:clamped-channel-wise,,") && csv.contains("limit=2.0") && csv.contains("limit=4.0"), csv);
        assertTrue(Files.readString(dir.resolve("summary.csv")).contains("\"rule:clamped-channel-wise (limit 4)\""));
        CommandLineTest.Run again = run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("4 done") || again.out().contains("\"skipped\":4"), again.out() + again.err());
    }

    @Test
    void autoTakesNamedCandidatesAfterTheDefaultList() throws Exception {
        CommandLineTest.Run r = run("select", "--model", MODEL, "--calib-data",
                FASHION + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "48", "--select-n", "32", "--device",
                "cpu", "--candidates", "default,stat-corr,rule:rules/asr.json:lambda=0.3");
        assertEquals(0, r.code(), r.err());
        JsonNode c = r.json().get("candidates");
        assertEquals(11, c.size());
        assertEquals("stat-corr", c.get(9).get("method").asText());
        assertEquals("rule:asr-as-rule", c.get(10).get("method").asText());
        assertEquals(0.3, c.get(10).get("params").get("lambda").asDouble());
        assertTrue((r.out() + r.err()).contains("rule:asr-as-rule"), r.out() + r.err());
    }
}
