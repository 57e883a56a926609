package org.asrworkbench.core.repair;

import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreviewTest {
    /** ResNet-56 sized: 55 units of 16, 32 or 64 channels with random statistics. */
    private static NetworkStats resnet56Like() {
        Random rnd = new Random(7);
        List<UnitStats> units = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            int c = i < 19 ? 16 : i < 37 ? 32 : 64;
            double[][] a = new double[8][c];
            for (double[] row : a) {
                for (int k = 0; k < c; k++) {
                    row[k] = 0.05 + rnd.nextDouble();
                }
            }
            a[6][0] = 0; // one collapsed channel per unit
            units.add(new UnitStats("u" + i, "bn" + i, 1e-5, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]));
        }
        return new NetworkStats(Map.of(NetworkStats.MODEL, "resnet56"), units);
    }

    @Test
    void previewAppliesTheRulesToEveryUnitAndIsLabelled() {
        NetworkStats stats = resnet56Like();
        RepairSettings settings = RepairSettings.of(RepairMethod.ASR, "lambda", 0.5);
        RepairPlan plan = Preview.preview(stats, settings);
        assertTrue(plan.preview());
        assertEquals(settings, plan.settings());
        assertEquals(55, plan.units().size());
        UnitRepair direct = RepairMethod.ASR.decide(stats.unit("u40"), settings.params());
        assertArrayEquals(direct.gain(), plan.unit("u40").gain());
        assertEquals(List.of("bn0", "bn1"), plan.overrides().keySet().stream().limit(2).toList());
        assertArrayEquals(direct.mean(), plan.overrides().get("bn40").mean());
        assertThrows(IllegalArgumentException.class, () -> plan.unit("nope"));
    }

    @Test
    void previewOfAResNet56IsFarBelowTwentyMilliseconds() {
        NetworkStats stats = resnet56Like();
        RepairSettings settings = RepairSettings.of(RepairMethod.ASR);
        for (int i = 0; i < 200; i++) {
            Preview.preview(stats, settings);
        }
        long[] times = new long[25];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            Preview.preview(stats, settings);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        double medianMs = times[times.length / 2] / 1e6;
        assertTrue(medianMs < 20, "preview took " + medianMs + " ms");
    }
}
