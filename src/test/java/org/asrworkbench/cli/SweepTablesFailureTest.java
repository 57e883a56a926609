package org.asrworkbench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sweep whose plot cannot be written keeps every computed cell and says which file failed and why. */
class SweepTablesFailureTest {
    @Test
    void aPlotThatCannotBeWrittenKeepsTheCellsAndNamesTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sweep");
        Path png = Files.createDirectories(out.resolve("top1-global-magnitude.png").resolve("in-the-way"))
                .getParent();
        CommandLineTest.Run r = CommandLineTest.run("sweep", "--model", OutputClashTest.MODEL, "--data",
                OutputClashTest.TEST, "--calib-data", OutputClashTest.CALIB, "--limit", "16", "--calib-n", "16",
                "--sparsities", "0.8", "--methods", "none,bn-recal", "--device", "cpu", "--out-dir", out.toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("FAILED"), r.err());
        assertTrue(r.err().contains(png.toString()) && r.err().contains("is a directory"), r.err());
        assertTrue(r.err().contains("sweep merge"), r.err());
        assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size(), "results.csv holds both cells");
        CommandLineTest.Run status = CommandLineTest.run("sweep", "status", out.toString());
        assertEquals(2, status.json().get("done").asInt(), status.out());
        assertEquals(0, status.json().get("failed").asInt(), status.out());
    }
}
