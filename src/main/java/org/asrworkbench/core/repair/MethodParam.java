package org.asrworkbench.core.repair;

import java.util.Objects;

/**
 * A named parameter of a repair method: its default, its valid range and how a slider should
 * move over it (linearly, or on a log scale for a strength such as ASR's {@code lambda}).
 *
 * @param name         the name used in the CLI ({@code --param name=value}), reports and rule files
 * @param defaultValue the value used when none is given
 * @param min          the smallest valid value
 * @param max          the largest valid value (may be +infinity, as ASR's lambda)
 * @param log          true for a log-scale slider
 * @param sliderMin    the slider's low end (a value, not log10 of one), within the range
 * @param sliderMax    the slider's high end, finite, within the range
 */
public record MethodParam(String name, double defaultValue, double min, double max, boolean log, double sliderMin,
                          double sliderMax) {

    /**
     * A parameter whose slider spans its (finite) range; a log slider whose min is not positive
     * starts at {@code max * 1e-5}.
     */
    public MethodParam(String name, double defaultValue, double min, double max, boolean log) {
        this(name, defaultValue, min, max, log, log && !(min > 0) ? max * 1e-5 : min, max);
    }

    public MethodParam {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("parameter name '" + name + "' is not an identifier");
        }
        if (!Double.isFinite(min) || Double.isNaN(max) || max == Double.NEGATIVE_INFINITY || min > max) {
            throw new IllegalArgumentException("parameter '" + name + "': range [" + min + ", " + max
                    + "] must have a finite min and not be empty");
        }
        if (!(sliderMin >= min && sliderMax <= max && sliderMin < sliderMax) || !Double.isFinite(sliderMax)
                || log && !(sliderMin > 0)) {
            throw new IllegalArgumentException("parameter '" + name + "': slider [" + sliderMin + ", " + sliderMax
                    + "] must be finite, non-empty, within the range (and positive on a log scale)");
        }
        if (!(defaultValue >= min && defaultValue <= max) || Double.isInfinite(defaultValue)) {
            throw new IllegalArgumentException("parameter '" + name + "': default " + defaultValue
                    + " is not a finite value in [" + min + ", " + max + "]");
        }
        if (log && min < 0) {
            throw new IllegalArgumentException("parameter '" + name + "': a log-scale slider needs min >= 0");
        }
    }

    /** {@code value} when it is within the range; else an error naming the parameter and the range. */
    public double check(double value) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be a finite number in [" + SettingsText.number(min) + ", "
                    + SettingsText.number(max) + "], not " + value);
        }
        return value;
    }

    /** The slider's low end in slider units: sliderMin, or log10 of it on a log slider. */
    public double sliderLow() {
        return log ? Math.log10(sliderMin) : sliderMin;
    }

    /** The slider's high end in slider units: sliderMax, or log10 of it. */
    public double sliderHigh() {
        return log ? Math.log10(sliderMax) : sliderMax;
    }

    /** The slider position of {@code value} (log10 of it on a log slider), within the slider's ends. */
    public double toSlider(double value) {
        double x = log ? (value > 0 ? Math.log10(value) : Double.NEGATIVE_INFINITY) : value;
        return Math.min(sliderHigh(), Math.max(sliderLow(), x));
    }

    /** The value at slider position {@code x}, within the range. */
    public double fromSlider(double x) {
        double v = log ? Math.pow(10, x) : x;
        return Math.min(max, Math.max(min, v));
    }
}
