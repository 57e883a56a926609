package org.asrworkbench.core.repair.rule;

import org.asrworkbench.core.repair.ChannelMath;

import java.util.Arrays;

/**
 * The unit aggregates a compiled rule may call, and the only class of the workbench its code can
 * see besides {@link Expr} ({@link RuleCompiler}'s class loader refuses every other).
 */
public final class RuleRuntime {
    private RuleRuntime() {
    }

    /** The median over the unit's channels (mean of the two middle values for an even count). */
    public static double median(double[] v) {
        return ChannelMath.median(v);
    }

    public static double mean(double[] v) {
        return Arrays.stream(v).sum() / v.length;
    }

    public static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    public static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    public static double sum(double[] v) {
        return Arrays.stream(v).sum();
    }
}
