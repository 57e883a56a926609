package org.asrworkbench.robustness;

import org.asrworkbench.app.controller.SweepController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepModel;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.util.SettingRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session values are validated on load, naming the file and the field (a bad value was shown and
 * autosaved, refused only on Apply), and every place that takes a sparsity or a calibration size
 * applies the one rule of {@link SettingRules}.
 */
class SettingValuesTest {
    @TempDir
    Path dir;

    /** A saved session of the opened bench with one field changed. */
    private Path session(Bench b, String field, double value) throws Exception {
        SessionFile s = b.sessions.snapshot();
        Map<String, Double> params = new java.util.TreeMap<>(s.params());
        if (field.equals("lambda")) {
            params.put("lambda", value);
        }
        SessionFile bad = new SessionFile(s.version(), s.model(), s.normalization(), s.evalDataset(), s.calibDataset(),
                s.pruneKind(), field.equals("sparsity") ? value : s.sparsity(), s.method(),
                field.equals("lambda") ? value : s.lambda(), field.equals("calibN") ? (int) value : s.calibN(),
                s.seed(), field.equals("evalLimit") ? (int) value : s.evalLimit(), s.darkTheme(), s.runs(), params,
                s.rules(), s.units());
        Path file = dir.resolve("bad-" + field + SessionFile.SUFFIX);
        bad.write(file);
        return file;
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"sparsity, -3", "sparsity, 1", "lambda, -1", "calibN, -5", "calibN, 0", "evalLimit, -1"})
    void aSessionWithAnInvalidValueIsRefusedOnLoadNamingTheFileAndTheField(String field, double value) throws Exception {
        Bench b = new Bench().openSample();
        Path file = session(b, field, value);
        Bench.State before = b.state();
        assertTrue(b.sessions.load(file));
        assertEquals(JobStatus.FAILED, b.model.jobStatusProperty().get());
        assertEquals(1, b.errors.size(), b.errors.toString());
        String m = b.errors.get(0);
        assertTrue(m.startsWith(file.toString()) && m.contains("field '" + field + "'") || m.contains("params', " + field),
                m);
        b.assertUnchanged(before);
    }

    @Test
    void aValidSessionStillLoads() throws Exception {
        Bench b = new Bench().openSample();
        Path file = session(b, "sparsity", 0.95);
        assertTrue(b.sessions.load(file));
        assertEquals(JobStatus.SUCCEEDED, b.model.jobStatusProperty().get(), b.errors.toString());
        assertEquals(0.95, b.model.sparsityProperty().get());
    }

    @Test
    void gridsAndTheSweepDialogRefuseWhatTheRuleRefuses() {
        IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
                () -> SettingRules.sparsity("sparsity", 1.0));
        assertEquals("sparsity must be in [0, 1), not 1.0", rule.getMessage());
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class, () -> new SweepGrid(List.of(new SweepModel("m.safetensors", null, null, "data.bin", null, null, null)),
                List.of(PruneKind.GLOBAL_MAGNITUDE), List.of(1.0), List.of(RepairMethods.builtin("asr")),
                Map.of(), List.of(16), List.of("0")));
        assertEquals(rule.getMessage(), grid.getMessage());
        IllegalArgumentException dialog = assertThrows(IllegalArgumentException.class, () -> SweepController.grid(
                List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5, 1.0", List.of(RepairMethods.builtin("asr")), Map.of(), "0", 16));
        assertTrue(dialog.getMessage().contains("must be in [0, 1), not 1.0"), dialog.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> SweepController.grid(
                List.of(PruneKind.GLOBAL_MAGNITUDE), "0.5", List.of(RepairMethods.builtin("asr")), Map.of(), "0", 0));
        assertEquals("Calibration N must be a whole number of at least 1, not 0", n.getMessage());
    }
}
