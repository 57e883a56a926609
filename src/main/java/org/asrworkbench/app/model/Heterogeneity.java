package org.asrworkbench.app.model;

import org.asrworkbench.core.stats.UnitStats;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * How unevenly pruning hit a unit's channels: the interquartile range of {@code r_c} and the
 * shares of channels below 0.3 and above 0.7, over the channels that are not dead (r_c above 1
 * counts as 1). A unit whose damage is both severe and heterogeneous is where per-channel repair
 * should matter most.
 *
 * @param iqr    {@code Q3 - Q1} of {@code r_c} (linear interpolation between order statistics)
 * @param weak   share of live channels with {@code r_c < 0.3}
 * @param strong share of live channels with {@code r_c > 0.7}
 */
public record Heterogeneity(double iqr, double weak, double strong) {
    /** Below this {@code r_c} a channel counts as weak. */
    public static final double WEAK = 0.3;
    /** Above this {@code r_c} a channel counts as healthy. */
    public static final double STRONG = 0.7;

    /** The unit's heterogeneity (NaN figures when every channel is dead). */
    public static Heterogeneity of(UnitStats u) {
        double[] r = u.r();
        boolean[] dead = u.dead();
        double[] live = IntStream.range(0, r.length).filter(c -> !dead[c]).mapToDouble(c -> Math.min(r[c], 1)).sorted()
                .toArray();
        if (live.length == 0) {
            return new Heterogeneity(Double.NaN, Double.NaN, Double.NaN);
        }
        double weak = Arrays.stream(live).filter(v -> v < WEAK).count() / (double) live.length;
        double strong = Arrays.stream(live).filter(v -> v > STRONG).count() / (double) live.length;
        return new Heterogeneity(quantile(live, 0.75) - quantile(live, 0.25), weak, strong);
    }

    /**
     * The most instructive unit to show first: the one with the widest spread of {@code r_c}
     * (max - min, r_c capped at 1) among its channels that are neither dead nor collapsed (a
     * collapsed channel's r_c is only eps's, and no repair brings it back, so a unit with one
     * collapsed channel would otherwise always win); 0 when no unit has such a channel.
     */
    public static int mostInstructive(java.util.List<UnitStats> units) {
        int best = 0;
        double bestSpread = -1;
        for (int i = 0; i < units.size(); i++) {
            double[] r = units.get(i).r();
            boolean[] dead = units.get(i).dead();
            boolean[] collapsed = units.get(i).collapsed();
            double[] live = IntStream.range(0, r.length).filter(c -> !dead[c] && !collapsed[c])
                    .mapToDouble(c -> Math.min(r[c], 1)).toArray();
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

    /** The {@code q} quantile of sorted values, interpolating linearly between order statistics. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
