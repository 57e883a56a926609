package org.asrworkbench.cli;

import org.asrworkbench.core.experiments.SweepGrid;
import org.asrworkbench.core.experiments.SweepStore;
import org.asrworkbench.core.util.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sweep submit --slurm}: writes the sweep's grid to {@code <out-dir>/grid.json} and an
 * array job script to {@code <out-dir>/slurm/sweep.sbatch} whose tasks each run
 * {@code sweep --grid <out-dir>/grid.json --out-dir <out-dir>} (a task takes its shard from
 * {@code SLURM_ARRAY_TASK_ID}/{@code SLURM_ARRAY_TASK_COUNT}), submits it with {@code sbatch}
 * and prints the job id and the merge command. {@code --print-script} prints the script instead
 * of submitting it (and of the JSON line, so that stdout is the script).
 */
@Command(name = "submit", description = "Submits the sweep (--grid FILE or the sweep options) as a Slurm array job:"
        + " one task per shard, all writing to --out-dir; prints the job id and the merge command.")
final class SweepSubmitCommand extends PruningCommand {
    @Mixin
    SweepOptions sweep;
    @Option(names = "--slurm", required = true, description = "submit to Slurm with sbatch (the only scheduler so far)")
    boolean slurm;
    @Option(names = "--tasks", paramLabel = "N", defaultValue = "4", description = "array tasks (shards), at most one"
            + " per cell (default: ${DEFAULT-VALUE})")
    int tasks;
    @Option(names = "--max-parallel", paramLabel = "M", description = "at most M tasks at once (--array=...%%M)")
    Integer maxParallel;
    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition (default: the cluster's)")
    String partition;
    @Option(names = "--time", paramLabel = "D-HH:MM:SS", defaultValue = "04:00:00", description = "time limit per task"
            + " (default: ${DEFAULT-VALUE})")
    String time;
    @Option(names = "--cpus-per-task", paramLabel = "C", defaultValue = "4", description = "(default: ${DEFAULT-VALUE})")
    int cpus;
    @Option(names = "--mem", paramLabel = "SIZE", defaultValue = "8G", description = "memory per task, Slurm units"
            + " (default: ${DEFAULT-VALUE})")
    String mem;
    @Option(names = "--gpus-per-task", paramLabel = "G", defaultValue = "0", description = "GPUs per task; > 0 also"
            + " passes --device gpu (default: ${DEFAULT-VALUE})")
    int gpus;
    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "asr-sweep")
    String jobName;
    @Option(names = "--launcher", paramLabel = "CMD", description = "how a task starts the workbench (default: this"
            + " installation: the jpackage launcher, else this JVM with its class path and org.asrworkbench.Main)")
    String launcher;
    @Option(names = "--sbatch", paramLabel = "CMD", defaultValue = "sbatch", description = "the sbatch program")
    String sbatch;
    @Option(names = "--print-script", description = "print the job script to stdout instead of submitting it")
    boolean printScript;

    @Override
    public Integer call() throws Exception {
        SweepGrid grid = sweep.grid(spec, common, repair);
        if (tasks < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--tasks must be at least 1");
        }
        int n = Math.min(tasks, grid.cellCount());
        Path out = sweep.outDir.toAbsolutePath().normalize();
        SweepStore.open(out, grid);
        Path logs = out.resolve("slurm");
        Files.createDirectories(logs);
        String script = script(out, n);
        Path file = logs.resolve("sweep.sbatch");
        AtomicFiles.write(file, o -> o.write(script.getBytes(StandardCharsets.UTF_8)));
        if (printScript) {
            spec.commandLine().getOut().print(script);
            spec.commandLine().getOut().flush();
            return 0;
        }
        String jobId = submit(file);
        String merge = launcher() + " sweep merge " + quote(out.toString());
        var err = spec.commandLine().getErr();
        err.printf("submitted array job %s: %d tasks over %d cells; logs in %s%n", jobId, n, grid.cellCount(), logs);
        err.printf("progress: %s sweep status %s%nwhen it is done: %s%n", launcher(), quote(out.toString()), merge);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("jobId", jobId);
        r.put("tasks", n);
        r.put("cells", grid.cellCount());
        r.put("script", file.toString());
        r.put("outDir", out.toString());
        r.put("merge", merge);
        JsonOut.print(spec.commandLine().getOut(), r);
        return 0;
    }

    /** The array job script: one task per shard, each running every cell of its shard in one JVM. */
    String script(Path out, int n) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        s.append("#SBATCH --array=0-").append(n - 1).append(maxParallel != null ? "%" + maxParallel : "").append('\n');
        if (partition != null) {
            s.append("#SBATCH --partition=").append(partition).append('\n');
        }
        s.append("#SBATCH --time=").append(time).append('\n');
        s.append("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=").append(cpus).append('\n');
        s.append("#SBATCH --mem=").append(mem).append('\n');
        if (gpus > 0) {
            s.append("#SBATCH --gpus-per-task=").append(gpus).append('\n');
        }
        s.append("#SBATCH --chdir=").append(Path.of("").toAbsolutePath()).append('\n');
        s.append("#SBATCH --output=").append(out.resolve("slurm")).append("/%A_%a.out\n");
        s.append("# One shard per array task: the shard comes from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT.\n");
        s.append("# Re-submitting this script runs only the cells that are not done yet.\n");
        s.append("set -euo pipefail\n");
        List<String> args = new ArrayList<>(List.of("sweep", "--grid", out.resolve(SweepStore.GRID_FILE).toString(),
                "--out-dir", out.toString(), "--batch-size", Integer.toString(common.batchSize),
                "--device", gpus > 0 ? "gpu" : common.device, "--chunk-size", Integer.toString(repair.chunkSize)));
        if (repair.memoryBudgetMb != null) { // else each node takes its own machine's default
            args.addAll(List.of("--memory-budget", Long.toString(repair.memoryBudgetMb)));
        }
        s.append("exec ").append(launcher());
        args.forEach(a -> s.append(' ').append(quote(a)));
        s.append('\n');
        return s.toString();
    }

    private String launcher() {
        if (launcher != null) {
            return launcher;
        }
        String app = System.getProperty("jpackage.app-path");
        if (app != null) {
            return quote(app);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return quote(java.toString()) + " -cp " + quote(System.getProperty("java.class.path")) + " org.asrworkbench.Main";
    }

    private String submit(Path script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(sbatch, "--parsable", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(sbatch + " " + script + " failed: " + output);
        }
        return parseJobId(output);
    }

    /** The job id from {@code sbatch --parsable} output ({@code ID} or {@code ID;CLUSTER}, last line). */
    static String parseJobId(String output) throws IOException {
        List<String> lines = output.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String id = last.split(";")[0];
        if (!id.matches("\\d+")) {
            throw new IOException("sbatch printed no job id: '" + output + "'");
        }
        return id;
    }

    /** Single-quotes a word for the shell. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
