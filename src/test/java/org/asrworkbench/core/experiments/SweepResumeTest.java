package org.asrworkbench.core.experiments;

import ai.djl.Device;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.stats.SequentialPass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume after a kill, shards merged, failed cells recorded and redone: on the bundled
 * ResNet-20 (w0.5, Fashion-MNIST) with a tiny calibration set and evaluation limit.
 */
class SweepResumeTest {
    static final String MODEL = "sample-models/resnet20-w0.5-fashion.safetensors";
    static final String TEST = "sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz";
    static final String CALIB = "sample-models/fashion-mnist/fashion-calib-2000-images-idx3-ubyte.gz";
    static final Sweep.Settings SETTINGS = new Sweep.Settings(new SequentialPass.Config(64, 256L << 20), Device.cpu(), 64);

    static SweepGrid grid(String model) {
        return new SweepGrid(List.of(new SweepModel(model, null, null, TEST, CALIB, null, 64)),
                List.of(PruneKind.GLOBAL_MAGNITUDE), List.of(0.8),
                List.of(RepairMethod.NONE, RepairMethod.BN_RECAL, RepairMethod.ASR), List.of(0.25), List.of(16),
                List.of("0", "1"));
    }

    static Sweep.Outcome run(SweepGrid grid, SweepShard shard, Path dir, List<String> ranIds) throws IOException {
        return Sweep.run(grid, shard, SweepStore.open(dir, grid), SETTINGS, Progress.NONE,
                (cell, rec) -> ranIds.add(cell.id()));
    }

    /** A row without its timings, which differ from run to run. */
    static SweepRow untimed(SweepRow r) {
        return new SweepRow(r.model(), r.prune(), r.sparsity(), r.sparsityAchieved(), r.method(), r.lambda(), r.calibN(),
                r.calibSeed(), r.n(), r.top1(), r.top1Pruned(), r.top1Dense(), 0, 0, r.device());
    }

    static List<String> untimedCsv(Path file) throws IOException {
        // drop passSeconds and evalSeconds (columns 13 and 14)
        return Files.readAllLines(file).stream().map(l -> {
            String[] f = l.split(",", -1);
            List<String> keep = new ArrayList<>(List.of(f));
            keep.remove(13);
            keep.remove(12);
            return String.join(",", keep);
        }).toList();
    }

    @Test
    void rerunAfterAKillRunsOnlyTheRestAndShardsMergeToTheSameTables(@TempDir Path tmp) throws IOException {
        SweepGrid grid = grid(MODEL);
        List<SweepCell> cells = grid.cells();
        Path single = tmp.resolve("single");
        List<String> ran = new ArrayList<>();
        Sweep.Outcome first = run(grid, SweepShard.ALL, single, ran);
        assertEquals(new Sweep.Outcome(6, 0, 6, 0), first);
        assertEquals(cells.stream().map(SweepCell::id).toList(), ran, "cells run in grid order");
        List<SweepRow> rows = SweepStore.collect(grid, List.of(single)).rows();
        SweepOutputs.writeAll(single, grid, rows);

        // simulate a kill: two cells lost their files, one of them left a partial temporary file
        Path cellsDir = single.resolve(SweepStore.CELLS_DIR);
        byte[] kept = Files.readAllBytes(cellsDir.resolve(cells.get(0).id() + ".json"));
        Files.delete(cellsDir.resolve(cells.get(2).id() + ".json"));
        Files.delete(cellsDir.resolve(cells.get(5).id() + ".json"));
        Path partial = cellsDir.resolve("." + cells.get(5).id() + ".json.12345.tmp");
        Files.writeString(partial, "{\"id\" : \"" + cells.get(5).id() + "\", \"sta");
        // an hour old: a temporary file without a pid counts as a live writer's for AtomicFiles.STALE_AFTER
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(java.time.Duration.ofHours(1))));
        assertEquals(4, SweepStore.open(single, grid).status(grid).done());
        assertEquals(2, SweepStore.open(single, grid).status(grid).missing());

        ran.clear();
        Sweep.Outcome again = run(grid, SweepShard.ALL, single, ran);
        assertEquals(new Sweep.Outcome(6, 4, 2, 0), again);
        assertEquals(List.of(cells.get(2).id(), cells.get(5).id()), ran, "only the lost cells run again");
        assertFalse(Files.exists(partial), "the stale temporary file is removed");
        assertArrayEquals(kept, Files.readAllBytes(cellsDir.resolve(cells.get(0).id() + ".json")),
                "finished cells are not rewritten");
        assertEquals(rows.stream().map(SweepResumeTest::untimed).toList(),
                SweepStore.collect(grid, List.of(single)).rows().stream().map(SweepResumeTest::untimed).toList());
        try (Stream<Path> files = Files.list(cellsDir)) {
            assertEquals(6, files.count(), "six cell files, no temporary ones");
        }

        // two shards in their own directories, merged
        Path a = tmp.resolve("shard0");
        Path b = tmp.resolve("shard1");
        assertEquals(new Sweep.Outcome(3, 0, 3, 0), run(grid, new SweepShard(0, 2), a, new ArrayList<>()));
        assertEquals(new Sweep.Outcome(3, 0, 3, 0), run(grid, new SweepShard(1, 2), b, new ArrayList<>()));
        assertEquals(3, SweepStore.open(a, grid).status(grid).missing());
        SweepStore.Collected merged = SweepStore.collect(grid, List.of(a, b));
        assertTrue(merged.status().complete());
        Path mergedDir = tmp.resolve("merged");
        SweepOutputs.writeAll(mergedDir, grid, merged.rows());
        assertEquals(untimedCsv(single.resolve("results.csv")), untimedCsv(mergedDir.resolve("results.csv")));
        assertEquals(Files.readAllLines(single.resolve("summary.csv")), Files.readAllLines(mergedDir.resolve("summary.csv")));
        assertTrue(Files.size(mergedDir.resolve("top1-global-magnitude.png")) > 10_000);
    }

    @Test
    void failedCellsAreRecordedReportedAndRedone(@TempDir Path tmp) throws IOException {
        SweepGrid broken = grid("sample-models/no-such-model.safetensors");
        Sweep.Outcome o = run(broken, SweepShard.ALL, tmp, new ArrayList<>());
        assertEquals(new Sweep.Outcome(6, 0, 6, 6), o);
        SweepStore.Status s = SweepStore.open(tmp, broken).status(broken);
        assertEquals(6, s.failed());
        assertEquals(0, s.done());
        assertTrue(s.failures().get(0).error().contains("no-such-model.safetensors"), s.failures().get(0).error());
        assertEquals(new Sweep.Outcome(6, 0, 6, 6), run(broken, SweepShard.ALL, tmp, new ArrayList<>()),
                "failed cells are run again");
    }

    @Test
    void aResultsDirectoryRefusesAnotherGrid(@TempDir Path tmp) throws IOException {
        SweepStore.open(tmp, grid(MODEL));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> SweepStore.open(tmp, grid("other.safetensors")));
        assertTrue(e.getMessage().contains("different grid"), e.getMessage());
    }

    @Test
    void aListenerFailureAfterACellIsRecordedNeverTurnsTheCellIntoAFailedOne(@TempDir Path tmp) throws IOException {
        SweepGrid grid = grid(MODEL);
        IOException tablesFailed = new IOException("disk full writing the tables");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Sweep.run(grid,
                SweepShard.ALL, SweepStore.open(tmp, grid), SETTINGS, Progress.NONE, (cell, rec) -> {
                    throw tablesFailed;
                }));
        assertEquals(tablesFailed, e, "the listener's failure is reported as it is");
        SweepStore.Status s = SweepStore.open(tmp, grid).status(grid);
        assertEquals(1, s.done(), "the first cell was computed and stays done");
        assertEquals(0, s.failed(), "no cell is rewritten as failed");
    }
}
