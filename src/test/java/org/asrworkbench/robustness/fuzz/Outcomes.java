package org.asrworkbench.robustness.fuzz;

import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.io.ModelFormatException;
import org.asrworkbench.core.stats.StatsFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The contract every reader must keep on hostile input, and a tally of what each input gave. A
 * read may succeed or throw one of the project's typed errors whose message names the file (a
 * path under the work directory); anything else (a runtime exception, an {@link Error}, a read
 * slower than {@link #SLOW_NANOS}) fails the input.
 */
final class Outcomes {
    /** Allowed types; each message starts with the path of the file (or directory) it is about. */
    static final List<Class<? extends Exception>> TYPED = List.of(ModelFormatException.class,
            DatasetFormatException.class, StatsFormatException.class, SessionFormatException.class);
    /** One read of a few kilobytes that takes longer than this is a hang. */
    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Map<Target, Map<String, Long>> TALLY = new EnumMap<>(Target.class);
    private static final Map<Target, Long> INPUTS = new EnumMap<>(Target.class);
    private static Path work;

    private Outcomes() {
    }

    /**
     * Writes {@code data} as {@code target}'s files, runs every read and checks the outcome of each.
     *
     * @return the outcome of each read: {@code read}, or the simple name of the typed error
     */
    static synchronized List<String> check(Target target, byte[] data) throws Exception {
        Path dir = workDirectory().resolve(target.method());
        INPUTS.merge(target, 1L, Long::sum);
        List<String> outcomes = new ArrayList<>();
        for (Target.Read read : target.prepare(dir, data)) {
            long t0 = System.nanoTime();
            String outcome;
            try {
                read.run();
                outcome = "read";
            } catch (Exception e) {
                if (TYPED.stream().noneMatch(t -> t.isInstance(e))) {
                    throw e;
                }
                if (e.getMessage() == null || !e.getMessage().startsWith(dir.toString())) {
                    throw new AssertionError("the message does not start with the file: " + e.getMessage(), e);
                }
                outcome = e.getClass().getSimpleName();
            }
            long nanos = System.nanoTime() - t0;
            if (nanos > SLOW_NANOS) {
                throw new AssertionError(target + ": one read of " + data.length + " bytes took "
                        + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
            }
            TALLY.computeIfAbsent(target, t -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** Prints one line per target: inputs, then reads by outcome. */
    static synchronized void print(PrintStream out) {
        INPUTS.forEach((t, n) -> out.println("fuzz " + t.method() + ": " + n + " inputs; reads " + TALLY.get(t)));
    }

    private static Path workDirectory() {
        if (work == null) {
            try {
                work = Files.createTempDirectory("asr-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            work.toFile().deleteOnExit();
        }
        return work;
    }
}
