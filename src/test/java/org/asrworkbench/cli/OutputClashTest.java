package org.asrworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two outputs of one command that are the same file (or an output that is one of its inputs) are
 * refused before any work, on the bundled ResNet-20 sample: nothing is loaded, run or written.
 */
class OutputClashTest {
    static final String MODEL = "sample-models/resnet20-w0.5-fashion.safetensors";
    static final String TEST = "sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz";
    static final String CALIB = "sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz";

    @TempDir
    Path dir;

    private static CommandLineTest.Run repair(String... outputs) {
        String[] base = {"repair", "--model", MODEL, "--data", TEST, "--calib-data", CALIB, "--limit", "16",
            "--calib-n", "16", "--method", "bn-recal", "--device", "cpu", "--no-dense-eval"};
        String[] args = new String[base.length + outputs.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(outputs, 0, args, base.length, outputs.length);
        return CommandLineTest.run(args);
    }

    private static void refused(CommandLineTest.Run r, String... words) {
        assertNotEquals(0, r.code(), r.out());
        for (String w : words) {
            assertTrue(r.err().contains(w), r.err());
        }
        assertFalse(r.err().contains("repair:"), "refused before any work: " + r.err());
    }

    @Test
    void repairRefusesAReportThatIsTheModelOutput() throws Exception {
        Path a = dir.resolve("A.safetensors");
        Files.writeString(a, "the user's earlier export");
        refused(repair("--out", a.toString(), "--report", a.toString()), "--report", "--out", "same file",
                a.toString());
        assertEquals("the user's earlier export", Files.readString(a));
    }

    @Test
    void repairRefusesAReportThatIsTheSidecarOfTheModelOutput() throws Exception {
        Path a = dir.resolve("A.safetensors");
        refused(repair("--out", a.toString(), "--report", dir.resolve("A.json").toString()), "--report",
                "sidecar", dir.resolve("A.json").toString());
        assertFalse(Files.exists(a));
    }

    @Test
    void theSameFileIsRecognisedThroughASymlinkAndDotDotBeforeItExists() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), sub);
        refused(repair("--out", sub.resolve("A.safetensors").toString(), "--report",
                link.resolve("../sub/A.json").toString()), "same file");
        refused(repair("--out", sub.resolve("A.safetensors").toString(), "--report",
                link.resolve("A.safetensors").toString()), "same file");
    }

    @Test
    void anOutputThatIsAnInputIsRefused() throws Exception {
        Path data = Files.copy(Path.of(TEST), dir.resolve("test-images-idx3-ubyte.gz")); // a copy: never risk the sample
        byte[] bytes = Files.readAllBytes(data);
        String[] args = {"repair", "--model", MODEL, "--data", data.toString(), "--calib-data", CALIB, "--limit", "16",
            "--calib-n", "16", "--method", "bn-recal", "--device", "cpu", "--no-dense-eval", "--report", data.toString()};
        refused(CommandLineTest.run(args), "--report", "--data", "must not overwrite an input");
        assertArrayEquals(bytes, Files.readAllBytes(data));
    }

    @Test
    void trainRefusesAnOutputInsideItsCheckpoint() throws Exception {
        Path work = dir.resolve("work");
        CommandLineTest.Run r = CommandLineTest.run("train", "--arch", "resnet20-w0.25", "--data", TEST,
                "--epochs", "1", "--device", "cpu", "--work-dir", work.toString(),
                "--out", work.resolve("checkpoint.safetensors").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--out") && r.err().contains("--work-dir") && r.err().contains("same file"),
                r.err());
        assertFalse(Files.exists(work));
    }

    @Test
    void distinctOutputsStillWork() throws Exception {
        CommandLineTest.Run r = repair("--out", dir.resolve("A.safetensors").toString(), "--report",
                dir.resolve("A.report.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("A.safetensors")) && Files.exists(dir.resolve("A.json"))
                && Files.exists(dir.resolve("A.report.json")));
    }

    @Test
    void anOutputInAMissingDirectoryIsRefusedBeforeAnyWork() {
        Path out = dir.resolve("no-such-dir").resolve("A.safetensors");
        refused(repair("--out", out.toString()), "--out " + out + ": the directory " + out.getParent()
                + " does not exist");
    }
}
