package org.asrworkbench.core.experiments;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table or plot that cannot be written fails alone, naming its file and the reason; no model is run. */
class SweepOutputsFailureTest {
    static final List<SweepRow> ROWS = List.of(
            new SweepRow("m.safetensors", "global-magnitude", 0.8, 0.8, "none", null, 16, "0", 64, 0.5, 0.5, 0.9, 0, 1,
                    "cpu", Map.of(), "all"),
            new SweepRow("m.safetensors", "global-magnitude", 0.8, 0.8, "bn-recal", null, 16, "0", 64, 0.7, 0.5, 0.9, 1,
                    1, "cpu", Map.of(), "all"));

    @Test
    void aFullDiskUnderThePlotNamesThePngAndTheReasonAndKeepsTheTables(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")));
        // the plot's path leads to /dev/full: every write there fails with ENOSPC, as on a full disk
        Path png = Files.createSymbolicLink(dir.resolve("top1-global-magnitude.png"), Path.of("/dev/full"));
        IOException e = assertThrows(IOException.class, () -> SweepOutputs.writeAll(dir, ROWS, Map.of()));
        assertTrue(e.getMessage().contains(png.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(3, Files.readAllLines(dir.resolve("results.csv")).size(), "results.csv has its rows");
        assertTrue(Files.isSymbolicLink(png));
    }

    @Test
    void aDirectoryInThePlotsWayIsNamed(@TempDir Path dir) throws IOException {
        Path png = Files.createDirectories(dir.resolve("top1-global-magnitude.png").resolve("x"));
        IOException e = assertThrows(IOException.class, () -> SweepOutputs.writeAll(dir, ROWS, Map.of()));
        assertTrue(e.getMessage().contains(png.getParent().toString()) && e.getMessage().contains("is a directory"),
                e.getMessage());
        assertEquals(3, Files.readAllLines(dir.resolve("summary.csv")).size());
    }
}
