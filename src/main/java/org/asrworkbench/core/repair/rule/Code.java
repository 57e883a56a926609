package org.asrworkbench.core.repair.rule;

import java.util.List;

/**
 * One checked rule expression as Java source, the form {@link RuleCompiler} hands to Janino.
 * {@code java} is the value on channel {@code c} (variables are {@code s[slot][c]}); {@code prelude}
 * holds the statements that compute the unit aggregates it reads, inner ones first. Built only by
 * {@link Nodes} from what {@link RuleParser} accepted, so no text of the rule file reaches the
 * source: names become slot numbers and numbers are written from their parsed values.
 *
 * @param constant the value when it depends on no variable (folded while parsing), else null
 * @param depth    how deeply {@code java} nests (bounded by {@link Nodes}, as Janino's parser is)
 */
record Code(String java, List<String> prelude, Double constant, int depth) {
    Code {
        prelude = List.copyOf(prelude);
    }
}
