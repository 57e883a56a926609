package org.asrworkbench.app.model;

import java.util.Locale;

/** The one way each kind of number is written in the workbench (fields, tables, charts, texts). */
public final class Formats {
    private Formats() {
    }

    /** The shrinkage strength: three significant digits ({@code 0.251}, {@code 4.00}, {@code 100}). */
    public static String lambda(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A fraction as a percentage with one decimal ({@code 91.3%}); a dash for NaN. */
    public static String percent(double v) {
        return Double.isNaN(v) ? "\u2014" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    /** A difference of two fractions in percentage points with a sign ({@code +43.2}); a dash for NaN. */
    public static String points(double v) {
        return Double.isNaN(v) ? "\u2014" : String.format(Locale.ROOT, "%+.1f", v * 100);
    }
}
