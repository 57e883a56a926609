package org.asrworkbench.robustness;

import org.asrworkbench.app.controller.ExportController;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.service.UserAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every user action reports every failure in words (the window shows it in a dialog) and leaves
 * the state as it was: File › Export statistics JSON threw an unchecked I/O exception into the
 * FX thread, which the window's action wrapper did not catch (it caught two exception types).
 * The window runs every menu item, button and dropped file through {@link UserAction}.
 */
class UserActionsTest {
    @TempDir
    Path dir;

    @Test
    void anExportThatCannotWriteIsReportedNamingTheFileAndChangesNothing() throws Exception {
        Bench b = new Bench().openSample();
        assertTrue(b.repair.applyAndEvaluate());
        assertEquals(JobStatus.SUCCEEDED, b.model.jobStatusProperty().get(), b.errors.toString());
        Path notADirectory = Files.writeString(dir.resolve("runs.csv"), "x");
        Path target = notADirectory.resolve("stats.json");
        Bench.State before = b.state();
        List<String> dialogs = new ArrayList<>();
        ExportController exports = new ExportController(b.model, b.compute);
        assertFalse(UserAction.run(() -> exports.exportStats(target), dialogs::add));
        assertEquals(1, dialogs.size());
        assertTrue(dialogs.get(0).startsWith(target.toString()) && dialogs.get(0).contains("cannot write statistics"),
                dialogs.get(0));
        b.assertUnchanged(before);
        assertFalse(Files.exists(target));
    }

    @Test
    void everyKindOfFailureIsReportedInWords() {
        List<String> dialogs = new ArrayList<>();
        assertFalse(UserAction.run(() -> {
            throw new java.io.IOException("f.json: disk full");
        }, dialogs::add));
        assertFalse(UserAction.run(() -> {
            throw new NullPointerException();
        }, dialogs::add));
        assertFalse(UserAction.run(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, dialogs::add));
        assertTrue(UserAction.run(() -> { }, dialogs::add));
        assertEquals(3, dialogs.size(), dialogs.toString());
        assertEquals("f.json: disk full", dialogs.get(0));
        assertEquals("NullPointerException", dialogs.get(1));
        assertTrue(dialogs.get(2).startsWith("out of memory (Java heap space)"), dialogs.get(2));
    }
}
