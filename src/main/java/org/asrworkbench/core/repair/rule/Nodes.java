package org.asrworkbench.core.repair.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Builds the {@link Code} of one expression, node by node, as {@link RuleParser} accepts it.
 * Every operator has its Java form and its value (for folding constant subexpressions, which
 * gives the same double as the compiled code: both use Java's operators and {@link Math}).
 */
final class Nodes {
    enum Unary {
        NEG("(-%s)", a -> -a),
        NOT("(%s == 0.0 ? 1.0 : 0.0)", a -> a == 0 ? 1 : 0),
        SQRT("Math.sqrt(%s)", Math::sqrt),
        EXP("Math.exp(%s)", Math::exp),
        LOG("Math.log(%s)", Math::log),
        ABS("Math.abs(%s)", Math::abs);

        final String java;
        final DoubleUnaryOperator value;

        Unary(String java, DoubleUnaryOperator value) {
            this.java = java;
            this.value = value;
        }
    }

    enum Binary {
        ADD("(%s + %s)", Double::sum),
        SUB("(%s - %s)", (a, b) -> a - b),
        MUL("(%s * %s)", (a, b) -> a * b),
        DIV("(%s / %s)", (a, b) -> a / b),
        POW("Math.pow(%s, %s)", Math::pow),
        MIN("Math.min(%s, %s)", Math::min),
        MAX("Math.max(%s, %s)", Math::max),
        LT("(%s < %s ? 1.0 : 0.0)", (a, b) -> a < b ? 1 : 0),
        LE("(%s <= %s ? 1.0 : 0.0)", (a, b) -> a <= b ? 1 : 0),
        GT("(%s > %s ? 1.0 : 0.0)", (a, b) -> a > b ? 1 : 0),
        GE("(%s >= %s ? 1.0 : 0.0)", (a, b) -> a >= b ? 1 : 0),
        EQ("(%s == %s ? 1.0 : 0.0)", (a, b) -> a == b ? 1 : 0),
        NE("(%s != %s ? 1.0 : 0.0)", (a, b) -> a != b ? 1 : 0),
        AND("(%s != 0.0 & %s != 0.0 ? 1.0 : 0.0)", (a, b) -> a != 0 && b != 0 ? 1 : 0),
        OR("(%s != 0.0 | %s != 0.0 ? 1.0 : 0.0)", (a, b) -> a != 0 || b != 0 ? 1 : 0);

        final String java;
        final DoubleBinaryOperator value;

        Binary(String java, DoubleBinaryOperator value) {
            this.java = java;
            this.value = value;
        }
    }

    /** The unit aggregates, each a static method of {@link RuleRuntime}. */
    enum Aggregate {
        MEDIAN, MEAN, MIN, MAX, SUM;

        static Aggregate of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Deepest nesting written into one Java expression: a deeper subexpression is computed into a
     * per-channel array first (a flat sum of a thousand terms nests a thousand deep, more than
     * Janino's parser takes).
     */
    static final int MAX_JAVA_DEPTH = 32;

    /** Locals declared so far in this expression (aggregates and hoisted subexpressions), for their names. */
    private int locals;

    static Code constant(double v) {
        return new Code(literal(v), List.of(), v, 1);
    }

    /** A double literal that reads back as exactly {@code v}. */
    static String literal(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return "(" + Double.toString(v) + ")";
    }

    static Code variable(int slot) {
        return new Code("s[" + slot + "][c]", List.of(), null, 1);
    }

    Code unary(Code a, Unary op) {
        if (a.constant() != null) {
            return constant(op.value.applyAsDouble(a.constant()));
        }
        return bounded(op.java.formatted(a.java()), join(a), a.depth() + 1);
    }

    Code binary(Code a, Code b, Binary op) {
        if (a.constant() != null && b.constant() != null) {
            return constant(op.value.applyAsDouble(a.constant(), b.constant()));
        }
        return bounded(op.java.formatted(a.java(), b.java()), join(a, b), Math.max(a.depth(), b.depth()) + 1);
    }

    /** {@code c ? a : b}, channel by channel (a non-zero condition is true). */
    Code ternary(Code c, Code a, Code b) {
        if (c.constant() != null) {
            return c.constant() != 0 ? a : b;
        }
        return bounded("(" + c.java() + " != 0.0 ? " + a.java() + " : " + b.java() + ")", join(c, a, b),
                Math.max(c.depth(), Math.max(a.depth(), b.depth())) + 1);
    }

    /** The expression, or where it nests too deeply, a per-channel array computed before it is read. */
    private Code bounded(String java, List<String> prelude, int depth) {
        if (depth <= MAX_JAVA_DEPTH) {
            return new Code(java, prelude, null, depth);
        }
        int k = locals++;
        List<String> out = new ArrayList<>(prelude);
        out.add("double[] h" + k + " = new double[n]; for (int c = 0; c < n; c++) { h" + k + "[c] = " + java + "; }");
        return new Code("h" + k + "[c]", out, null, 1);
    }

    /**
     * A unit aggregate of a per-channel expression: its value on every channel goes into an array
     * (after the aggregates it reads), the aggregate into a local read by the expression. Never
     * folded: {@code sum} depends on the count of channels.
     */
    Code aggregate(Code a, Aggregate f) {
        int k = locals++;
        List<String> prelude = new ArrayList<>(a.prelude());
        prelude.add("double[] t" + k + " = new double[n]; for (int c = 0; c < n; c++) { t" + k + "[c] = " + a.java()
                + "; } double g" + k + " = " + RuleRuntime.class.getName() + "." + f.name().toLowerCase(java.util.Locale.ROOT) + "(t" + k + ");");
        return new Code("g" + k, prelude, null, 1);
    }

    private static List<String> join(Code... parts) {
        List<String> out = new ArrayList<>();
        for (Code p : parts) {
            out.addAll(p.prelude());
        }
        return out;
    }
}
