package org.asrworkbench.robustness.fuzz;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
}
