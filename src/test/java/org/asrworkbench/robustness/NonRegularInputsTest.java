package org.asrworkbench.robustness;

import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.SessionFormatException;
import org.asrworkbench.core.data.DatasetFormatException;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.io.ModelFiles;
import org.asrworkbench.core.io.ModelFormatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Inputs that are not regular files: a named pipe (opening it blocks until a writer comes, so
 * before, {@code --model FIFO} or a session naming one hung, and Cancel could not stop it), a
 * device, a directory. Each is refused before it is opened, naming the path and what it is.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NonRegularInputsTest {
    private static final String PIPE = "not a regular file (a named pipe)";
    @TempDir
    Path dir;
    private final List<Path> fifos = new ArrayList<>();

    /** A named pipe made with {@code mkfifo}; the test is skipped where there is none. */
    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here: " + e.getMessage());
            return null;
        }
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        fifos.add(p);
        return p;
    }

    /** Unblocks any reader a failing (pre-fix) test left waiting on a pipe: opens it read-write for a moment. */
    @AfterEach
    void unblockPipes() throws Exception {
        for (Path p : fifos) {
            new ProcessBuilder("sh", "-c", "exec 3<>\"$0\"; sleep 0.2", p.toString()).start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void refused(Exception e, Path file, String problem) {
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void modelThatIsANamedPipe() throws Exception {
        Path pipe = fifo("model.safetensors");
        CorruptInputsTest.cli("info", "--model", pipe.toString(), "--norm", Bench.NORM).assertFailure(pipe.toString(), PIPE);
        refused(assertThrows(ModelFormatException.class, () -> ModelFiles.readStateDict(pipe)), pipe, PIPE);
        Bench bench = new Bench();
        assertTrue(bench.models.openModel(pipe));
        assertEquals(JobStatus.FAILED, bench.model.jobStatusProperty().get());
        assertEquals(1, bench.errors.size(), bench.errors.toString());
        refused(new Exception(bench.errors.get(0)), pipe, PIPE);
    }

    @Test
    void modelThatIsADeviceOrADirectory() throws Exception {
        Path dev = Path.of("/dev/zero");
        assumeTrue(Files.exists(dev), "no /dev/zero here");
        CorruptInputsTest.cli("info", "--model", dev.toString(), "--norm", Bench.NORM)
                .assertFailure(dev.toString(), "not a regular file (a character device)");
        CorruptInputsTest.cli("info", "--model", dir.toString(), "--norm", Bench.NORM)
                .assertFailure(dir.toString(), "not a regular file (a directory)");
    }

    @Test
    void datasetThatIsANamedPipeOrADevice() throws Exception {
        Path pipe = fifo("test_batch.bin");
        refused(assertThrows(DatasetFormatException.class, () -> Datasets.open(pipe, null, DatasetOptions.defaults())),
                pipe, PIPE);
        refused(assertThrows(DatasetFormatException.class, () -> Datasets.open(pipe, Datasets.CIFAR10_BIN,
                DatasetOptions.defaults())), pipe, PIPE);
        CorruptInputsTest.cli("eval", "--model", Bench.SAMPLE.toString(), "--data", pipe.toString(), "--device", "cpu")
                .assertFailure(pipe.toString(), PIPE);
        Path dev = Path.of("/dev/zero");
        assumeTrue(Files.exists(dev), "no /dev/zero here");
        refused(assertThrows(DatasetFormatException.class, () -> Datasets.open(dev, Datasets.CIFAR10_BIN,
                DatasetOptions.defaults())), dev, "not a regular file (a character device)");
    }

    @Test
    void sessionThatIsANamedPipe() throws Exception {
        Path pipe = fifo("session.json");
        refused(assertThrows(SessionFormatException.class, () -> SessionFile.read(pipe)), pipe, PIPE);
    }

    @Test
    void sessionWhoseModelIsANamedPipe() throws Exception {
        Path pipe = fifo("model.pt");
        Path session = dir.resolve("session.json");
        new SessionFile(SessionFile.VERSION, pipe.toString(), Bench.NORM, null, null, "global-magnitude", 0.5, "asr",
                0.5, 32, "0", 200, false, List.of()).write(session);
        Bench bench = new Bench();
        bench.sessions.load(session);
        assertFalse(bench.compute.isBusy(), "the session load ended");
        assertEquals(JobStatus.FAILED, bench.model.jobStatusProperty().get());
        assertTrue(bench.errors.stream().anyMatch(m -> m.contains(pipe.toString()) && m.contains(PIPE)),
                bench.errors.toString());
    }
}
