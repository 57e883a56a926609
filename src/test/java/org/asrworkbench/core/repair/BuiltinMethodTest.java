package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;
import org.asrworkbench.core.stats.UnitStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class BuiltinMethodTest {
    private static final double TOL = 1e-12;
    /** R for {@link #unit()}: gamma^2 = 1, 0, 4, 1 and r^2 = 0.25, 4, 0.25, 4. */
    private static final double R = Math.sqrt((0.25 + 0 + 1 + 4) / 6);

    /**
     * eps = 1 so that r = sqrt((s2p + 1) / (s2d + 1)) is easy by hand. Channels: 0 collapsed
     * (r 0.5), 1 dead (r 2), 2 weak (r 0.5), 3 amplified (r 2). t = 0.25, 1, 0.25, 1: median
     * over the even count (0.25 + 1) / 2 = 0.625.
     */
    public static UnitStats unit() {
        return new UnitStats("conv", "bn", 1.0, new double[] {1, 0, 2, 1}, new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {2, 3, 4, 5}, new double[] {1, 0, 2, 3}, new double[] {3, 0, 15, 1},
                new double[] {0.5, 0.7, 1.5, 2.5}, new double[] {0, 3, 3, 7}, new double[] {0, 0, 0.9, 0.8});
    }

    private static UnitRepair decide(RepairMethod m, double lambda) {
        RepairSettings s = m.param("lambda") == null ? RepairSettings.of(m) : RepairSettings.of(m, "lambda", lambda);
        return m.decide(unit(), s.params());
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
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
        assertArrayEquals(new double[] {0.5, 0.8, 0.5, 0.8}, u.value("w"), TOL);
        double g0 = Math.exp(0.5 * Math.log(2) + 0.5 * Math.log(1 / R));
        double g3 = Math.exp(0.8 * Math.log(0.5) + 0.2 * Math.log(1 / R));
        assertFloats(new double[] {g0, 1, g0, g3}, u.gain());
        assertFloats(new double[] {0.5, 0.7, 1.5, 2.5}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        // relVarAfter from the double gain: 1e-6 relative covers the float rounding of g in the check below
        assertArrayEquals(new double[] {0, Double.NaN, g0 * g0 * 0.2, g3 * g3 * 7}, u.relVarAfter(), 1e-6);
        // w is ASR's own named value; the other methods report none
        assertEquals(java.util.Set.of("w"), u.values().keySet());
        assertTrue(decide(RepairMethod.NONE, 0.4).values().isEmpty());
    }

    @Test
    void biasCorrMovesTheMeanBackToDenseAndKeepsTheScale() {
        UnitRepair u = decide(RepairMethod.BIAS_CORR, 0);
        // mu_p - (mu_d - m): 0.5 - 0.9, 0.7 + 0.2 (dead channel too), 1.5 - 1.7, 2.5 - 2.6
        assertFloats(new double[] {-0.4, 0.9, -0.2, -0.1}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertFloats(new double[] {1, 1, 1, 1}, u.gain());
        assertArrayEquals(new double[] {0, Double.NaN, 0.2, 7}, u.relVarAfter(), TOL);
        assertTrue(u.values().isEmpty());
    }

    @Test
    void statCorrMatchesDensesMeasuredMeanAndStd() {
        UnitStats s = unit();
        UnitRepair u = decide(RepairMethod.STAT_CORR, 0);
        // mu_p - r (mu_d - m) with r = 0.5, (dead), 0.5, 2; the dead channel takes bias-corr's mean and gain 1
        assertFloats(new double[] {0.05, 0.9, 0.65, -2.7}, u.mean());
        assertFloats(new double[] {2, 3, 4, 5}, u.var());
        assertFloats(new double[] {2, 1, 2, 0.5}, u.gain());
        // the same scale as channel-wise
        assertArrayEquals(decide(RepairMethod.CHANNEL_WISE, 0).relVarAfter(), u.relVarAfter(), 1e-6);
        // on every live channel the post-BN mean in P is D's measured one: gamma g (mu_p - mean) / sqrt(v + eps)
        // = gamma (mu_d - m) / sqrt(v + eps)
        double[] r = s.r();
        for (int c : new int[] {0, 2, 3}) {
            double p = s.gamma()[c] * u.gain()[c] * (s.muP()[c] - u.mean()[c]) / Math.sqrt(s.runningVar()[c] + s.eps());
            double d = s.gamma()[c] * (s.muD()[c] - s.runningMean()[c]) / Math.sqrt(s.runningVar()[c] + s.eps());
            assertEquals(d, p, 1e-5, "channel " + c);
            assertEquals(1 / r[c], u.gain()[c], 1e-6);
        }
    }

    @Test
    void statCorrIsChannelWiseWhenTheStaleStatisticsAreDensesOwn() {
        // m = mu_d: stat-corr's mean is mu_p, as channel-wise's; bias-corr's too
        UnitStats s = unit();
        UnitStats fresh = new UnitStats("conv", "bn", 1.0, s.gamma(), s.muD(), s.runningVar(), s.muD(), s.s2D(),
                s.muP(), s.s2P(), s.rho());
        UnitRepair sc = RepairMethod.STAT_CORR.decide(fresh, java.util.Map.of());
        UnitRepair cw = RepairMethod.CHANNEL_WISE.decide(fresh, java.util.Map.of());
        assertArrayEquals(cw.mean(), sc.mean());
        assertArrayEquals(cw.gain(), sc.gain());
        assertArrayEquals(cw.mean(), RepairMethod.BIAS_CORR.decide(fresh, java.util.Map.of()).mean());
    }

    @Test
    void lambdaZeroIsExactlyChannelWise() {
        UnitRepair asr = decide(RepairMethod.ASR, 0);
        UnitRepair cw = decide(RepairMethod.CHANNEL_WISE, 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, asr.value("w"));
        assertArrayEquals(cw.gain(), asr.gain());
        assertArrayEquals(cw.relVarAfter(), asr.relVarAfter());
    }

    @Test
    void veryLargeLambdaTendsToLayerWise() {
        UnitRepair asr = decide(RepairMethod.ASR, 1e12);
        UnitRepair lw = decide(RepairMethod.LAYER_WISE, 1e12);
        assertArrayEquals(doubles(lw.gain()), doubles(asr.gain()), 1e-6);
        assertTrue(asr.value("w")[0] < 1e-11);
        UnitRepair inf = decide(RepairMethod.ASR, Double.POSITIVE_INFINITY);
        assertArrayEquals(lw.gain(), inf.gain());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        double[] even = {1, 0.25, 1, 0.25};
        assertEquals(0.625, ChannelMath.median(even));
        assertArrayEquals(new double[] {1, 0.25, 1, 0.25}, even, "the median does not reorder its input");
        assertEquals(2.0, ChannelMath.median(new double[] {3, 1, 2}));
        assertEquals(2.5, ChannelMath.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, ChannelMath.median(new double[] {7}));
        // odd count through the rule: r = 0.3, 0.5, 1 (eps = 0): t = 0.09, 0.25, 1, median 0.25
        UnitStats odd = new UnitStats("u", "b", 0, new double[] {1, 1, 1}, new double[3], new double[] {1, 1, 1},
                new double[3], new double[] {1, 1, 1}, new double[3], new double[] {0.09, 0.25, 1}, new double[3]);
        UnitRepair u = RepairMethod.ASR.decide(odd, RepairSettings.of(RepairMethod.ASR, "lambda", 1).params());
        assertArrayEquals(new double[] {0.09 / 0.34, 0.5, 1 / 1.25}, u.value("w"), TOL);
    }

    @Test
    void deadChannelsKeepGainOneAndCollapsedOnesAreNotBlownUp() {
        UnitRepair u = decide(RepairMethod.ASR, 0.25);
        assertEquals(1f, u.gain()[1]);
        for (RepairMethod m : RepairMethods.builtins()) {
            assertEquals(1f, decide(m, 0.25).gain()[1], m.id() + " keeps gain 1 on the dead channel");
        }
        assertTrue(Double.isNaN(u.relVarAfter()[1]));
        // the collapsed channel 0 gets less than its own 1/r = 2 and more than the layer's 1/R
        assertTrue(u.gain()[0] < 2 && u.gain()[0] > 1 / R);
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
        assertEquals(7, RepairMethods.builtins().size());
        for (RepairMethod m : RepairMethods.builtins()) {
            assertEquals(m, RepairMethods.parse(m.id()));
            assertEquals(m, RepairMethods.parseSettings(m.id()).method());
        }
        assertEquals("channel-wise", RepairMethod.CHANNEL_WISE.id());
        assertEquals("stat-corr", RepairMethod.STAT_CORR.id());
        assertThrows(IllegalArgumentException.class, () -> RepairMethods.parse("magic"));
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.of(RepairMethod.ASR, "lambda", -0.1));
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.of(RepairMethod.ASR, "lambda", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.of(RepairMethod.BN_RECAL, "lambda", 1));
        assertEquals(0.25, RepairSettings.of(RepairMethod.ASR).param("lambda"));
        assertEquals(RepairSettings.of(RepairMethod.ASR, "lambda", 0.5), RepairMethods.parseSettings("asr:0.5"));
        assertEquals(RepairSettings.of(RepairMethod.ASR, "lambda", 0.5), RepairMethods.parseSettings("asr:lambda=0.5"));
        assertEquals("asr (lambda 0.5)", RepairMethods.parseSettings("asr:0.5").label());
        assertThrows(IllegalArgumentException.class, () -> RepairMethods.parseSettings("bias-corr:0.5"));
        assertThrows(IllegalArgumentException.class, () -> RepairMethods.parseSettings("asr:k=1"));
    }
}
