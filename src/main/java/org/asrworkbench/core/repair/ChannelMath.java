package org.asrworkbench.core.repair;

import java.util.Arrays;

/** Aggregates over a unit's channels, shared by the built-in methods and rule files. */
public final class ChannelMath {
    private ChannelMath() {
    }

    /** The median of {@code values} (mean of the two middle values for an even count); {@code values} is not changed. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
    }
}
