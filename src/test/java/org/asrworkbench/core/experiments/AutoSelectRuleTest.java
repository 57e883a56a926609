package org.asrworkbench.core.experiments;

import org.asrworkbench.core.eval.EvalResult;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The choice rule of {@code auto} on hand-made candidate scores, and the candidate list syntax. */
class AutoSelectRuleTest {
    static final RepairSettings BN_RECAL = RepairSettings.of(RepairMethod.BN_RECAL);
    static final RepairSettings LAYER = RepairSettings.of(RepairMethod.LAYER_WISE);
    static final RepairSettings CHANNEL = RepairSettings.of(RepairMethod.CHANNEL_WISE);

    static RepairSettings asr(double l) {
        return RepairSettings.of(RepairMethod.ASR, "lambda", l);
    }

    static CandidateScore s(RepairSettings r, double kl, double agreement) {
        return CandidateScore.scored(r, kl, agreement);
    }

    @Test
    void theSmallestKlWinsWhateverTheAgreement() {
        assertEquals(1, AutoSelect.choose(List.of(s(BN_RECAL, 0.5, 0.99), s(asr(0.25), 0.1, 0.5))));
        // 2e-4 apart is not a tie: the higher agreement does not matter
        assertEquals(0, AutoSelect.choose(List.of(s(asr(1), 0.1, 0.80), s(LAYER, 0.1002, 0.95))));
    }

    @Test
    void withinTheToleranceTheHigherAgreementWins() {
        assertEquals(0, AutoSelect.choose(List.of(s(LAYER, 0.10005, 0.9), s(asr(0.25), 0.1, 0.8))));
        assertEquals(2, AutoSelect.choose(List.of(s(asr(0.5), 0.1, 0.7), s(asr(1), 0.2, 1.0), s(asr(2), 0.10009, 0.71))));
        // the tolerance is measured from the smallest KL, not chained from candidate to candidate
        assertEquals(1, AutoSelect.choose(List.of(s(asr(0.1), 0.1, 0.5), s(asr(0.25), 0.10009, 0.6),
                s(asr(0.5), 0.10018, 0.9))));
    }

    @Test
    void thenTheEarlierCandidateOfTheDefaultList() {
        // given in reverse: the default order decides, not the given one
        List<CandidateScore> reversed = List.of(s(asr(4), 0.1, 0.9), s(asr(1), 0.10001, 0.9), s(CHANNEL, 0.10002, 0.9),
                s(LAYER, 0.30, 0.99), s(BN_RECAL, 0.10003, 0.9));
        assertEquals(4, AutoSelect.choose(reversed));
        assertEquals(1, AutoSelect.choose(List.of(s(asr(4), 0.1, 0.9), s(asr(0.1), 0.1, 0.9))));
        // a candidate outside the default list comes after every default one
        assertEquals(1, AutoSelect.choose(List.of(s(asr(0.3), 0.1, 0.9), s(asr(4), 0.1, 0.9))));
        assertEquals(0, AutoSelect.choose(List.of(s(asr(0.3), 0.1, 0.9), s(asr(0.7), 0.1, 0.9))));
    }

    @Test
    void aFailedCandidateIsNeverChosen() {
        CandidateScore failedWithScores = new CandidateScore(LAYER, 0.0, 1.0, null, "the pass failed: boom", 1, 0);
        assertEquals(2, AutoSelect.choose(List.of(CandidateScore.failed(BN_RECAL, "non-finite logits", 1),
                failedWithScores, s(asr(0.25), 0.3, 0.5))));
        assertEquals(1, AutoSelect.choose(List.of(s(CHANNEL, Double.NaN, 0.9), s(asr(1), 2.0, 0.1))));
        List<CandidateScore> allFailed = List.of(CandidateScore.failed(BN_RECAL, "x", 0), failedWithScores);
        assertEquals(-1, AutoSelect.choose(allFailed));
        AutoResult r = new AutoResult(allFailed, new ArrayList<>(java.util.Arrays.asList(null, null)), -1, 8, 0, 0);
        assertNull(r.summary().get("chosen"));
        assertNull(r.regret());
        IllegalStateException e = assertThrows(IllegalStateException.class, r::chosenPass);
        assertEquals(true, e.getMessage().contains("every candidate failed"));
    }

    @Test
    void regretIsTheBestTopOneMinusTheChosenOnes() {
        List<CandidateScore> c = List.of(withTop1(BN_RECAL, 0.2, 0.80), withTop1(asr(0.25), 0.1, 0.85),
                withTop1(asr(1), 0.15, 0.88), new CandidateScore(LAYER, Double.NaN, Double.NaN, null, "failed", 0, 0));
        AutoResult r = new AutoResult(c, java.util.Arrays.asList(null, null, null, null), AutoSelect.choose(c), 8, 0, 0);
        assertEquals(1, r.chosen());
        assertEquals(0.03, r.regret(), 1e-12);
    }

    private static CandidateScore withTop1(RepairSettings s, double kl, double top1) {
        return new CandidateScore(s, kl, 0.9, new EvalResult(top1, null, 100, new double[0], "cpu", 0, 0), null, 0, 0);
    }

    @Test
    void candidateListsParse() {
        assertEquals(AutoSelect.DEFAULT_CANDIDATES, AutoSelect.parseCandidates("default"));
        assertEquals(AutoSelect.DEFAULT_CANDIDATES, AutoSelect.parseCandidates(
                "bn-recal, layer-wise,channel-wise,asr:0.1,asr:0.25,asr:0.5,asr:1,asr:2,asr:4"));
        assertEquals(List.of(asr(0.25), CHANNEL), AutoSelect.parseCandidates("asr,channel-wise"));
        assertThrows(IllegalArgumentException.class, () -> AutoSelect.parseCandidates("asr:0.25,asr"));
        assertThrows(IllegalArgumentException.class, () -> AutoSelect.parseCandidates("layer-wise:2"));
        assertThrows(IllegalArgumentException.class, () -> AutoSelect.parseCandidates("asr:-1"));
        assertThrows(IllegalArgumentException.class, () -> AutoSelect.parseCandidates("magic"));
        assertThrows(IllegalArgumentException.class, () -> AutoSelect.parseCandidates(" , "));
        assertEquals("asr (lambda 0.25)", AutoSelect.label(asr(0.25)));
        assertEquals("asr (lambda 4)", AutoSelect.label(asr(4)));
        assertEquals("bn-recal", AutoSelect.label(BN_RECAL));
    }
}
