package org.asrworkbench.app.chart;

import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.UnitStats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Derived numbers the views plot. */
public final class RepairMetrics {
    private RepairMetrics() {
    }

    /**
     * Predicted retention of a unit after a repair: {@code sqrt(sum gamma^2 relVar / sum gamma^2)}
     * over the channels that are not dead, the post-repair analogue of {@code R_u}.
     */
    public static double retentionAfter(UnitStats s, UnitRepair r) {
        double num = 0;
        double den = 0;
        double[] rel = r.relVarAfter();
        for (int c = 0; c < rel.length; c++) {
            if (!Double.isNaN(rel[c])) {
                double g2 = s.gamma()[c] * s.gamma()[c];
                num += g2 * rel[c];
                den += g2;
            }
        }
        return den > 0 ? Math.sqrt(num / den) : Double.NaN;
    }

    /** Channel indices ordered by retention {@code r_c}, weakest first (dead channels last). */
    public static int[] channelsByRetention(UnitStats s) {
        double[] r = s.r();
        boolean[] dead = s.dead();
        return IntStream.range(0, r.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(c -> dead[c] ? Double.MAX_VALUE : r[c]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The unit whose channel retentions spread most (largest max - min among live channels): the teaching example. */
    public static int mostMixedUnit(java.util.List<UnitStats> units) {
        int best = 0;
        double bestSpread = -1;
        for (int i = 0; i < units.size(); i++) {
            double[] r = units.get(i).r();
            boolean[] dead = units.get(i).dead();
            double[] live = IntStream.range(0, r.length).filter(c -> !dead[c]).mapToDouble(c -> Math.min(r[c], 1)).toArray();
            if (live.length == 0) {
                continue;
            }
            double spread = Arrays.stream(live).max().getAsDouble() - Arrays.stream(live).min().getAsDouble();
            if (spread > bestSpread) {
                bestSpread = spread;
                best = i;
            }
        }
        return best;
    }
}
