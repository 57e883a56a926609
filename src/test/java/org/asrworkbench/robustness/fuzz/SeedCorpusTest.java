package org.asrworkbench.robustness.fuzz;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every seed the generator names is committed, and each is a valid file: at least one of its
 * target's reads accepts it (the others, e.g. a CIFAR-10 batch read as CIFAR-100, give typed errors).
 */
class SeedCorpusTest {
    @Test
    void everyCommittedSeedIsAValidFile() throws Exception {
        for (Target t : Target.values()) {
            Map<String, byte[]> seeds = SeedCorpus.seeds(t);
            assertTrue(seeds.size() > 0, t.toString());
            for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
                Path committed = SeedCorpus.DIRECTORY.resolve(t.method()).resolve(e.getKey());
                assertTrue(Files.isRegularFile(committed), committed + " is missing: run SeedCorpus.main");
                List<String> outcomes = Outcomes.check(t, Files.readAllBytes(committed));
                assertTrue(outcomes.contains("read"), committed + ": " + outcomes);
            }
        }
    }

    @Test
    void everyCommittedHostileSeedIsRefusedByEveryRead() throws Exception {
        int hostile = 0;
        for (Target t : Target.values()) {
            for (Map.Entry<String, byte[]> e : SeedCorpus.hostile(t).entrySet()) {
                Path committed = SeedCorpus.DIRECTORY.resolve(t.method()).resolve(e.getKey());
                assertTrue(Files.isRegularFile(committed), committed + " is missing: run SeedCorpus.main");
                assertArrayEquals(e.getValue(), Files.readAllBytes(committed), committed + " is stale: run SeedCorpus.main");
                List<String> outcomes = Outcomes.check(t, e.getValue());
                assertFalse(outcomes.contains("read"), committed + ": " + outcomes);
                hostile++;
            }
        }
        assertTrue(hostile >= 8, hostile + " hostile seeds");
    }
}
