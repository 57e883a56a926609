package org.asrworkbench.app.model;

import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.repair.RepairPlan;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;

import java.util.Locale;

/**
 * One exact statistics pass of the session, with what it was computed from, so a later Apply
 * with the same settings reuses it and two passes can be compared side by side.
 *
 * @param key   what the pass depends on
 * @param stats its statistics
 * @param plan  its exact repair plan
 */
public record StatsPass(Key key, NetworkStats stats, RepairPlan plan) {

    /**
     * What a pass depends on: the open model and calibration dataset (the same objects), the
     * pruning settings (pruning is deterministic), the calibration N and seed, and the repair
     * method and its parameters (the pass repairs upstream units as it goes).
     */
    public record Key(LoadedModel model, PruneSettings prune, ImageDataset calib, int n, String seed,
                      RepairSettings repair) {
        /** True when a pass with {@code other}'s inputs gives this pass's statistics. */
        public boolean matches(Key other) {
            return model == other.model && calib == other.calib && prune.equals(other.prune) && n == other.n
                    && seed.equals(other.seed) && repair.equals(other.repair);
        }
    }

    /** A short name for lists: pruning, sparsity, method, lambda, N and seed. */
    public String label() {
        return String.format(Locale.ROOT, "%s %.0f%%, %s, N = %d, seed %s", key.prune().kind().id(),
                key.prune().sparsity() * 100, key.repair().label(), key.n(), key.seed());
    }

    /** Approximate heap bytes of the statistics and plan (eleven doubles a channel each, and the plan's arrays). */
    public long bytes() {
        long channels = 0;
        for (UnitStats u : stats.units()) {
            channels += u.channels();
        }
        return channels * 8L * 24;
    }

    @Override
    public String toString() {
        return label();
    }
}
