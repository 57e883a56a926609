package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.asrworkbench.core.model.SampleModels;
import org.asrworkbench.testing.OnnxFixtures;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command that opens a model takes {@code .onnx}, end to end: on the committed BN-kept
 * export of the bundled ResNet-20 sample, and (where {@code ../shared} and the generated
 * fixtures exist) on the BN-kept export of the shared CIFAR ResNet-20, with the numbers of the
 * same network's safetensors for the same settings. A model without a sidecar needs
 * {@code --norm}, and every command says so.
 */
class OnnxCliEndToEndTest {
    static final Path BN = OnnxFixtures.committed("resnet20-w0.5-fashion-bn.onnx");
    static final SampleModels.Sample SAMPLE = SampleModels.defaultSample().orElseThrow();

    @TempDir
    Path tmp;

    /** The sample's data, a small calibration set and evaluation subset (sparsity 0.7 but in a sweep), for either file. */
    private static List<String> sampleArgs(String command, Path model, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--model", model.toString(), "--data",
                SAMPLE.evalImages().toString(), "--calib-data", SAMPLE.calibImages().toString(), "--limit", "200",
                "--calib-n", "96"));
        if (!command.equals("sweep")) {
            a.addAll(List.of("--sparsity", "0.7"));
        }
        a.addAll(List.of(more));
        return a;
    }

    private static JsonNode ok(List<String> args) throws Exception {
        CommandLineTest.Run r = CommandLineTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), args + "\n" + r.err());
        return r.json();
    }

    @Test
    void infoNamesTheModelByItsFileNotTheExportersGraphName() throws Exception {
        JsonNode j = ok(List.of("info", "--model", BN.toString()));
        assertEquals("resnet20-w0.5-fashion-bn", j.get("arch").asText());
        assertEquals("torch_jit", j.get("properties").get("graphName").asText());
    }

    @Test
    void repairGivesTheSafetensorsFigures() throws Exception {
        for (String method : new String[] {"asr", "bn-recal"}) {
            JsonNode onnx = ok(sampleArgs("repair", BN, "--method", method));
            JsonNode st = ok(sampleArgs("repair", SAMPLE.model(), "--method", method));
            for (String f : new String[] {"sparsityAchieved", "top1Dense", "top1Pruned", "top1"}) {
                assertEquals(st.get(f).asDouble(), onnx.get(f).asDouble(), 1e-12, method + " " + f);
            }
            assertEquals(0, onnx.get("emptiedLayers").size());
        }
    }

    @Test
    void selectChoosesAsOnTheSafetensors() throws Exception {
        String[] opts = {"--candidates", "none,bn-recal,asr:0.25", "--select-n", "64"};
        JsonNode onnx = ok(sampleArgs("select", BN, opts));
        JsonNode st = ok(sampleArgs("select", SAMPLE.model(), opts));
        assertEquals(st.get("chosen").toString(), onnx.get("chosen").toString());
        assertEquals(3, onnx.get("candidates").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(st.get("candidates").get(i).get("kl").asDouble(), onnx.get("candidates").get(i).get("kl").asDouble(),
                    1e-9, "candidate " + i);
            assertEquals(st.get("candidates").get(i).get("top1").asDouble(),
                    onnx.get("candidates").get(i).get("top1").asDouble(), 1e-12, "candidate " + i);
        }
    }

    @Test
    void sweepRunsASmallGridAsOnTheSafetensorsAndResumes() throws Exception {
        String[] grid = {"--sparsities", "0.5,0.8", "--methods", "none,asr"};
        Path dir = tmp.resolve("onnx-sweep");
        JsonNode onnx = ok(sampleArgs("sweep", BN, concat(grid, "--out-dir", dir.toString())));
        JsonNode st = ok(sampleArgs("sweep", SAMPLE.model(), concat(grid, "--out-dir", tmp.resolve("st").toString())));
        assertEquals(4, onnx.get("ran").asInt());
        assertEquals(4, onnx.get("done").asInt());
        for (int i = 0; i < 4; i++) {
            JsonNode a = onnx.get("summary").get(i);
            JsonNode b = st.get("summary").get(i);
            assertEquals("resnet20-w0.5-fashion-bn.onnx", a.get("model").asText());
            assertEquals(b.get("series").asText(), a.get("series").asText());
            assertEquals(b.get("sparsity").asDouble(), a.get("sparsity").asDouble());
            assertEquals(b.get("top1Mean").asDouble(), a.get("top1Mean").asDouble(), 1e-12, a.toString());
            assertEquals(b.get("top1Pruned").asDouble(), a.get("top1Pruned").asDouble(), 1e-12, a.toString());
        }
        assertTrue(Files.isRegularFile(dir.resolve("results.csv")) && Files.isRegularFile(dir.resolve("summary.csv")));
        try (var cells = Files.list(dir.resolve("cells"))) {
            assertEquals(4, cells.count());
        }

        JsonNode again = ok(sampleArgs("sweep", BN, concat(grid, "--out-dir", dir.toString())));
        assertEquals(4, again.get("skipped").asInt(), "the results directory resumes: " + again);
        assertEquals(0, again.get("ran").asInt());
        assertEquals(onnx.get("summary"), again.get("summary"));
    }

    @Test
    void benchTakesTheOnnxModelForEveryWhat() throws Exception {
        String[] small = {"--rounds", "1"};
        JsonNode forward = ok(List.of("bench", "--what", "forward", "--model", BN.toString(), "--data",
                SAMPLE.evalImages().toString(), "--limit", "128", "--rounds", "1"));
        assertTrue(forward.get("plain").asText().startsWith("none"), forward.toString());
        assertFalse(forward.has("plainImagesPerSecond"));
        assertTrue(forward.get("graphImagesPerSecond").asDouble() > 0, forward.toString());

        JsonNode pass = ok(sampleArgs("bench", BN, concat(small, "--what", "pass")));
        assertEquals(19, pass.get("units").asInt());
        assertTrue(pass.get("cachedStatisticsIdentical").asBoolean(), pass.toString());

        JsonNode estimate = ok(sampleArgs("bench", BN, concat(small, "--what", "estimate")));
        assertEquals("resnet20-w0.5-fashion-bn", estimate.get("arch").asText());

        JsonNode auto = ok(sampleArgs("bench", BN, concat(small, "--what", "auto", "--candidates", "bn-recal,asr:0.25",
                "--select-n", "32")));
        assertEquals(2, auto.get("candidates").asInt());

        JsonNode onnx = ok(sampleArgs("bench", BN, concat(small, "--what", "onnx", "--reference",
                SAMPLE.model().toString())));
        assertTrue(onnx.get("onnxOverReferenceTime").asDouble() > 0, onnx.toString());
    }

    @Test
    void forwardBenchKeepsThePlainLoopForTheCifarResNet() throws Exception {
        JsonNode j = ok(List.of("bench", "--what", "forward", "--model", SharedData.resnet20Safetensors().toString(),
                "--norm", "cifar", "--data", SharedData.cifarTest().toString(), "--limit", "128", "--rounds", "1"));
        assertEquals("cifar-resnet20", j.get("plain").asText());
        assertTrue(j.get("plainImagesPerSecond").asDouble() > 0 && j.get("graphOverPlainTime").asDouble() > 0, j.toString());
    }

    /** Every command that opens a model, as a user would call it on a bare {@code .onnx}. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"info", "eval", "prune", "repair", "select", "sweep", "bench"})
    void withoutSidecarEveryCommandAsksForNorm(String command) throws Exception {
        Path bare = tmp.resolve("bare.onnx");
        Files.copy(BN, bare);
        List<String> args = switch (command) {
            case "info" -> new ArrayList<>(List.of("info", "--model", bare.toString()));
            case "prune" -> new ArrayList<>(List.of("prune", "--model", bare.toString(), "--sparsity", "0.5"));
            case "eval" -> new ArrayList<>(List.of("eval", "--model", bare.toString(), "--data",
                    SAMPLE.evalImages().toString(), "--limit", "50"));
            case "sweep" -> sampleArgs("sweep", bare, "--sparsities", "0.5", "--methods", "none", "--out-dir",
                    tmp.resolve("sw").toString());
            case "bench" -> sampleArgs("bench", bare, "--what", "pass", "--rounds", "1");
            case "select" -> sampleArgs("select", bare, "--candidates", "bn-recal", "--select-n", "32");
            default -> sampleArgs(command, bare);
        };
        CommandLineTest.Run r = CommandLineTest.run(args.toArray(String[]::new));
        assertNotEquals(0, r.code(), r.out());
        String said = r.err() + (command.equals("sweep") ? Files.readString(onlyCell(tmp.resolve("sw"))) : "");
        assertTrue(said.contains(bare + ": no normalisation given and no sidecar " + tmp.resolve("bare.json"))
                && said.contains("pass --norm (cifar, imagenet, fashion-mnist, or a JSON file)"), said);

        args.addAll(List.of("--norm", "fashion-mnist"));
        if (command.equals("sweep")) {
            args.set(args.indexOf(tmp.resolve("sw").toString()), tmp.resolve("sw-norm").toString());
        }
        CommandLineTest.Run fixed = CommandLineTest.run(args.toArray(String[]::new));
        assertEquals(0, fixed.code(), "with --norm: " + fixed.err());
    }

    private static Path onlyCell(Path sweepDir) throws Exception {
        try (var cells = Files.list(sweepDir.resolve("cells"))) {
            List<Path> all = cells.toList();
            assertEquals(1, all.size());
            return all.get(0);
        }
    }

    /**
     * The BN-kept export of the shared CIFAR ResNet-20 gives the figures of its safetensors in
     * eval, repair, select and a sweep cell (the export's sidecar holds the {@code cifar} preset).
     */
    @Test
    void sharedResNet20ExportGivesTheSafetensorsFigures() throws Exception {
        OnnxFixtures.generated();
        Path onnx = OnnxFixtures.GENERATED.resolve("shared-resnet20-bn.onnx");
        String st = SharedData.resnet20Safetensors().toString();
        String[] eval = {"--data", SharedData.cifarTest().toString(), "--limit", "100"};
        String[] data = concat(eval, "--calib-data", SharedData.cifarCalib().toString(), "--calib-n", "64");
        JsonNode e1 = ok(List.of(concat(new String[] {"eval", "--model", onnx.toString()}, eval)));
        JsonNode e2 = ok(List.of(concat(new String[] {"eval", "--model", st, "--norm", "cifar"}, eval)));
        assertEquals(e2.get("top1").asDouble(), e1.get("top1").asDouble(), 1e-12);

        String[] repair = concat(data, "--sparsity", "0.8");
        JsonNode r1 = ok(List.of(concat(new String[] {"repair", "--model", onnx.toString()}, repair)));
        JsonNode r2 = ok(List.of(concat(new String[] {"repair", "--model", st, "--norm", "cifar"}, repair)));
        for (String f : new String[] {"sparsityAchieved", "top1Dense", "top1Pruned", "top1"}) {
            assertEquals(r2.get(f).asDouble(), r1.get(f).asDouble(), 1e-12, f);
        }

        String[] select = concat(repair, "--candidates", "bn-recal,asr:0.5", "--select-n", "32");
        JsonNode s1 = ok(List.of(concat(new String[] {"select", "--model", onnx.toString()}, select)));
        JsonNode s2 = ok(List.of(concat(new String[] {"select", "--model", st, "--norm", "cifar"}, select)));
        assertEquals(s2.get("chosen").toString(), s1.get("chosen").toString());
        assertEquals(s2.get("candidates").get(1).get("kl").asDouble(), s1.get("candidates").get(1).get("kl").asDouble(),
                1e-9);

        String[] sweep = concat(data, "--sparsities", "0.8", "--methods", "asr");
        JsonNode w1 = ok(List.of(concat(new String[] {"sweep", "--model", onnx.toString(), "--out-dir",
            tmp.resolve("a").toString()}, sweep)));
        JsonNode w2 = ok(List.of(concat(new String[] {"sweep", "--model", st, "--norm", "cifar", "--out-dir",
            tmp.resolve("b").toString()}, sweep)));
        assertEquals(w2.get("summary").get(0).get("top1Mean").asDouble(), w1.get("summary").get(0).get("top1Mean").asDouble(),
                1e-12);
        assertEquals(r1.get("top1").asDouble(), w1.get("summary").get(0).get("top1Mean").asDouble(), 1e-12,
                "the sweep cell is the repair command's run");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
