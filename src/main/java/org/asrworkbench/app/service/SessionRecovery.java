package org.asrworkbench.app.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells a killed workbench from one that was closed. While the workbench runs, a marker file
 * beside the autosave ({@code autosave.json.running}) holds its process id; a clean shutdown
 * deletes it. On the next start, a marker whose process is gone and an autosave that reads
 * mean the previous run ended without shutting down: its session can be recovered.
 */
public final class SessionRecovery {
    private final Path autosave;
    private final Path marker;

    public SessionRecovery(Path autosave) {
        this.autosave = autosave;
        this.marker = autosave.resolveSibling(autosave.getFileName() + ".running");
    }

    /** The marker file of a running workbench. */
    public Path marker() {
        return marker;
    }

    /**
     * Call once at start: returns the autosave of a previous run that did not shut down cleanly
     * (empty when there is none, when that run is still alive, or when its autosave is unreadable),
     * then marks this run as running.
     */
    public Optional<Path> start() throws IOException {
        Optional<Path> recoverable = crashedRun() && readable() ? Optional.of(autosave) : Optional.empty();
        Files.createDirectories(marker.toAbsolutePath().getParent());
        AtomicText.write(marker, Long.toString(ProcessHandle.current().pid()));
        return recoverable;
    }

    /** Call after the last autosave of a clean shutdown: the next start offers nothing. */
    public void cleanShutdown() throws IOException {
        Files.deleteIfExists(marker);
    }

    /** A marker left by a process that no longer runs (or one that cannot be read). */
    private boolean crashedRun() {
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            long pid = Long.parseLong(Files.readString(marker, StandardCharsets.UTF_8).trim());
            return pid != ProcessHandle.current().pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true;
        }
    }

    private boolean readable() {
        try {
            SessionFile.read(autosave);
            return true;
        } catch (SessionFormatException e) {
            return false;
        }
    }
}
