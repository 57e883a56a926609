package org.asrworkbench.core.repair;

import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.data.Normalization;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.stats.DenseCache;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.SequentialPass;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequential pass with a repair method deciding each unit: the statistics of every unit,
 * the repair plan they gave, and what the pass cost.
 */
public record RepairedPass(NetworkStats stats, RepairPlan plan, double seconds, long spilledBytes) {

    /** Runs {@code pass} with {@code settings}' method as the per-unit decision. */
    public static RepairedPass run(SequentialPass pass, ImageDataset data, int[] calibration, Normalization norm,
                                   RepairSettings settings, Progress progress, DenseCache cache) throws IOException {
        List<UnitRepair> repairs = new ArrayList<>();
        SequentialPass.Result r = pass.run(data, calibration, norm, s -> {
            UnitRepair u = settings.method().decide(s, settings.params());
            repairs.add(u);
            return u.toOverride();
        }, progress, cache);
        return new RepairedPass(r.stats(), new RepairPlan(settings, repairs, false), r.seconds(), r.spilledBytes());
    }

    /** The same pass with other statistics (for example with the run's settings added). */
    public RepairedPass withStats(NetworkStats s) {
        return new RepairedPass(s, plan, seconds, spilledBytes);
    }
}
