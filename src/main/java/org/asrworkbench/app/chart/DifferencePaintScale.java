package org.asrworkbench.app.chart;

import org.jfree.chart.renderer.PaintScale;

import java.awt.Color;
import java.awt.Paint;

/**
 * Colours for a difference of retentions {@code r_c(A) - r_c(B)} in [-bound, bound]: blue where A
 * kept less signal than B, white where they agree, red where A kept more (a diverging ramp); NaN
 * (dead in either run) grey.
 */
public final class DifferencePaintScale implements PaintScale {
    private final double bound;

    /** @param bound the largest difference drawn at full colour (the scale is symmetric) */
    public DifferencePaintScale(double bound) {
        if (!(bound > 0)) {
            throw new IllegalArgumentException("bound must be > 0, not " + bound);
        }
        this.bound = bound;
    }
    private static final Color LESS = new Color(0x2166ac);
    private static final Color SAME = new Color(0xf7f7f7);
    private static final Color MORE = new Color(0xb2182b);

    @Override
    public double getLowerBound() {
        return -bound;
    }

    @Override
    public double getUpperBound() {
        return bound;
    }

    @Override
    public Paint getPaint(double value) {
        if (Double.isNaN(value)) {
            return RetentionPaintScale.DEAD;
        }
        double v = Math.max(-1, Math.min(1, value / bound));
        Color to = v < 0 ? LESS : MORE;
        double t = Math.abs(v);
        return new Color(mix(SAME.getRed(), to.getRed(), t), mix(SAME.getGreen(), to.getGreen(), t),
                mix(SAME.getBlue(), to.getBlue(), t));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + t * (b - a));
    }
}
