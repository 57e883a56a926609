package org.asrworkbench.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KL(softmax(D) || softmax(P)) and top-1 agreement on hand-made logits. */
class SelectionScoreTest {

    @Test
    void klOfTwoClassDistributions() {
        // softmax(0, 0) = (1/2, 1/2), softmax(0, ln 3) = (1/4, 3/4): KL = 1/2 ln 2 + 1/2 ln(2/3) = 1/2 ln(4/3)
        Logits d = new Logits(1, 2, new float[] {0, 0});
        Logits p = new Logits(1, 2, new float[] {0, (float) Math.log(3)});
        double expected = 0.5 * Math.log(4.0 / 3.0);
        assertEquals(expected, SelectionScore.meanKl(d, p), 1e-7);
        assertEquals(0.0, SelectionScore.meanKl(d, d), 0.0);
        // KL is not symmetric: KL(q || p) = 1/4 ln(1/2) + 3/4 ln(3/2)
        assertEquals(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), SelectionScore.meanKl(p, d), 1e-7);
    }

    @Test
    void klIsTheMeanOverImagesAndSurvivesHugeLogits() {
        float big = 1000f;
        float shifted = big + (float) Math.log(3);
        Logits d = new Logits(2, 2, new float[] {0, 0, big, big});
        Logits p = new Logits(2, 2, new float[] {0, 0, big, shifted});
        // exp(1000) overflows: only log-sum-exp gives a finite answer; expected from the float32 logits
        double delta = (double) shifted - big;
        double q1 = 1 / (1 + Math.exp(delta));
        double kl2 = 0.5 * Math.log(0.5 / q1) + 0.5 * Math.log(0.5 / (1 - q1));
        assertEquals(kl2 / 2, SelectionScore.meanKl(d, p), 1e-9);
        assertTrue(kl2 > 0.14);
    }

    @Test
    void agreementComparesArgmaxWithTiesToTheFirstIndex() {
        Logits d = new Logits(4, 3, new float[] {1, 1, 0, /**/ 0, 2, 1, /**/ 5, 4, 3, /**/ 0, 0, 1});
        Logits p = new Logits(4, 3, new float[] {0, 2, 2, /**/ 0, 3, 3, /**/ 7, 7, 0, /**/ 1, 0, 0});
        // argmax d: 0, 1, 0, 2; argmax p: 1, 1, 0, 0 -> 2 of 4 agree
        assertEquals(0.5, SelectionScore.agreement(d, p), 0.0);
        assertEquals(1.0, SelectionScore.agreement(d, d), 0.0);
    }

    @Test
    void shapesMustMatchAndNonFiniteLogitsAreRecognised() {
        Logits d = new Logits(1, 2, new float[] {0, 0});
        assertThrows(IllegalArgumentException.class, () -> SelectionScore.meanKl(d, new Logits(1, 3, new float[3])));
        assertThrows(IllegalArgumentException.class, () -> new Logits(2, 2, new float[3]));
        assertTrue(d.finite());
        assertFalse(new Logits(1, 2, new float[] {0, Float.NaN}).finite());
        assertFalse(new Logits(1, 2, new float[] {Float.POSITIVE_INFINITY, 0}).finite());
    }
}
