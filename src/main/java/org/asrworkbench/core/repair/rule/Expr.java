package org.asrworkbench.core.repair.rule;

/**
 * A compiled rule expression, evaluated over all channels of a unit at once: {@code slots} holds
 * the variables, one array per slot with one entry per channel (per-unit values and parameters
 * are repeated). Implemented only by the classes {@link RuleCompiler} has Janino compile from a
 * checked {@link Code}; public because those classes live in their own class loader.
 */
public interface Expr {
    /** The value on every channel. */
    double[] eval(double[][] slots, int channels);
}
