package org.asrworkbench.cli;

import org.asrworkbench.core.util.SettingRules;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that check through {@link SettingRules}, so that a value the command line
 * takes is one a grid file, a session and the workbench take too; a refused value is a usage
 * error ("Invalid value for option '--sparsity': sparsity must be in [0, 1), not 1.0").
 */
final class SettingOptions {
    private SettingOptions() {
    }

    /** {@code --sparsity}, {@code --sparsities}. */
    static final class Sparsity implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parse(value, Double::parseDouble, "a number");
            return rule(() -> SettingRules.sparsity("sparsity", v));
        }
    }

    /** {@code --calib-n}, {@code --select-n}. */
    static final class CalibrationSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long v = parse(value, Long::parseLong, "a whole number");
            return rule(() -> SettingRules.calibrationSize("the number of images", v));
        }
    }

    /** {@code --memory-budget}. */
    static final class MemoryBudget implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long v = parse(value, Long::parseLong, "a whole number of MiB");
            return rule(() -> SettingRules.memoryBudgetMib("the memory budget", v));
        }
    }

    private static <T> T parse(String value, java.util.function.Function<String, T> parser, String what) {
        try {
            return parser.apply(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
    }

    private static <T> T rule(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
