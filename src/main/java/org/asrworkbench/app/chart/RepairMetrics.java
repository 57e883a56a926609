package org.asrworkbench.app.chart;

import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.UnitStats;

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

    /**
     * One channel as the inspector shows it: r_c, rho_c, gamma_c, s2_d and s2_p, and whether it
     * is dead or collapsed (and why a collapsed channel still shows an r_c above 0).
     */
    public static String describeChannel(UnitStats u, int c) {
        String flags = u.dead()[c] ? "dead: s2_d = 0, no signal in the dense network either"
                : u.collapsed()[c] ? String.format(java.util.Locale.ROOT,
                        "collapsed: s2_p = 0, its r_c is only sqrt(eps / (s2_d + eps)) with eps = %.3g", u.eps())
                : u.r()[c] < org.asrworkbench.app.model.Heterogeneity.WEAK ? "weak (r_c < 0.3)"
                : u.r()[c] > org.asrworkbench.app.model.Heterogeneity.STRONG ? "healthy (r_c > 0.7)" : "damaged";
        return String.format(java.util.Locale.ROOT, "%s, channel %d: r_c = %.3f, \u03c1_c = %.3f, \u03b3_c = %s, "
                + "s2_d = %s, s2_p = %s \u2014 %s", u.unit(), c, u.r()[c], u.rho()[c], g(u.gamma()[c]), g(u.s2D()[c]),
                g(u.s2P()[c]), flags);
    }

    /** Three significant digits, and 0 as "0" (a collapsed channel's s2_p is exactly 0). */
    private static String g(double v) {
        return v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
