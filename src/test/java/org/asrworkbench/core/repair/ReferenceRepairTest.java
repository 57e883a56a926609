package org.asrworkbench.core.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.asrworkbench.core.io.SafetensorsReader;
import org.asrworkbench.core.stats.UnitStats;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The independent implementation's per-unit statistics, fed through our rules, must give its
 * r, R, w, ASR gain (lambda 0.5) and layer-wise gain.
 */
class ReferenceRepairTest {
    private static final double REL = 1e-4;

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    private static double[] param(StateDict sd, String name) {
        float[] f = sd.require(name).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void assertRel(double expected, double actual, String what) {
        assertEquals(expected, actual, REL * Math.abs(expected), what);
    }

    @Test
    void rulesReproduceTheReferenceOnResNet20() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(
                SharedData.require("reference/resnet20-gm0.9-asr0.5-n512.json").toFile());
        StateDict sd = SafetensorsReader.read(SharedData.resnet20Safetensors());
        double lambda = ref.get("lambda").asDouble();
        assertEquals(0.5, lambda);
        JsonNode units = ref.get("units");
        assertEquals(19, units.size());
        int collapsed = 0;
        for (JsonNode u : units) {
            String name = u.get("unit").asText();
            String bn = u.get("bn").asText();
            UnitStats s = new UnitStats(name, bn, 1e-5, param(sd, bn + ".weight"), param(sd, bn + ".running_mean"),
                    param(sd, bn + ".running_var"), doubles(u.get("mu_d")), doubles(u.get("s2_d")),
                    doubles(u.get("mu_p")), doubles(u.get("s2_p")), doubles(u.get("rho")));
            UnitRepair asr = RepairMethod.ASR.decide(s, RepairSettings.of(RepairMethod.ASR, "lambda", lambda).params());
            UnitRepair lw = RepairMethod.LAYER_WISE.decide(s, java.util.Map.of());
            double[] r = s.r();
            double[] refR = doubles(u.get("r"));
            double[] refW = doubles(u.get("w_asr"));
            double[] refGain = doubles(u.get("gain_asr"));
            double refLayerGain = u.get("gain_layer_wise").asDouble();
            assertRel(u.get("R").asDouble(), s.R(), name + " R");
            for (int c = 0; c < s.channels(); c++) {
                String at = name + "[" + c + "]";
                assertRel(refR[c], r[c], at + " r");
                assertRel(refW[c], asr.value("w")[c], at + " w");
                assertRel(refGain[c], asr.gain()[c], at + " ASR gain");
                assertRel(refLayerGain, lw.gain()[c], at + " layer-wise gain");
            }
            collapsed += s.collapsedCount();
        }
        assertTrue(collapsed > 0, "the reference setting has collapsed channels, so they are covered");
    }
}
