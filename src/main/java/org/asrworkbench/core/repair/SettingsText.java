package org.asrworkbench.core.repair;

import java.util.Map;
import java.util.StringJoiner;

/** How method settings are written for people: {@code asr (lambda 0.25)}, numbers without a trailing {@code .0}. */
public final class SettingsText {
    private SettingsText() {
    }

    /** {@code 2} for 2.0, {@code 0.25} for 0.25. */
    public static String number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Double.toString(v);
    }

    /** {@code method} alone without parameters, else {@code method (name value, name value)}. */
    public static String label(String method, Map<String, Double> params) {
        if (params == null || params.isEmpty()) {
            return method;
        }
        StringJoiner j = new StringJoiner(", ", method + " (", ")");
        params.forEach((k, v) -> j.add(k + " " + number(v)));
        return j.toString();
    }
}
