package org.asrworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.asrworkbench.core.experiments.SweepStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Slurm cluster on this machine: {@code sweep submit --slurm} submits a small sweep on the
 * bundled sample model as a three-task array job; the tasks run this build's classes (the
 * launcher is this JVM with its class path); the merged tables equal a single-process sweep's.
 * Uses a running cluster, else starts one with {@code .ci/slurm-up.sh} (without installing) and
 * stops it afterwards. Skipped when Slurm cannot be started, failed then when
 * {@code ASR_REQUIRE_SLURM=1} (as {@code .ci/run} sets).
 */
class SlurmSweepTest {
    private static boolean startedHere;

    static boolean required() {
        return "1".equals(System.getenv("ASR_REQUIRE_SLURM"));
    }

    @BeforeAll
    static void cluster() throws Exception {
        if (!nodeReady()) {
            Path up = Path.of(".ci", "slurm-up.sh");
            if (Files.isExecutable(up)) {
                ProcessBuilder pb = new ProcessBuilder(up.toString()).redirectErrorStream(true);
                pb.environment().put("SLURM_UP_NO_INSTALL", "1");
                Result r = exec(pb, 120);
                startedHere = r.code == 0 && nodeReady();
                if (!startedHere && required()) {
                    fail("ASR_REQUIRE_SLURM=1 but Slurm could not be started: " + r.output);
                }
            }
        }
        if (required() && !nodeReady()) {
            fail("ASR_REQUIRE_SLURM=1 but no Slurm node is ready (sinfo)");
        }
        assumeTrue(nodeReady(), "no Slurm cluster here (.ci/slurm-up.sh starts one)");
    }

    @AfterAll
    static void stopIfStartedHere() throws Exception {
        if (startedHere) {
            exec(new ProcessBuilder(Path.of(".ci", "slurm-down.sh").toString()).redirectErrorStream(true), 60);
        }
    }

    record Result(int code, String output) {
    }

    static Result exec(ProcessBuilder pb, int seconds) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean nodeReady() {
        try {
            Result r = exec(new ProcessBuilder("sinfo", "-h", "-o", "%t"), 30);
            return r.code == 0 && r.output.lines().anyMatch(l -> l.matches("(idle|mix|alloc)\\*?"));
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void threeTaskArrayJobMergesToTheSingleProcessTables(@TempDir Path tmp) throws Exception {
        String fm = "sample-models/fashion-mnist/";
        List<String> sweep = List.of("--model", "sample-models/resnet20-w0.5-fashion.safetensors",
                "--data", fm + "fashion-test-2000-images-idx3-ubyte.gz",
                "--calib-data", fm + "fashion-calib-2000-images-idx3-ubyte.gz", "--calib-n", "16", "--limit", "64",
                "--batch-size", "64", "--sparsities", "0.5,0.8", "--methods", "none,bn-recal,asr", "--lambdas", "0.25",
                "--seeds", "0");
        Path cluster = tmp.resolve("cluster");
        List<String> submit = new ArrayList<>(List.of("sweep", "submit", "--slurm", "--tasks", "3", "--cpus-per-task",
                "1", "--mem", "3G", "--time", "00:20:00", "--job-name", "asr-test-sweep"));
        submit.addAll(sweep);
        submit.addAll(List.of("--out-dir", cluster.toString()));
        CommandLineTest.Run s = CommandLineTest.run(submit.toArray(String[]::new));
        assertEquals(0, s.code(), s.err());
        String jobId = s.json().get("jobId").asText();
        assertTrue(jobId.matches("\\d+"), jobId);
        assertEquals(3, s.json().get("tasks").asInt());
        assertTrue(s.json().get("merge").asText().contains("sweep merge"), s.out());

        // meanwhile, the same sweep in this process
        Path single = tmp.resolve("single");
        List<String> local = new ArrayList<>(List.of("sweep"));
        local.addAll(sweep);
        local.addAll(List.of("--out-dir", single.toString()));
        CommandLineTest.Run l = CommandLineTest.run(local.toArray(String[]::new));
        assertEquals(0, l.code(), l.err());
        assertEquals(6, l.json().get("done").asInt());

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (!exec(new ProcessBuilder("squeue", "-h", "-j", jobId), 30).output.isBlank()) {
            if (System.nanoTime() > deadline) {
                exec(new ProcessBuilder("scancel", jobId), 30);
                fail("array job " + jobId + " did not finish in 15 minutes; logs in " + cluster.resolve("slurm"));
            }
            Thread.sleep(2000);
        }
        CommandLineTest.Run st = CommandLineTest.run("sweep", "status", cluster.toString());
        assertEquals(0, st.code(), st.err());
        JsonNode status = st.json();
        assertEquals(6, status.get("done").asInt(), st.err() + logs(cluster));
        CommandLineTest.Run m = CommandLineTest.run("sweep", "merge", cluster.toString());
        assertEquals(0, m.code(), m.err());

        Set<String> shards = new TreeSet<>();
        try (Stream<Path> files = Files.list(cluster.resolve(SweepStore.CELLS_DIR))) {
            for (Path f : files.toList()) {
                shards.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).get("shard").asText());
            }
        }
        assertEquals(Set.of("0/3", "1/3", "2/3"), shards, "every array task ran its shard");
        assertEquals(untimed(single.resolve("results.csv")), untimed(cluster.resolve("results.csv")));
        assertEquals(Files.readAllLines(single.resolve("summary.csv")), Files.readAllLines(cluster.resolve("summary.csv")));
        assertTrue(Files.size(cluster.resolve("top1-global-magnitude.png")) > 10_000);
    }

    private static String logs(Path cluster) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(cluster.resolve("slurm"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".out")).toList()) {
                sb.append("\n--- ").append(f).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    /** results.csv without passSeconds and evalSeconds, which differ from run to run. */
    static List<String> untimed(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> {
            List<String> f = new ArrayList<>(List.of(line.split(",", -1)));
            f.remove(13);
            f.remove(12);
            return String.join(",", f);
        }).toList();
    }
}
