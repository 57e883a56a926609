package org.asrworkbench.core.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsJsonTest {
    private static NetworkStats sample() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(NetworkStats.MODEL, "resnet20");
        settings.put(NetworkStats.PRUNE, "global-magnitude");
        settings.put(NetworkStats.SPARSITY, 0.9);
        settings.put(NetworkStats.SPARSITY_ACHIEVED, 0.8999985093315843);
        settings.put(NetworkStats.CALIB, NetworkStats.calib("calib_pool.bin", 512, "none"));
        settings.put(NetworkStats.METHOD, "asr");
        settings.put(NetworkStats.LAMBDA, 0.5);
        settings.put(NetworkStats.DEVICE, "cpu");
        UnitStats second = new UnitStats("layer1.0.conv1", "layer1.0.bn1", 1e-5, new double[] {0.3, -1.25},
                new double[] {0.1, 0.2}, new double[] {1.0 / 3, 2}, new double[] {1e-300, 5},
                new double[] {0.123456789012345678, 0}, new double[] {-0.5, 7}, new double[] {4, 0},
                new double[] {Double.NaN, 0});
        return new NetworkStats(settings, List.of(UnitStatsTest.handMade(), second));
    }

    private static void assertSameUnit(UnitStats a, UnitStats b) {
        assertEquals(a.unit(), b.unit());
        assertEquals(a.bn(), b.bn());
        assertEquals(a.eps(), b.eps());
        assertArrayEquals(a.gamma(), b.gamma());
        assertArrayEquals(a.runningMean(), b.runningMean());
        assertArrayEquals(a.runningVar(), b.runningVar());
        assertArrayEquals(a.muD(), b.muD());
        assertArrayEquals(a.s2D(), b.s2D());
        assertArrayEquals(a.muP(), b.muP());
        assertArrayEquals(a.s2P(), b.s2P());
        assertArrayEquals(a.rho(), b.rho());
    }

    @Test
    void roundTripsThroughAFileExactly(@TempDir Path dir) throws Exception {
        NetworkStats s = sample();
        Path file = dir.resolve("sub/stats.json");
        StatsJson.write(file, s);
        StatsJson.write(file, s); // replaces the existing file
        NetworkStats back = StatsJson.read(file);
        assertEquals(s.settings(), back.settings());
        assertEquals(2, back.units().size());
        for (int i = 0; i < 2; i++) {
            assertSameUnit(s.units().get(i), back.units().get(i));
        }
        assertSameUnit(s.unit("layer1.0.conv1"), back.unit("layer1.0.conv1"));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void writesTheSpecFieldNamesAndDerivedValues() throws Exception {
        JsonNode root = new ObjectMapper().readTree(StatsJson.toJson(sample()));
        assertEquals("resnet20", root.get("model").asText());
        assertEquals(512, root.get("calib").get("n").asInt());
        JsonNode u = root.get("units").get(0);
        for (String f : List.of("unit", "bn", "eps", "gamma", "running_mean", "running_var", "mu_d", "s2_d", "mu_p",
                "s2_p", "rho", "r", "R", "dead", "collapsed")) {
            assertTrue(u.has(f), "field " + f);
        }
        assertEquals(0.5, u.get("r").get(0).asDouble());
        assertEquals(Math.sqrt(5.25 / 6), u.get("R").asDouble());
        assertEquals("[1]", u.get("dead").toString());
        assertEquals("[0]", u.get("collapsed").toString());
        assertEquals("NaN", root.get("units").get(1).get("rho").get(0).asText());
    }

    @Test
    void derivedFieldsAreRecomputedOnLoad() {
        String json = StatsJson.toJson(sample()).replace("\"R\" : ", "\"R\" : 12345.0, \"ignored\" : ");
        assertTrue(json.contains("12345.0"), "the stored R was altered");
        NetworkStats back = StatsJson.fromJson(json);
        assertEquals(Math.sqrt(5.25 / 6), back.units().get(0).R(), 1e-15);
    }

    @Test
    void errorsNameTheSourceAndTheProblem(@TempDir Path dir) throws Exception {
        StatsFormatException e = assertThrows(StatsFormatException.class,
                () -> StatsJson.fromJson(StatsJson.toJson(sample()).replace("\"s2_p\"", "\"s2_x\"")));
        assertTrue(e.getMessage().contains("units[0]") && e.getMessage().contains("s2_p"), e.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": \"x\"}");
        e = assertThrows(StatsFormatException.class, () -> StatsJson.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("units"), e.getMessage());
        Path missing = dir.resolve("missing.json");
        StatsFormatException io = assertThrows(StatsFormatException.class, () -> StatsJson.read(missing));
        assertTrue(io.getMessage().contains(missing.toString()));
        assertThrows(StatsFormatException.class, () -> StatsJson.fromJson("not json"));
    }

    @Test
    void networkStatsLooksUpUnitsAndRejectsDuplicates() {
        NetworkStats s = sample();
        assertTrue(s.hasUnit("conv"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.unit("nope"));
        assertTrue(e.getMessage().contains("layer1.0.conv1"));
        assertThrows(IllegalArgumentException.class,
                () -> new NetworkStats(Map.of(), List.of(UnitStatsTest.handMade(), UnitStatsTest.handMade())));
        assertThrows(IllegalArgumentException.class, () -> new NetworkStats(Map.of("units", 1), List.of()));
    }
}
