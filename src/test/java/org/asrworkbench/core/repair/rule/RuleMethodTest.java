package org.asrworkbench.core.repair.rule;

import org.asrworkbench.core.repair.BuiltinMethodTest;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.UnitStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule files on hand-made statistics: the spec's variables, aggregates, functions and defaults. */
class RuleMethodTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    private RuleMethod rule(String fields) throws IOException {
        return RuleMethod.load(write("r.json", "{\"name\": \"t\", " + fields + "}"));
    }

    private static UnitRepair decide(RepairMethod m, Map<String, Double> params) {
        return m.decide(BuiltinMethodTest.unit(), new RepairSettings(m, params).params());
    }

    @Test
    void theSpecsAsrRuleIsTheBuiltInAsr() {
        RuleMethod asr = RuleMethod.load(Path.of("rules/asr.json"));
        assertEquals("rule:asr-as-rule", asr.id());
        assertEquals(List.of("t", "w"), asr.lets());
        for (double lambda : new double[] {0, 0.1, 0.4, 2, 16}) {
            UnitRepair rule = decide(asr, Map.of("lambda", lambda));
            UnitRepair builtin = decide(RepairMethod.ASR, Map.of("lambda", lambda));
            assertArrayEquals(builtin.gain(), rule.gain(), "lambda " + lambda);
            assertArrayEquals(builtin.mean(), rule.mean());
            assertArrayEquals(builtin.var(), rule.var());
            assertArrayEquals(builtin.value("w"), rule.value("w"), 1e-15);
            assertArrayEquals(builtin.relVarAfter(), rule.relVarAfter(), 1e-15);
        }
        // the let values are reported per channel, in order
        UnitRepair r = decide(asr, Map.of("lambda", 0.4));
        assertEquals(List.of("t", "w"), List.copyOf(r.values().keySet()));
        assertArrayEquals(new double[] {0.25, 1, 0.25, 1}, r.value("t"), 1e-15);
    }

    @Test
    void absentOutputsDefaultToMuPVAndOne() throws IOException {
        UnitRepair u = decide(rule("\"description\": \"nothing\""), Map.of());
        UnitRepair cw = decide(RepairMethod.CHANNEL_WISE, Map.of());
        assertArrayEquals(cw.mean(), u.mean());
        assertArrayEquals(cw.var(), u.var());
        assertArrayEquals(new float[] {1, 1, 1, 1}, u.gain());
    }

    @Test
    void variablesAggregatesAndFunctions() throws IOException {
        UnitStats s = BuiltinMethodTest.unit();
        RuleMethod all = rule("\"let\": {"
                + "\"sd\": \"s2_d + 0 * (mu_d + mu_p + s2_p + rho + r + m + v + gamma + eps)\","
                + "\"agg\": \"median(r) + 10 * mean(r) + 100 * min(r) + 1000 * max(r) + 10000 * sum(r)\","
                + "\"unit\": \"R + 10 * channels + 100 * virtual\","
                + "\"fn\": \"sqrt(4) + exp(0) + log(1) + abs(-2) + min(1, 2) + max(1, 2) + clamp(5, 0, 3)\","
                + "\"cmp\": \"(r < 1) + 2 * (r <= 0.5) + 4 * (r > 1) + 8 * (r >= 2) + 16 * (r == 2) + 32 * (r != 2)\","
                + "\"logic\": \"r < 1 && gamma > 0 || !(s2_d > 0)\","
                + "\"tern\": \"r < 1 ? -1 : 2^3^2\","
                + "\"ieee\": \"(1 / 0)^0 + -2^2\"}");
        UnitRepair u = decide(all, Map.of());
        assertArrayEquals(s.s2D(), u.value("sd"));
        // r = 0.5, 2, 0.5, 2: median 1.25, mean 1.25, min 0.5, max 2, sum 5
        double agg = 1.25 + 12.5 + 50 + 2000 + 50000;
        assertArrayEquals(new double[] {agg, agg, agg, agg}, u.value("agg"), 1e-9);
        double unit = s.R() + 40;
        assertArrayEquals(new double[] {unit, unit, unit, unit}, u.value("unit"), 1e-12);
        // 2 + 1 + 0 + 2 + 1 + 2 + 3
        assertArrayEquals(new double[] {11, 11, 11, 11}, u.value("fn"), 1e-12);
        assertArrayEquals(new double[] {1 + 2 + 32, 4 + 8 + 16, 1 + 2 + 32, 4 + 8 + 16}, u.value("cmp"));
        // channel 1 is dead (s2_d = 0) and r = 2; channel 0 has r 0.5 and gamma 1
        assertArrayEquals(new double[] {1, 1, 1, 0}, u.value("logic"));
        // ^ is right-associative: 2^3^2 = 2^9
        assertArrayEquals(new double[] {-1, 512, -1, 512}, u.value("tern"));
        // IEEE: (1/0)^0 = 1; unary minus binds looser than ^: -2^2 = -4
        assertArrayEquals(new double[] {-3, -3, -3, -3}, u.value("ieee"));
    }

    @Test
    void betaIsTheBatchNormsBiasAndIsRequiredWhenUsed() throws IOException {
        RuleMethod b = rule("\"mean\": \"mu_p + 0 * beta\"");
        UnitStats s = BuiltinMethodTest.unit();
        RuleException e = assertThrows(RuleException.class, () -> b.decide(s, Map.of()));
        assertTrue(e.getMessage().contains("uses beta"), e.getMessage());
        UnitStats withBeta = new UnitStats(s.unit(), s.bn(), s.eps(), s.gamma(), s.runningMean(), s.runningVar(),
                s.muD(), s.s2D(), s.muP(), s.s2P(), s.rho(), new double[] {1, 2, 3, 4});
        RuleMethod shows = rule("\"let\": {\"b\": \"beta\"}");
        assertArrayEquals(new double[] {1, 2, 3, 4}, shows.decide(withBeta, Map.of()).value("b"));
    }

    @Test
    void deadChannelsKeepGainOne() throws IOException {
        UnitRepair u = decide(rule("\"gain\": \"3\""), Map.of());
        assertArrayEquals(new float[] {3, 1, 3, 3}, u.gain());
    }

    @Test
    void aNonFiniteGainFailsNamingRuleUnitChannelAndValues() throws IOException {
        // channel 0 has s2_p = 0: log(s2_p) = -Infinity
        RuleMethod bad = rule("\"let\": {\"q\": \"log(s2_p)\"}, \"gain\": \"1 / r + q\"");
        RuleException e = assertThrows(RuleException.class, () -> decide(bad, Map.of()));
        String m = e.getMessage();
        assertTrue(m.contains("rule 't'") && m.contains("r.json") && m.contains("unit 'conv'")
                && m.contains("channel 0") && m.contains("gain = -Infinity") && m.contains("q = -Infinity")
                && m.contains("nothing is applied"), m);
        RuleMethod negVar = rule("\"var\": \"-v - eps\"");
        assertTrue(assertThrows(RuleException.class, () -> decide(negVar, Map.of())).getMessage()
                .contains("var + eps"));
        RuleMethod floatOverflow = rule("\"gain\": \"1e300 * r\"");
        assertTrue(assertThrows(RuleException.class, () -> decide(floatOverflow, Map.of())).getMessage()
                .contains("gain = 5.0E299"), "a gain beyond float range is not finite once applied");
    }

    @Test
    void parametersHaveDefaultsRangesAndScales() throws IOException {
        RuleMethod r = RuleMethod.load(Path.of("rules/clamped-channel-wise.json"));
        assertEquals(1, r.params().size());
        assertEquals(4, r.params().get(0).defaultValue());
        assertTrue(r.params().get(0).log());
        assertArrayEquals(new float[] {2, 1, 2, 0.5f}, decide(r, Map.of()).gain());
        assertArrayEquals(new float[] {1.5f, 1, 1.5f, 1 / 1.5f}, decide(r, Map.of("limit", 1.5)).gain());
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.of(r, "limit", 0.5));
        assertThrows(IllegalArgumentException.class, () -> RepairSettings.of(r, "other", 2));
        RepairSettings s = RepairMethods.parseSettings("rule:rules/clamped-channel-wise.json:limit=2");
        assertEquals(2.0, s.param("limit"));
        assertEquals("rule:clamped-channel-wise (limit 2)", s.label());
        assertEquals(RepairMethods.parseSettings("rule:rules/clamped-channel-wise.json:2"), s);
    }

    @Test
    void theKeyFollowsTheContentNotThePath() throws IOException {
        Path a = write("a.json", "{\"name\": \"k\", \"gain\": \"1 / r\"}");
        Path b = write("b.json", "{\"name\": \"k\", \"gain\": \"1 / r\"}");
        Path c = write("c.json", "{\"name\": \"k\", \"gain\": \"2 / r\"}");
        assertEquals(RuleMethod.load(a).key(), RuleMethod.load(b).key());
        assertEquals(RuleMethod.load(a), RuleMethod.load(b));
        assertNotEquals(RuleMethod.load(a).key(), RuleMethod.load(c).key());
        assertTrue(RuleMethod.load(a).key().startsWith("rule:k@"));
    }

    @Test
    void everyExampleRuleLoadsAndRepairs() throws IOException {
        try (var files = Files.list(Path.of("rules"))) {
            List<Path> rules = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertTrue(rules.size() >= 4, rules.toString());
            for (Path p : rules) {
                RuleMethod r = RuleMethod.load(p);
                UnitRepair u = r.decide(BuiltinMethodTest.unit(), RepairSettings.of(r).params());
                assertEquals(4, u.channels(), p.toString());
                assertTrue(r.description().length() > 10, p + " says what it does");
            }
        }
        // least squares: rho / r; rho = 0, 0, 0.9, 0.8 and r = 0.5, (dead), 0.5, 2
        assertArrayEquals(new float[] {0, 1, 1.8f, 0.4f}, decide(RuleMethod.load(Path.of("rules/least-squares.json")),
                Map.of()).gain());
    }
}
