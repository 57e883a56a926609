package org.asrworkbench.core.repair.rule;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/** The node kinds of a compiled rule expression; constant subexpressions are folded when built. */
final class Nodes {
    private Nodes() {
    }

    private record Constant(double value) implements Expr {
        @Override
        public double[] eval(double[][] slots, int channels) {
            double[] out = new double[channels];
            Arrays.fill(out, value);
            return out;
        }

        @Override
        public Double constant() {
            return value;
        }
    }

    static Expr constant(double v) {
        return new Constant(v);
    }

    static Expr variable(int slot) {
        return (slots, channels) -> slots[slot];
    }

    static Expr unary(Expr a, DoubleUnaryOperator op) {
        if (a.constant() != null) {
            return constant(op.applyAsDouble(a.constant()));
        }
        return (slots, channels) -> {
            double[] x = a.eval(slots, channels);
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                out[c] = op.applyAsDouble(x[c]);
            }
            return out;
        };
    }

    static Expr binary(Expr a, Expr b, DoubleBinaryOperator op) {
        if (a.constant() != null && b.constant() != null) {
            return constant(op.applyAsDouble(a.constant(), b.constant()));
        }
        return (slots, channels) -> {
            double[] x = a.eval(slots, channels);
            double[] y = b.eval(slots, channels);
            double[] out = new double[channels];
            for (int c = 0; c < channels; c++) {
                out[c] = op.applyAsDouble(x[c], y[c]);
            }
            return out;
        };
    }

    /** {@code c ? a : b}, channel by channel (a non-zero condition is true). */
    static Expr ternary(Expr c, Expr a, Expr b) {
        if (c.constant() != null) {
            return c.constant() != 0 ? a : b;
        }
        return (slots, channels) -> {
            double[] k = c.eval(slots, channels);
            double[] x = a.eval(slots, channels);
            double[] y = b.eval(slots, channels);
            double[] out = new double[channels];
            for (int i = 0; i < channels; i++) {
                out[i] = k[i] != 0 ? x[i] : y[i];
            }
            return out;
        };
    }

    /** A unit aggregate of a per-channel expression, repeated on every channel (never folded: sum depends on the count). */
    static Expr aggregate(Expr a, ToDoubleFunction<double[]> f) {
        return (slots, channels) -> {
            double v = f.applyAsDouble(a.eval(slots, channels));
            double[] out = new double[channels];
            Arrays.fill(out, v);
            return out;
        };
    }
}
