package org.asrworkbench.app.chart;

import org.jfree.chart.renderer.PaintScale;

import java.awt.Color;
import java.awt.Paint;

/**
 * Colours for retention in [0, 1]: lost channels black to dark purple, weak ones red to orange,
 * intact ones pale yellow (a perceptually ordered, colour-blind safe ramp like "inferno").
 * Dead channels ({@code s2_d = 0}, value NaN) are drawn in neutral grey and collapsed ones
 * ({@code s2_p = 0}, value {@link #COLLAPSED_VALUE}) in sky blue, whatever {@code r_c} the
 * BatchNorm's {@code eps} leaves them.
 */
public final class RetentionPaintScale implements PaintScale {
    /** The colour of dead channels (no signal in the dense network either). */
    public static final Color DEAD = new Color(0x9aa0a6);
    /** The colour of collapsed channels (no variance left after pruning). */
    public static final Color COLLAPSED = new Color(0x56b4e9);
    /** The value that stands for a collapsed channel. */
    public static final double COLLAPSED_VALUE = -1;
    private static final float[][] STOPS = {
        {0.00f, 0x00, 0x00, 0x04}, {0.25f, 0x57, 0x10, 0x6e}, {0.50f, 0xbc, 0x37, 0x54},
        {0.75f, 0xf9, 0x8e, 0x09}, {1.00f, 0xfc, 0xff, 0xa4}};

    @Override
    public double getLowerBound() {
        return 0;
    }

    @Override
    public double getUpperBound() {
        return 1;
    }

    @Override
    public Paint getPaint(double value) {
        if (Double.isNaN(value)) {
            return DEAD;
        }
        if (value == COLLAPSED_VALUE) {
            return COLLAPSED;
        }
        float v = (float) Math.max(0, Math.min(1, value));
        for (int i = 1; i < STOPS.length; i++) {
            if (v <= STOPS[i][0]) {
                float t = (v - STOPS[i - 1][0]) / (STOPS[i][0] - STOPS[i - 1][0]);
                return new Color(mix(i, 1, t), mix(i, 2, t), mix(i, 3, t));
            }
        }
        return new Color((int) STOPS[STOPS.length - 1][1], (int) STOPS[STOPS.length - 1][2], (int) STOPS[STOPS.length - 1][3]);
    }

    private static int mix(int i, int channel, float t) {
        return Math.round(STOPS[i - 1][channel] + t * (STOPS[i][channel] - STOPS[i - 1][channel]));
    }
}
