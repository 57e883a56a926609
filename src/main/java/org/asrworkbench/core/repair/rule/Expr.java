package org.asrworkbench.core.repair.rule;

/**
 * A compiled rule expression, evaluated over all channels of a unit at once: every value is an
 * array with one entry per channel (per-unit values and constants are repeated). Built only by
 * {@link RuleParser}, so it can do nothing but arithmetic.
 */
interface Expr {
    /** The value on every channel; {@code slots} holds the variables, one array per slot. */
    double[] eval(double[][] slots, int channels);

    /** The value when it depends on no variable, else null. */
    default Double constant() {
        return null;
    }
}
