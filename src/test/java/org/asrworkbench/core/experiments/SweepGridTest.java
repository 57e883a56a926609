package org.asrworkbench.core.experiments;

import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cell ids, grid order, grid files and shard coverage; no model is loaded. */
class SweepGridTest {
    static SweepGrid grid() {
        return new SweepGrid(List.of(new SweepModel("a.safetensors", null, null, "test", "calib", null, 100),
                new SweepModel("b.safetensors", "resnet20", "cifar", "test", null, "idx", null)),
                List.of(PruneKind.GLOBAL_MAGNITUDE, PruneKind.FILTER_L1), List.of(0.5, 0.9),
                List.of(RepairMethod.NONE, RepairMethod.BN_RECAL, RepairMethod.ASR), List.of(0.25, 4.0),
                List.of(64, 256), List.of("0", "1", "none"));
    }

    @Test
    void cellIdsAreStableAndDistinct() {
        List<SweepCell> a = grid().cells();
        List<SweepCell> b = grid().cells();
        assertEquals(2 * 2 * 2 * 2 * 3 * 4, a.size());
        assertEquals(a.size(), grid().cellCount());
        assertEquals(a, b, "the same grid yields the same cells in the same order");
        Set<String> ids = new HashSet<>();
        a.forEach(c -> ids.add(c.id()));
        assertEquals(a.size(), ids.size(), "ids are distinct");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(i, a.get(i).index());
            assertTrue(a.get(i).id().matches("[0-9a-f]{16}"), a.get(i).id());
        }
        // pinned: an id must not change between versions, or old results directories stop resuming
        // (= the first 16 hex digits of `printf %s CANONICAL | sha256sum`)
        assertEquals("[\"asr-sweep-cell/1\",\"a.safetensors\",null,null,\"test\",\"calib\",null,100,"
                + "\"global-magnitude\",\"0.5\",\"none\",null,64,\"0\"]", a.get(0).canonical());
        assertEquals("2ea0451d0110bce7", a.get(0).id());
    }

    @Test
    void theUnitsAxisChangesIdsOnlyWhereTheUnitsDiffer() {
        // BN-folded: every conv is a virtual unit under --units all; BN kept: both choices give the same units
        SweepModel folded = new SweepModel("src/test/resources/onnx/tiny-cifar-resnet8-optA-folded.onnx", null, null,
                "test", "calib", null, null);
        SweepModel kept = new SweepModel("src/test/resources/onnx/tiny-cifar-resnet8-optA-bn.onnx", null, null,
                "test", "calib", null, null);
        SweepGrid g = new SweepGrid(List.of(folded, kept), List.of(PruneKind.GLOBAL_MAGNITUDE), List.of(0.5),
                List.of(RepairMethod.BN_RECAL), Map.of(), List.of(64), List.of("0"),
                List.of(org.asrworkbench.core.graph.UnitSelection.ALL, org.asrworkbench.core.graph.UnitSelection.BN));
        List<SweepCell> cells = g.cells();
        assertEquals(3, cells.size(), "the BN-kept model's units axis collapses to one cell");
        assertEquals(cells.size(), g.cellCount());
        assertEquals("[\"asr-sweep-cell/1\",\"src/test/resources/onnx/tiny-cifar-resnet8-optA-folded.onnx\",null,null,"
                + "\"test\",\"calib\",null,null,\"global-magnitude\",\"0.5\",\"bn-recal\",null,64,\"0\","
                + "{\"units\":\"all\"}]", cells.get(0).canonical());
        // pinned (= the first 16 hex digits of `printf %s CANONICAL | sha256sum`)
        assertEquals("b4fe632ba311e12d", cells.get(0).id());
        // --units bn cells, and cells of a model without virtual units, keep the ids of earlier versions
        SweepGrid before = new SweepGrid(List.of(folded, kept), g.kinds(), g.sparsities(), g.methods(), Map.of(),
                g.calibNs(), g.seeds(), List.of(org.asrworkbench.core.graph.UnitSelection.BN));
        assertEquals(before.cells().get(0).canonical(), cells.get(1).canonical());
        assertFalse(cells.get(1).canonical().contains("units"));
        assertEquals(before.cells().get(1).id(), cells.get(2).id());
        assertEquals(org.asrworkbench.core.graph.UnitSelection.ALL, cells.get(2).repair().units());
    }

    @Test
    void idsDependOnSettingsNotOnPosition() {
        SweepModel m = new SweepModel("a.safetensors", null, null, "test", "calib", null, 100);
        SweepGrid small = new SweepGrid(List.of(m), List.of(PruneKind.GLOBAL_MAGNITUDE), List.of(0.9),
                List.of(RepairMethod.ASR), List.of(4.0), List.of(64), List.of("1"));
        SweepCell alone = small.cells().get(0);
        SweepCell inBig = grid().cells().stream().filter(c -> c.canonical().equals(alone.canonical())).findFirst()
                .orElseThrow();
        assertEquals(alone.id(), inBig.id());
        assertNotEquals(alone.index(), inBig.index());
        // the limit is part of the model's settings
        SweepGrid other = new SweepGrid(List.of(new SweepModel("a.safetensors", null, null, "test", "calib", null, 99)),
                small.kinds(), small.sparsities(), small.methods(), small.lambdas(), small.calibNs(), small.seeds());
        assertNotEquals(alone.id(), other.cells().get(0).id());
    }

    @Test
    void gridFileRoundTripsAndDefaults(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("grid.json");
        grid().write(f);
        assertEquals(grid(), SweepGrid.read(f));
        Files.writeString(f, "{\"models\": [{\"path\": \"m.safetensors\", \"data\": \"d\"}], \"seeds\": [0, 1]}");
        SweepGrid g = SweepGrid.read(f);
        assertEquals(List.of("0", "1"), g.seeds());
        assertEquals(List.of(1024), g.calibNs());
        assertEquals(5 * 5 * 2, g.cellCount(), "5 sparsities × 5 methods × 2 seeds by default");
        Files.writeString(f, "{\"models\": [{\"path\": \"m.safetensors\"}]}");
        IOException e = assertThrows(IOException.class, () -> SweepGrid.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("data"), e.getMessage());
        Files.writeString(f, "{\"models\": [{\"path\": \"m\", \"data\": \"d\"}], \"sparsities\": [\"x\"]}");
        assertThrows(IOException.class, () -> SweepGrid.read(f));
    }

    @Test
    void everyCellIsInExactlyOneShard() {
        List<SweepCell> cells = grid().cells();
        for (int n : new int[] {1, 2, 3, 7}) {
            int[] seen = new int[cells.size()];
            int largest = 0;
            int smallest = Integer.MAX_VALUE;
            for (int k = 0; k < n; k++) {
                List<SweepCell> mine = new SweepShard(k, n).select(cells);
                assertEquals(mine, new SweepShard(k, n).select(grid().cells()), "deterministic");
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i - 1).index() < mine.get(i).index(), "a shard runs its cells in grid order");
                }
                mine.forEach(c -> seen[c.index()]++);
                largest = Math.max(largest, mine.size());
                smallest = Math.min(smallest, mine.size());
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], "cell " + i + " with N = " + n);
            }
            assertTrue(largest - smallest <= 1, "balanced shards for N = " + n);
        }
    }

    @Test
    void shardsMixCheapAndCostlyCells() {
        // 4 repair settings per group and 2 shards: dealing by grid index would give shard 0 every
        // `none` cell (no pass at all) and shard 1 none of them
        List<SweepCell> cells = grid().cells();
        long none = cells.stream().filter(c -> c.repair().method() == RepairMethod.NONE).count();
        for (int k = 0; k < 2; k++) {
            long mine = new SweepShard(k, 2).select(cells).stream()
                    .filter(c -> c.repair().method() == RepairMethod.NONE).count();
            assertTrue(mine > none / 4 && mine < none * 3 / 4, "shard " + k + " has " + mine + " of " + none + " none cells");
        }
    }

    @Test
    void shardsComeFromOptionsOrTheSlurmEnvironment() {
        assertEquals(new SweepShard(2, 7), SweepShard.parse("2/7"));
        assertThrows(IllegalArgumentException.class, () -> SweepShard.parse("7/7"));
        assertThrows(IllegalArgumentException.class, () -> SweepShard.parse("1"));
        assertEquals(SweepShard.ALL, SweepShard.fromEnvironment(Map.of()));
        assertEquals(new SweepShard(1, 3), SweepShard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "1",
                "SLURM_ARRAY_TASK_COUNT", "3")));
        assertEquals(new SweepShard(0, 3), SweepShard.fromEnvironment(Map.of("SLURM_ARRAY_TASK_ID", "5",
                "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_MIN", "5")));
    }

    /** A grid file with one model and these lists (JSON arrays as text). */
    private static Path gridFile(Path dir, String sparsities, String lambdas, String seeds, String methods)
            throws IOException {
        return Files.writeString(dir.resolve("grid.json"), "{\"models\": [{\"path\": \"no-such.safetensors\","
                + " \"data\": \"test\", \"calibData\": \"calib\"}], \"sparsities\": " + sparsities
                + ", \"lambdas\": " + lambdas + ", \"seeds\": " + seeds + ", \"methods\": " + methods + "}");
    }

    private static String range(int n, java.util.function.IntFunction<String> value) {
        return java.util.stream.IntStream.range(0, n).mapToObj(value).collect(java.util.stream.Collectors.joining(",",
                "[", "]"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aGridOfABillionCellsIsRefusedBeforeExpandingWithItsCount(@TempDir Path dir) throws IOException {
        // 1000 sparsities x 1000 lambdas x 1000 seeds of asr: 10^9 cells from a few kilobytes
        Path file = gridFile(dir, range(1000, i -> Double.toString(i / 1000.0)), range(1000, i -> Double.toString(i + 1)),
                range(1000, i -> "\"" + i + "\""), "[\"asr\"]");
        IOException e = assertThrows(IOException.class, () -> SweepGrid.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("1000000000 cells") && e.getMessage().contains("at most 1000000"),
                e.getMessage());
    }

    @Test
    void aGridBuiltInCodeAboveTheLimitIsRefusedWhenItsCellsAreAskedFor() {
        List<Double> lambdas = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> i + 1.0).toList();
        List<String> seeds = java.util.stream.IntStream.range(0, 1000).mapToObj(Integer::toString).toList();
        SweepGrid g = new SweepGrid(List.of(new SweepModel("no-such.safetensors", null, null, "test", "calib", null, null)),
                List.of(PruneKind.GLOBAL_MAGNITUDE), List.of(0.5), List.of(RepairMethod.ASR), lambdas, List.of(64), seeds);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::cellCount);
        assertTrue(e.getMessage().contains("2000000 cells"), e.getMessage());
        assertThrows(IllegalArgumentException.class, g::cells);
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aMillionCellGridIsCountedWithoutExpandingAndItsCellsComeOnDemand(@TempDir Path dir) throws IOException {
        Path file = gridFile(dir, range(100, i -> Double.toString(i / 100.0)), range(100, i -> Double.toString(i + 1)),
                range(100, i -> "\"" + i + "\""), "[\"asr\"]");
        SweepGrid g = SweepGrid.read(file);
        assertEquals(1_000_000, g.cellCount());
        List<SweepCell> cells = g.cells();
        assertEquals(1_000_000, cells.size());
        SweepCell last = cells.get(999_999);
        assertEquals(999_999, last.index());
        assertEquals(0.99, last.sparsity());
        assertEquals("99", last.seed());
        assertEquals(100.0, last.repair().param("lambda"));
        // the same cell as the nested loops of grid order give it
        assertEquals(g.cells().get(12_345), cells.get(12_345));
    }

    @Test
    void duplicateGridEntriesGiveOneCellPerId(@TempDir Path dir) throws IOException {
        Path file = gridFile(dir, "[0.5, 0.9, 0.5]", "[0.25, 0.25]", "[\"0\", \"0\", \"1\"]",
                "[\"none\", \"asr\", \"none\", \"asr\"]");
        SweepGrid g = SweepGrid.read(file);
        // 2 sparsities x 2 seeds x (none + asr at one lambda)
        assertEquals(8, g.cellCount());
        List<SweepCell> cells = g.cells();
        assertEquals(8, cells.size());
        assertEquals(8, cells.stream().map(SweepCell::id).distinct().count(), "one cell per id");
        assertEquals(List.of(0.5, 0.9), g.sparsities());
    }
}
