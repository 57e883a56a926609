package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sweep's results directory: {@code grid.json} (the grid it runs) and one file per finished
 * cell, {@code cells/<id>.json}, written atomically when the cell is complete (done, with its row,
 * or failed, with its error). A cell without a file is missing; re-running the sweep runs the
 * missing and the failed cells only, so a killed sweep loses at most the cells in flight. Several
 * processes (shards) may share one directory.
 */
public final class SweepStore {
    public static final String GRID_FILE = "grid.json";
    public static final String CELLS_DIR = "cells";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a cell file holds; {@code row} is null for a failed cell, {@code error} for a done one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CellRecord(String id, int index, String status, String cell, SweepRow row, String error,
                             String shard, String host, double seconds) {
        public boolean done() {
            return DONE.equals(status);
        }
    }

    /** Counts over a grid: done, failed (with their records) and missing cells. */
    public record Status(int cells, int done, int failed, int missing, List<CellRecord> failures) {
        public boolean complete() {
            return done == cells;
        }
    }

    /** The done rows in grid order and the status they came with. */
    public record Collected(List<SweepRow> rows, Status status) {
    }

    private final Path dir;
    private final Path cells;

    private SweepStore(Path dir) {
        this.dir = dir;
        this.cells = dir.resolve(CELLS_DIR);
    }

    /**
     * Opens (creating) a results directory for {@code grid}: writes {@code grid.json} when absent,
     * and refuses a directory that holds a different grid.
     */
    public static SweepStore open(Path dir, SweepGrid grid) throws IOException {
        SweepStore store = new SweepStore(dir);
        Files.createDirectories(store.cells);
        Path file = dir.resolve(GRID_FILE);
        if (Files.exists(file)) {
            SweepGrid existing = SweepGrid.read(file);
            if (!existing.sameCellsAs(grid)) {
                throw new IOException(file + " holds a different grid; use another results directory");
            }
        } else {
            grid.write(file);
        }
        return store;
    }

    /** The grid of an existing results directory. */
    public static SweepGrid readGrid(Path dir) throws IOException {
        Path file = dir.resolve(GRID_FILE);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "not a sweep results directory (no " + GRID_FILE + ")");
        }
        return SweepGrid.read(file);
    }

    public Path dir() {
        return dir;
    }

    /** The cell's record, if its file exists. */
    public Optional<CellRecord> read(SweepCell cell) throws IOException {
        return read(cells, cell);
    }

    private static Optional<CellRecord> read(Path cellsDir, SweepCell cell) throws IOException {
        Path f = cellsDir.resolve(cell.id() + ".json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(f.toFile(), CellRecord.class));
        } catch (IOException e) {
            throw new IOException(f + ": unreadable cell file (" + e.getMessage() + ")", e);
        }
    }

    public boolean isDone(SweepCell cell) throws IOException {
        return read(cell).map(CellRecord::done).orElse(false);
    }

    public CellRecord recordDone(SweepCell cell, SweepRow row, SweepShard shard, double seconds) throws IOException {
        return write(new CellRecord(cell.id(), cell.index(), DONE, cell.canonical(), row, null, shard.toString(),
                host(), seconds));
    }

    public CellRecord recordFailed(SweepCell cell, Throwable error, SweepShard shard, double seconds)
            throws IOException {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        return write(new CellRecord(cell.id(), cell.index(), FAILED, cell.canonical(), null, message,
                shard.toString(), host(), seconds));
    }

    private CellRecord write(CellRecord r) throws IOException {
        AtomicFiles.writeInSweptDirectory(cells.resolve(r.id() + ".json"), out -> MAPPER.writeValue(out, r));
        return r;
    }

    /**
     * Deletes the temporary cell files that killed writers left ({@link AtomicFiles#removeStaleTemps}:
     * never those of a running writer, so shards sharing the directory do not touch each other's
     * writes). Cell writes do not look for them one by one: that would list the directory at every cell.
     */
    public int removeStaleTemps() throws IOException {
        return AtomicFiles.removeStaleTemps(cells);
    }

    /** Status of the grid over this directory. */
    public Status status(SweepGrid grid) throws IOException {
        return collect(grid, List.of(dir)).status();
    }

    /**
     * The done rows of {@code grid} found in any of {@code dirs} (a cell done in one directory is
     * done), in grid order, with the status.
     */
    public static Collected collect(SweepGrid grid, List<Path> dirs) throws IOException {
        List<SweepRow> rows = new ArrayList<>();
        List<CellRecord> failures = new ArrayList<>();
        int missing = 0;
        for (SweepCell cell : grid.cells()) {
            CellRecord found = null;
            for (Path d : dirs) {
                Optional<CellRecord> r = read(d.resolve(CELLS_DIR), cell);
                if (r.isPresent() && (found == null || r.get().done())) {
                    found = r.get();
                }
                if (found != null && found.done()) {
                    break;
                }
            }
            if (found == null) {
                missing++;
            } else if (found.done()) {
                rows.add(found.row());
            } else {
                failures.add(found);
            }
        }
        return new Collected(rows, new Status(grid.cellCount(), rows.size(), failures.size(), missing, failures));
    }

    /**
     * The rows of a results directory: its done cells in grid order when it holds
     * {@code grid.json} (a finished, running or merged sweep), else the rows of its
     * {@code results.json} (a sweep written before cells were kept).
     */
    public static List<SweepRow> readRows(Path dir) throws IOException {
        if (Files.exists(dir.resolve(GRID_FILE))) {
            return collect(readGrid(dir), List.of(dir)).rows();
        }
        Path results = dir.resolve("results.json");
        if (!Files.exists(results)) {
            throw new NoSuchFileException(dir.toString(), null, "not a sweep results directory (neither "
                    + GRID_FILE + " nor results.json)");
        }
        JsonNode rows = MAPPER.readTree(results.toFile()).get("rows");
        if (rows == null || !rows.isArray()) {
            throw new IOException(results + ": no 'rows' array");
        }
        List<SweepRow> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(MAPPER.treeToValue(r, SweepRow.class));
        }
        return out;
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "unknown";
            }
        }
        return h;
    }
}
