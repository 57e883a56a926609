package org.asrworkbench.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options checked by the one rule a grid file, a session and the workbench apply too: a value
 * outside it is a usage error naming the option, before anything is loaded ({@code --sparsity
 * 1.0} was taken by {@code repair} though its help says [0, 1); {@code --memory-budget 0} and
 * {@code -1} were taken silently).
 */
class SettingOptionsTest {
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "repair, --sparsity, 1.0, sparsity must be in [0, 1), not 1.0",
            "repair, --sparsity, -0.1, sparsity must be in [0, 1), not -0.1",
            "prune, --sparsity, 1.5, sparsity must be in [0, 1), not 1.5",
            "repair, --memory-budget, 0, the memory budget must be a whole number of MiB, at least 1, not 0",
            "repair, --memory-budget, -1, the memory budget must be a whole number of MiB, at least 1, not -1",
            "sweep, --memory-budget, 0, the memory budget must be a whole number of MiB, at least 1, not 0",
            "repair, --calib-n, 0, the number of images must be a whole number of at least 1, not 0",
            "repair, --select-n, -5, the number of images must be a whole number of at least 1, not -5",
            "sweep, --sparsities, '0.5,1', sparsity must be in [0, 1), not 1.0",
            "repair, --memory-budget, lots, 'lots' is not a whole number of MiB",
    })
    void aValueOutsideTheRuleIsAUsageErrorNamingTheOption(String command, String option, String value, String problem) {
        CommandLineTest.Run r = CommandLineTest.run(command, option, value, "--model", "missing.safetensors");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Invalid value for option '" + option + "'") && r.err().contains(": " + problem),
                r.err());
    }
}
