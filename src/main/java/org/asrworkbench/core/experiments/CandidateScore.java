package org.asrworkbench.core.experiments;

import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.repair.RepairSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate of {@code auto}: its KL divergence from D and its top-1 agreement with D on the
 * selection set, or the reason it failed; and, when labelled evaluation data was given, its
 * evaluation (reported beside the choice, never used for it).
 *
 * @param settings         the candidate's method and lambda
 * @param kl               mean {@code KL(softmax(D) || softmax(P))} on the selection set (NaN when failed)
 * @param agreement        top-1 agreement with D on the selection set (NaN when failed)
 * @param eval             the repaired network's evaluation, or null
 * @param error            why the candidate failed, or null
 * @param passSeconds      its sequential pass
 * @param selectionSeconds P's logits on the selection set
 */
public record CandidateScore(RepairSettings settings, double kl, double agreement, EvalResult eval, String error,
                             double passSeconds, double selectionSeconds) {

    /** A scored candidate without evaluation or timings (for example a hand-made one). */
    public static CandidateScore scored(RepairSettings settings, double kl, double agreement) {
        return new CandidateScore(settings, kl, agreement, null, null, 0, 0);
    }

    /** A candidate whose pass or logits failed. */
    public static CandidateScore failed(RepairSettings settings, String error, double seconds) {
        return new CandidateScore(settings, Double.NaN, Double.NaN, null, error, seconds, 0);
    }

    /** True when it failed (or has no finite score): it is never chosen. */
    public boolean isFailed() {
        return error != null || !Double.isFinite(kl) || !Double.isFinite(agreement);
    }

    /** Its top-1 on the evaluation data, or null. */
    public Double top1() {
        return eval == null ? null : eval.top1();
    }

    /** Its parameter named {@code lambda}, where its method has one, else null. */
    public Double lambda() {
        return settings.param("lambda");
    }

    /** Its name, e.g. {@code bn-recal} or {@code asr (lambda 0.25)}. */
    public String label() {
        return AutoSelect.label(settings);
    }

    /** The time it took to score it: its pass and its selection-set logits. */
    public double seconds() {
        return passSeconds + selectionSeconds;
    }

    /**
     * Its row of the candidates table: method, params, lambda (kept for older readers), kl,
     * agreement, top1 (when evaluated), failed and error.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", settings.method().id());
        m.put("params", settings.paramsJson());
        m.put("lambda", lambda());
        if (isFailed()) {
            m.put("failed", true);
            m.put("error", error == null ? "non-finite score" : error);
        } else {
            m.put("kl", kl);
            m.put("agreement", agreement);
            if (eval != null) {
                m.put("top1", eval.top1());
            }
        }
        m.put("passSeconds", passSeconds);
        m.put("selectionSeconds", selectionSeconds);
        return m;
    }
}
