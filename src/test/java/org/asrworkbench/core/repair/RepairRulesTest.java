package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.stats.UnitStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepairRulesTest {
    private static final double TOL = 1e-12;
    /** R for {@link #unit()}: gamma^2 = 1, 0, 4, 1 and r^2 = 0.25, 4, 0.25, 4. */
    private static final double R = Math.sqrt((0.25 + 0 + 1 + 4) / 6);

    /**
     * eps = 1 so that r = sqrt((s2p + 1) / (s2d + 1)) is easy by hand. Channels: 0 collapsed
     * (r 0.5), 1 dead (r 2), 2 weak (r 0.5), 3 amplified (r 2). t = 0.25, 1, 0.25, 1: median
     * over the even count (0.25 + 1) / 2 = 0.625.
     */
    static UnitStats unit() {
        return new UnitStats("conv", "bn", 1.0, new double[] {1, 0, 2, 1}, new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {2, 3, 4, 5}, new double[] {1, 0, 2, 3}, new double[] {3, 0, 15, 1},
                new double[] {0.5, 0.7, 1.5, 2.5}, new double[] {0, 3, 3, 7}, new double[] {0, 0, 0.9, 0.8});
    }

    private static UnitRepair decide(RepairMethod m, double lambda) {
        return RepairRules.decide(unit(), new RepairSettings(m, lambda));
    }

    private static void assertFloats(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int c = 0; c < expected.length; c++) {
            assertEquals((float) expected[c], actual[c], 1e-6f * Math.max(1, Math.abs(expected[c])), "channel " + c);
        }
    }

    @Test
    void noneKeepsTheCheckpointStatistics() {
        UnitRepair u = decide(RepairMethod.NONE, 0.4);
        assertFloats(new double[] {0.1, 0.2, 0.3, 0.4}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertFloats(new double[] {1, 1, 1, 1}, u.gain());
        // s2p / s2d: 0, dead, 3 / 15, 7 / 1
        assertArrayEquals(new double[] {0, Double.NaN, 0.2, 7}, u.relVarAfter(), TOL);
    }

    @Test
    void bnRecalNormalisesWithThePrunedStatistics() {
        UnitRepair u = decide(RepairMethod.BN_RECAL, 0.4);
        assertFloats(new double[] {0.5, 0.7, 1.5, 2.5}, u.mean());
        assertFloats(new double[] {0, 3, 3, 7}, u.var());
        assertFloats(new double[] {1, 1, 1, 1}, u.gain());
        // s2p (v + eps) / ((s2p + eps) s2d): 0, dead, 3 * 5 / (4 * 15), 7 * 6 / (8 * 1)
        assertArrayEquals(new double[] {0, Double.NaN, 0.25, 5.25}, u.relVarAfter(), TOL);
    }

    @Test
    void layerWiseAppliesOneGainPerUnit() {
        UnitRepair u = decide(RepairMethod.LAYER_WISE, 0.4);
        assertFloats(new double[] {0.5, 0.7, 1.5, 2.5}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertFloats(new double[] {1 / R, 1, 1 / R, 1 / R}, u.gain());
        assertArrayEquals(new double[] {1 / R, 1, 1 / R, 1 / R}, u.gainLayerWise(), TOL);
        double g2 = 1 / (R * R);
        assertArrayEquals(new double[] {0, Double.NaN, g2 * 0.2, g2 * 7}, u.relVarAfter(), TOL);
    }

    @Test
    void channelWiseInvertsEachRetention() {
        UnitRepair u = decide(RepairMethod.CHANNEL_WISE, 0.4);
        assertFloats(new double[] {0.5, 0.7, 1.5, 2.5}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertFloats(new double[] {2, 1, 2, 0.5}, u.gain());
        // a non-collapsed channel gets exactly D's post-BN variance back: (1/r^2) s2p / s2d = (s2p+eps)/(s2d+eps) * s2p/s2d
        assertArrayEquals(new double[] {0, Double.NaN, 4 * 0.2, 0.25 * 7}, u.relVarAfter(), TOL);
    }

    @Test
    void asrShrinksTowardTheLayerGainByReliability() {
        // lambda 0.4: lambda * median = 0.25, w = 0.25 / 0.5, 1 / 1.25, 0.25 / 0.5, 1 / 1.25
        UnitRepair u = decide(RepairMethod.ASR, 0.4);
        assertArrayEquals(new double[] {0.5, 0.8, 0.5, 0.8}, u.w(), TOL);
        double g0 = Math.exp(0.5 * Math.log(2) + 0.5 * Math.log(1 / R));
        double g3 = Math.exp(0.8 * Math.log(0.5) + 0.2 * Math.log(1 / R));
        assertArrayEquals(new double[] {g0, 1, g0, g3}, u.gainAsr(), TOL);
        assertFloats(new double[] {g0, 1, g0, g3}, u.gain());
        assertFloats(new double[] {0.5, 0.7, 1.5, 2.5}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertArrayEquals(new double[] {0, Double.NaN, g0 * g0 * 0.2, g3 * g3 * 7}, u.relVarAfter(), TOL);
        // every method reports ASR's w and every method's gain
        UnitRepair other = decide(RepairMethod.NONE, 0.4);
        assertArrayEquals(u.w(), other.w());
        assertArrayEquals(u.gainAsr(), other.gainAsr());
        assertArrayEquals(new double[] {2, 1, 2, 0.5}, other.gainChannelWise(), TOL);
    }

    @Test
    void lambdaZeroIsExactlyChannelWise() {
        UnitRepair asr = decide(RepairMethod.ASR, 0);
        UnitRepair cw = decide(RepairMethod.CHANNEL_WISE, 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, asr.w());
        assertArrayEquals(cw.gainChannelWise(), asr.gainAsr());
        assertArrayEquals(cw.gain(), asr.gain());
        assertArrayEquals(cw.relVarAfter(), asr.relVarAfter());
    }

    @Test
    void veryLargeLambdaTendsToLayerWise() {
        UnitRepair asr = decide(RepairMethod.ASR, 1e12);
        UnitRepair lw = decide(RepairMethod.LAYER_WISE, 1e12);
        assertArrayEquals(lw.gainLayerWise(), asr.gainAsr(), 1e-10);
        assertTrue(asr.w()[0] < 1e-11);
        UnitRepair inf = decide(RepairMethod.ASR, Double.POSITIVE_INFINITY);
        assertArrayEquals(lw.gain(), inf.gain());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(0.625, RepairRules.median(new double[] {1, 0.25, 1, 0.25}));
        assertEquals(2.0, RepairRules.median(new double[] {3, 1, 2}));
        assertEquals(2.5, RepairRules.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, RepairRules.median(new double[] {7}));
        // odd count through the rule: r = 0.3, 0.5, 1 (eps = 0): t = 0.09, 0.25, 1, median 0.25
        UnitStats odd = new UnitStats("u", "b", 0, new double[] {1, 1, 1}, new double[3], new double[] {1, 1, 1},
                new double[3], new double[] {1, 1, 1}, new double[3], new double[] {0.09, 0.25, 1}, new double[3]);
        UnitRepair u = RepairRules.decide(odd, new RepairSettings(RepairMethod.ASR, 1));
        assertArrayEquals(new double[] {0.09 / 0.34, 0.5, 1 / 1.25}, u.w(), TOL);
    }

    @Test
    void deadChannelsKeepGainOneAndCollapsedOnesAreNotBlownUp() {
        UnitRepair u = decide(RepairMethod.ASR, 0.25);
        assertEquals(1f, u.gain()[1]);
        assertEquals(1.0, u.gainLayerWise()[1]);
        assertEquals(1.0, u.gainChannelWise()[1]);
        assertTrue(Double.isNaN(u.relVarAfter()[1]));
        // the collapsed channel 0 gets less than its own 1/r = 2 and more than the layer's 1/R
        assertTrue(u.gainAsr()[0] < 2 && u.gainAsr()[0] > 1 / R);
    }

    @Test
    void overrideCarriesTheChosenValues() {
        UnitRepair u = decide(RepairMethod.ASR, 0.4);
        BnOverride o = u.toOverride();
        assertSame(u.mean(), o.mean());
        assertSame(u.var(), o.var());
        assertSame(u.gain(), o.gain());
        assertEquals(4, u.channels());
    }

    @Test
    void methodsAndSettingsParse() {
        for (RepairMethod m : RepairMethod.values()) {
            assertEquals(m, RepairMethod.parse(m.id()));
        }
        assertEquals("channel-wise", RepairMethod.CHANNEL_WISE.id());
        assertThrows(IllegalArgumentException.class, () -> RepairMethod.parse("magic"));
        assertThrows(IllegalArgumentException.class, () -> new RepairSettings(RepairMethod.ASR, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new RepairSettings(RepairMethod.ASR, Double.NaN));
        assertEquals(0.25, RepairSettings.of(RepairMethod.ASR).lambda());
    }
}
