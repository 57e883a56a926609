package org.asrworkbench.robustness;

import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.app.service.SessionRecovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions survive a killed process: autosaves are written atomically, and the start after a
 * process that did not shut down cleanly offers its autosave back (without the FX toolkit).
 */
@Timeout(120)
class SessionRecoveryTest {
    @TempDir
    Path dir;

    /** A session told apart by its seed. */
    static SessionFile session(String seed) {
        return new SessionFile(SessionFile.VERSION, "/m/model.safetensors", "cifar", null, null, "global-magnitude",
                0.9, "asr", 0.25, 1024, seed, 0, false, List.of());
    }

    @Test
    void cleanShutdownOffersNothingOnTheNextStart() throws Exception {
        Path autosave = dir.resolve("autosave.json");
        SessionRecovery first = new SessionRecovery(autosave);
        assertEquals(Optional.empty(), first.start(), "first start ever");
        session("1").write(autosave);
        first.cleanShutdown();
        assertFalse(Files.exists(first.marker()));
        assertEquals(Optional.empty(), new SessionRecovery(autosave).start());
    }

    @Test
    void aKilledProcessIsOfferedOnTheNextStart() throws Exception {
        Path autosave = dir.resolve("autosave.json");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledWorkbench.class.getName(), autosave.toString())
                // stderr apart: the JVM may print notices there (JAVA_TOOL_OPTIONS), stdout carries only "ready"
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(new SessionRecovery(autosave).marker()), "a killed process leaves its marker");

        Optional<Path> offered = new SessionRecovery(autosave).start();
        assertEquals(Optional.of(autosave), offered);
        assertEquals("killed", SessionFile.read(offered.get()).seed(), "the killed process's last autosave");
    }

    @Test
    void aRunningWorkbenchIsNotMistakenForACrash() throws Exception {
        Path autosave = dir.resolve("autosave.json");
        session("1").write(autosave);
        SessionRecovery recovery = new SessionRecovery(autosave);
        // The marker of a process that is alive (this test's own parent, the build tool) is no crash.
        long alive = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Files.writeString(recovery.marker(), Long.toString(alive));
        assertEquals(Optional.empty(), recovery.start());
    }

    @Test
    void anUnreadableAutosaveIsNotOffered() throws Exception {
        Path autosave = dir.resolve("autosave.json");
        Files.writeString(autosave, "{\"version\": 1, \"runs\": [");
        SessionRecovery recovery = new SessionRecovery(autosave);
        Files.writeString(recovery.marker(), "not a pid");
        assertEquals(Optional.empty(), recovery.start());
    }

    @Test
    void readersNeverSeeHalfASession() throws Exception {
        Path file = dir.resolve("session.json");
        session("start").write(file);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 300; i++) {
                    session("seed-" + i + "-".repeat(i % 50)).write(file);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        int reads = 0;
        while (writer.isAlive() || reads == 0) {
            try {
                assertTrue(SessionFile.read(file).seed().startsWith("s"));
            } catch (SessionFormatException e) {
                throw new AssertionError("read a partial session after " + reads + " reads", e);
            }
            reads++;
        }
        writer.join();
        assertNull(failure.get());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary files are left behind");
        }
    }
}
