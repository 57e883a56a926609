package org.asrworkbench.cli;

import org.asrworkbench.core.stats.SequentialPass;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --memory-budget}: the option when given, else an eighth of physical memory within 1-16 GiB. */
class MemoryBudgetTest {

    private static SequentialPass.Config parse(String... args) {
        RepairOptions options = new RepairOptions();
        new CommandLine(options).parseArgs(args);
        return CliSupport.passConfig(options);
    }

    @Test
    void theOptionWinsWhenGiven() {
        assertEquals(512L << 20, parse("--memory-budget", "512").memoryBudgetBytes());
        assertEquals(64, parse("--chunk-size", "64").chunkSize());
    }

    @Test
    void withoutItTheMachinesDefaultIsUsed() {
        long budget = parse().memoryBudgetBytes();
        assertEquals(SequentialPass.Config.defaultMemoryBudgetBytes(), budget);
        assertEquals(SequentialPass.Config.DEFAULT.memoryBudgetBytes(), budget);
        assertTrue(budget >= 1L << 30 && budget <= 16L << 30, "between 1 and 16 GiB: " + budget);
    }
}
