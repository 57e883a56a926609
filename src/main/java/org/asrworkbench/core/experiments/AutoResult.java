package org.asrworkbench.core.experiments;

import org.asrworkbench.core.repair.RepairedPass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code auto} found: every candidate's score in the order they were given, the pass of each
 * (null for a failed one), the index of the chosen one ({@code -1} when every candidate failed),
 * and the time of D's selection-set logits and of the whole selection (evaluations excluded).
 */
public record AutoResult(List<CandidateScore> candidates, List<RepairedPass> passes, int chosen,
                         int selectN, double denseSeconds, double seconds) {

    public AutoResult {
        candidates = List.copyOf(candidates);
        passes = Collections.unmodifiableList(new ArrayList<>(passes));
        if (passes.size() != candidates.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidates but " + passes.size() + " passes");
        }
        if (chosen < -1 || chosen >= candidates.size()) {
            throw new IllegalArgumentException("chosen index " + chosen + " out of range");
        }
    }

    /** False when every candidate failed. */
    public boolean hasChoice() {
        return chosen >= 0;
    }

    public CandidateScore chosenScore() {
        requireChoice();
        return candidates.get(chosen);
    }

    /** The chosen candidate's exact pass (statistics and repair plan). */
    public RepairedPass chosenPass() {
        requireChoice();
        return passes.get(chosen);
    }

    /**
     * The best top-1 among the candidates that did not fail minus the chosen one's; null when the
     * candidates were not evaluated or none was chosen.
     */
    public Double regret() {
        if (!hasChoice() || chosenScore().top1() == null) {
            return null;
        }
        double best = candidates.stream().filter(c -> !c.isFailed() && c.top1() != null)
                .mapToDouble(CandidateScore::top1).max().orElseThrow();
        return best - chosenScore().top1();
    }

    /** The keys {@code auto} adds to a report: {@code chosen} {method, params, lambda}, {@code candidates}, {@code regret}. */
    public Map<String, Object> summary() {
        Map<String, Object> r = new LinkedHashMap<>();
        if (hasChoice()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("method", chosenScore().settings().method().id());
            c.put("params", chosenScore().settings().paramsJson());
            c.put("lambda", chosenScore().lambda());
            r.put("chosen", c);
        } else {
            r.put("chosen", null);
        }
        r.put("candidates", candidates.stream().map(CandidateScore::toMap).toList());
        Double regret = regret();
        if (regret != null) {
            r.put("regret", regret);
        }
        r.put("selectN", selectN);
        r.put("autoSeconds", seconds);
        return r;
    }

    private void requireChoice() {
        if (!hasChoice()) {
            throw new IllegalStateException("every candidate failed: " + String.join("; ", candidates.stream()
                    .map(c -> c.label() + ": " + (c.error() == null ? "non-finite score" : c.error())).toList()));
        }
    }
}
