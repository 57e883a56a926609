package org.asrworkbench.core.repair.rule;

/**
 * A rule file that cannot be loaded, or a rule whose result cannot be applied. The message
 * names the file and, where there is one, the expression and the position in it.
 */
public final class RuleException extends IllegalArgumentException {
    public RuleException(String message) {
        super(message);
    }

    public RuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
