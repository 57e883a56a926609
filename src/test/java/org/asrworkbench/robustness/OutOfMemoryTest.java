package org.asrworkbench.robustness;

import ai.djl.Device;
import org.asrworkbench.core.data.DatasetOptions;
import org.asrworkbench.core.data.Datasets;
import org.asrworkbench.core.data.ImageDataset;
import org.asrworkbench.core.exec.Executor;
import org.asrworkbench.core.jobs.Progress;
import org.asrworkbench.core.model.LoadedModel;
import org.asrworkbench.core.model.ModelLoader;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.prune.PruneSettings;
import org.asrworkbench.core.prune.Pruner;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.RepairedPass;
import org.asrworkbench.core.stats.MemoryLimitException;
import org.asrworkbench.core.stats.MemoryLimits;
import org.asrworkbench.core.stats.SequentialPass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of memory while spilling: a chunk the JVM's heap or direct memory cannot hold is refused
 * before it is allocated (an allocation that fails inside the engine's native code crashed the
 * JVM), with the chunk size and the budget to change; the command exits with an error, never a
 * crash or a stack trace.
 */
@Timeout(180)
class OutOfMemoryTest {
    @TempDir
    Path dir;

    /** The pass on the bundled sample with the given limits, everything spilled (budget 0). */
    private static RepairedPass spillingPass(MemoryLimits limits, int chunk) throws Exception {
        LoadedModel m = ModelLoader.load(Bench.SAMPLE, null, null);
        try (ImageDataset calib = Datasets.open(Bench.CALIB_IMAGES, null,
                DatasetOptions.defaults().withInput(m.normalization()));
             Executor d = new Executor(m.graph(), m.weights(), Device.cpu());
             Executor p = new Executor(m.graph(), Pruner.prune(m.graph(), m.weights(),
                     PruneSettings.of(PruneKind.GLOBAL_MAGNITUDE, 0.5)).pruned(), Device.cpu())) {
            SequentialPass pass = new SequentialPass(d, p, m.weights(), new SequentialPass.Config(chunk, 0, limits));
            return RepairedPass.run(pass, calib, IntStream.range(0, 64).toArray(), m.normalization(),
                    RepairSettings.of(RepairMethod.ASR, "lambda", 0.25), Progress.NONE, null);
        }
    }

    @Test
    void aSpilledChunkBeyondTheDirectMemoryLimitIsRefusedBeforeItIsAllocated() {
        // 64 images of 8 x 28 x 28 floats (the first conv's output) are 1.5 MiB; 4 read back at once need 6 MiB
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
                () -> spillingPass(new MemoryLimits(1L << 30, 4L << 20), 64));
        assertTrue(e.getMessage().contains("chunks of 1.5 MiB") && e.getMessage().contains("limit of 4.0 MiB")
                && e.getMessage().contains("MaxDirectMemorySize"), e.getMessage());
    }

    @Test
    void anInputChunkBeyondHalfTheHeapIsRefused() {
        // 64 images of 1 x 28 x 28 floats: 196 KiB, more than half of a 256 KiB heap
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
                () -> spillingPass(new MemoryLimits(256L << 10, 1L << 30), 64));
        assertTrue(e.getMessage().contains("input chunk of 64 images") && e.getMessage().contains("-Xmx"),
                e.getMessage());
    }

    @Test
    void withinTheLimitsEverySpilledChunkIsReadBack() throws Exception {
        RepairedPass spilled = spillingPass(new MemoryLimits(1L << 30, 7L << 20), 64);
        assertTrue(spilled.spilledBytes() > 0, "the budget of 0 spills everything");
    }

    @Test
    void theDirectLimitIsTheJvmOptionElseTheHeap() {
        assertEquals(64L << 20, MemoryLimits.directLimit(List.of("-Xmx1g", "-XX:MaxDirectMemorySize=64m"), 1L << 30));
        assertEquals(2L << 30, MemoryLimits.directLimit(List.of("-XX:MaxDirectMemorySize=1G",
                "-XX:MaxDirectMemorySize=2g"), 1L << 30), "the last one wins");
        assertEquals(1L << 30, MemoryLimits.directLimit(List.of("-Xmx1g"), 1L << 30), "the JDK's default");
        assertEquals(1L << 30, MemoryLimits.directLimit(List.of("-XX:MaxDirectMemorySize=0"), 1L << 30));
        assertEquals(123456, MemoryLimits.directLimit(List.of("-XX:MaxDirectMemorySize=123456"), 1L << 30));
    }

    /**
     * The reported case: {@code repair -Xmx32m} crashed in the engine's native code (SIGSEGV,
     * hs_err file, rc 134), {@code -Xmx96m} died of an uncaught "Cannot reserve ... direct buffer
     * memory" trace. Both now exit 2 with one line naming the chunk size and the budget.
     */
    @ParameterizedTest(name = "-Xmx{0}m")
    @ValueSource(ints = {32, 96})
    void repairWithATinyHeapExitsWithAMessageNotACrash(int heapMb) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                "org.asrworkbench.Main", "repair", "--model", Bench.SAMPLE.toString(), "--data",
                Bench.EVAL_IMAGES.toString(), "--calib-data", Bench.CALIB_IMAGES.toString(), "--memory-budget", "1",
                "--chunk-size", "1024", "--limit", "10", "--no-dense-eval", "--device", "cpu",
                "--out", dir.resolve("out.safetensors").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "repair finished");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                    "no JVM crash report: " + stderr);
        }
        assertEquals(2, p.exitValue(), stderr);
        assertFalse(stderr.contains("\tat "), "no stack trace: " + stderr);
        assertTrue(stderr.contains("error: ") && stderr.contains("--chunk-size (now 1024)")
                && stderr.contains("--memory-budget (now 1 MiB)"), stderr);
        assertFalse(Files.exists(dir.resolve("out.safetensors")), "no output");
    }
}
