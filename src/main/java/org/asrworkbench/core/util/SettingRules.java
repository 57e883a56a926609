package org.asrworkbench.core.util;

import java.util.Locale;

/**
 * The one rule for each setting a user gives (command-line options, sweep grid files, saved
 * sessions and the workbench's fields all check through here), so that a value refused in one
 * place is refused in every other. Each check returns the value when it is valid and otherwise
 * throws an {@link IllegalArgumentException} whose message starts with {@code field}, the name
 * the caller knows the setting by ({@code --sparsity}, {@code sparsities}, {@code Sparsity}).
 */
public final class SettingRules {
    private SettingRules() {
    }

    /** A requested sparsity: the fraction of prunable weights removed, in [0, 1) (pruning everything leaves no network). */
    public static double sparsity(String field, double s) {
        if (!(s >= 0 && s < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), not " + number(s));
        }
        return s;
    }

    /** A calibration (or selection) size: at least one image. */
    public static int calibrationSize(String field, long n) {
        return whole(field, n, 1);
    }

    /** An evaluation limit: a number of images, 0 for all. */
    public static int evalLimit(String field, long n) {
        return whole(field, n, 0);
    }

    /** A memory budget in MiB: at least 1 (and few enough MiB to count in bytes). */
    public static long memoryBudgetMib(String field, long mib) {
        if (mib < 1 || mib > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException(field + " must be a whole number of MiB, at least 1, not " + mib);
        }
        return mib;
    }

    private static int whole(String field, long n, int min) {
        if (n < min || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a whole number of at least " + min + ", not " + n);
        }
        return (int) n;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
