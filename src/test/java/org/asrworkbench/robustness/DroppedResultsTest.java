package org.asrworkbench.robustness;

import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.service.SessionFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A job cancelled after it finished drops its result; a dropped result that holds files (a
 * dataset, a session's datasets) is closed, not left open for the life of the process.
 */
class DroppedResultsTest {
    @TempDir
    Path dir;

    /** A result that records whether it was closed. */
    static final class Held implements AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aResultDroppedByALateCancelIsClosedAndACommittedOneIsNot() {
        Bench b = new Bench();
        Held dropped = new Held();
        assertTrue(b.compute.submit("Late cancel", p -> {
            b.compute.cancel(); // the job has computed everything: the cancel comes after it finished
            return dropped;
        }, r -> { throw new AssertionError("a cancelled job commits nothing"); }));
        assertEquals(JobStatus.CANCELLED, b.model.jobStatusProperty().get());
        assertTrue(dropped.closed.get(), "the dropped result was closed");

        Held kept = new Held();
        Held[] committed = new Held[1];
        assertTrue(b.compute.submit("Kept", p -> kept, r -> committed[0] = r));
        assertEquals(JobStatus.SUCCEEDED, b.model.jobStatusProperty().get());
        assertEquals(kept, committed[0]);
        assertFalse(kept.closed.get(), "a committed result belongs to the model");
    }

    /** A small CIFAR-10 binary file (4 records). */
    private Path cifarFile() throws IOException {
        Path f = dir.resolve("four-images.bin");
        Files.write(f, new byte[4 * 3073]);
        return f;
    }

    /** This process's open files that are {@code file}, by /proc/self/fd (Linux). */
    private static long openDescriptorsOf(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path real = file.toRealPath();
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    /** Cancels the next job as soon as it starts, so that it runs to its end and is then dropped. */
    private static void cancelTheNextJobAtItsStart(Bench b) {
        AtomicBoolean once = new AtomicBoolean();
        b.model.jobStatusProperty().addListener((o, was, now) -> {
            if (now == JobStatus.RUNNING && !once.getAndSet(true)) {
                b.compute.cancel();
            }
        });
    }

    @Test
    void aDatasetOpenCancelledAfterItOpenedTheFileClosesIt() throws Exception {
        Bench b = new Bench();
        Path data = cifarFile();
        assertEquals(0, openDescriptorsOf(data));
        cancelTheNextJobAtItsStart(b);
        assertTrue(b.models.openEvalDataset(data));
        assertEquals(JobStatus.CANCELLED, b.model.jobStatusProperty().get(), b.errors.toString());
        assertNull(b.model.getEvalDataset());
        assertEquals(0, openDescriptorsOf(data), "the dropped dataset's file is closed");
    }

    @Test
    void aSessionLoadCancelledAfterItOpenedItsDatasetsClosesThem() throws Exception {
        Bench b = new Bench();
        Path data = cifarFile();
        SessionFile s = b.sessions.snapshot();
        Path session = dir.resolve("s" + SessionFile.SUFFIX);
        new SessionFile(s.version(), null, s.normalization(), data.toString(), data.toString(), s.pruneKind(),
                s.sparsity(), s.method(), s.lambda(), s.calibN(), s.seed(), s.evalLimit(), s.darkTheme(), List.of(),
                s.params(), s.rules(), s.units()).write(session);
        cancelTheNextJobAtItsStart(b);
        assertTrue(b.sessions.load(session));
        assertEquals(JobStatus.CANCELLED, b.model.jobStatusProperty().get(), b.errors.toString());
        assertNull(b.model.getEvalDataset());
        assertEquals(0, openDescriptorsOf(data), "both dropped datasets' files are closed");
    }
}
