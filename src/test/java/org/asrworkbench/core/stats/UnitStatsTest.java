package org.asrworkbench.core.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitStatsTest {
    /** eps = 1 so that r is easy by hand: r = sqrt((s2p + 1) / (s2d + 1)) = 0.5, 2, 0.5, 2. */
    static UnitStats handMade() {
        return new UnitStats("conv", "bn", 1.0, new double[] {1, 0, 2, 1}, new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {2, 3, 4, 5}, new double[] {1, 0, 2, 3}, new double[] {3, 0, 15, 1},
                new double[] {0.5, 0.7, 1.5, 2.5}, new double[] {0, 3, 3, 7}, new double[] {0, 0, 0.9, 0.8});
    }

    @Test
    void retentionAndLayerRetentionByHand() {
        UnitStats s = handMade();
        assertArrayEquals(new double[] {0.5, 2, 0.5, 2}, s.r(), 1e-15);
        // gamma^2 = 1, 0, 4, 1: (0.25 + 0 + 1 + 4) / 6
        assertEquals(Math.sqrt(5.25 / 6), s.R(), 1e-15);
        assertEquals(4, s.channels());
    }

    @Test
    void layerRetentionWithoutGammaIsTheRootMeanSquare() {
        assertEquals(Math.sqrt((0.25 + 4) / 2), UnitStats.layerRetention(new double[] {0, 0}, new double[] {0.5, 2}),
                1e-15);
    }

    @Test
    void deadAndCollapsedChannels() {
        UnitStats s = handMade();
        assertArrayEquals(new boolean[] {false, true, false, false}, s.dead());
        assertArrayEquals(new boolean[] {true, false, false, false}, s.collapsed());
        assertEquals(1, s.deadCount());
        assertEquals(1, s.collapsedCount());
        UnitStats both = new UnitStats("u", "b", 1e-5, new double[] {1}, new double[] {0}, new double[] {1},
                new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0}, new double[] {0});
        assertEquals(1, both.deadCount());
        assertEquals(0, both.collapsedCount(), "a channel dead in D is not also collapsed");
    }

    @Test
    void ofConvertsBatchNormParametersAndMoments() {
        ChannelMoments m = new ChannelMoments(2);
        m.addValues(new float[] {1, 5, 3, 5}, new float[] {2, 0, 2, 0}, 2, 2, 1);
        UnitStats s = UnitStats.of("layer1.0.conv1", "layer1.0.bn1", 1e-5, new float[] {1, 2}, new float[] {0.5f, -1},
                new float[] {0, 1}, new float[] {1, 4}, m);
        assertArrayEquals(new double[] {0.5, -1}, s.beta());
        assertArrayEquals(new double[] {2, 5}, s.muD());
        assertArrayEquals(new double[] {1, 0}, s.s2D());
        assertArrayEquals(new double[] {0, 0}, s.s2P());
        assertArrayEquals(new double[] {1, 4}, s.runningVar());
        assertArrayEquals(new boolean[] {false, true}, s.dead());
        assertThrows(IllegalArgumentException.class,
                () -> UnitStats.of("u", "b", 1e-5, new float[3], new float[3], new float[3], new float[3], m));
    }

    @Test
    void rejectsArraysOfDifferentLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitStats("u", "b", 1e-5, new double[2], new double[2], new double[2], new double[2],
                        new double[3], new double[2], new double[2], new double[2]));
        assertTrue(e.getMessage().contains("s2_d"));
    }
}
