package org.asrworkbench.core.experiments;

import java.util.List;
import java.util.Map;

/**
 * A deterministic share of a sweep's cells. The cells are ranked by id (a hash of their settings,
 * so the ranking is a fixed pseudo-random permutation of the grid) and dealt round-robin: shard
 * {@code index} of {@code count} gets the cells whose rank is {@code index} modulo {@code count}.
 * Every cell is in exactly one shard, shard sizes differ by at most one, and each shard gets a
 * random mix of cheap and costly cells (dealing by grid index would give one shard every
 * {@code none} cell when the number of repair settings is a multiple of {@code count}).
 */
public record SweepShard(int index, int count) {
    /** Every cell in one process. */
    public static final SweepShard ALL = new SweepShard(0, 1);

    public SweepShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be K/N with 0 <= K < N, not " + index + "/" + count);
        }
    }

    /** Parses {@code K/N}. */
    public static SweepShard parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new SweepShard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("shard must be K/N (e.g. 0/4), not '" + text + "'");
    }

    /**
     * The shard of a Slurm array task: {@code SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN} of
     * {@code SLURM_ARRAY_TASK_COUNT}; {@link #ALL} outside an array job.
     */
    public static SweepShard fromEnvironment(Map<String, String> env) {
        String id = env.get("SLURM_ARRAY_TASK_ID");
        String count = env.get("SLURM_ARRAY_TASK_COUNT");
        if (id == null || count == null) {
            return ALL;
        }
        int min = Integer.parseInt(env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0"));
        return new SweepShard(Integer.parseInt(id) - min, Integer.parseInt(count));
    }

    /** This shard's cells, in grid order. */
    public List<SweepCell> select(List<SweepCell> cells) {
        if (count == 1) {
            return cells;
        }
        // rank by (id, index) holding only the ids (16 hex digits: an unsigned long each) and positions
        int n = cells.size();
        long[] ids = new long[n];
        Integer[] byId = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Long.parseUnsignedLong(cells.get(i).id(), 16);
            byId[i] = i;
        }
        java.util.Arrays.sort(byId, (a, b) -> {
            int c = Long.compareUnsigned(ids[a], ids[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] mine = java.util.stream.IntStream.iterate(index, r -> r < n, r -> r + count).map(r -> byId[r]).sorted()
                .toArray();
        return at(cells, mine);
    }

    /** The cells of {@code cells} at {@code positions}, in that order, each made when asked for. */
    static List<SweepCell> at(List<SweepCell> cells, int[] positions) {
        return new java.util.AbstractList<>() {
            @Override
            public SweepCell get(int i) {
                return cells.get(positions[i]);
            }

            @Override
            public int size() {
                return positions.length;
            }
        };
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
