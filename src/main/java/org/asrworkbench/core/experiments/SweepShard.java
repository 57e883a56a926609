package org.asrworkbench.core.experiments;

import java.util.Map;

/**
 * A deterministic share of a sweep's cells: shard {@code index} of {@code count} runs the cells
 * whose grid index is {@code index} modulo {@code count}, so every cell is in exactly one shard
 * and shards get interleaved (similarly costly) cells.
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

    public boolean owns(SweepCell cell) {
        return cell.index() % count == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
