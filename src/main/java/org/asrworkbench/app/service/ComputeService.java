package org.asrworkbench.app.service;

import ai.djl.Device;
import org.asrworkbench.app.model.JobStatus;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.core.exec.Engines;
import org.asrworkbench.core.exec.NativeMemory;
import org.asrworkbench.core.jobs.Progress;

import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one owner of engine work. Runs one job at a time on the job executor (off the FX
 * thread), reports progress, message and ETA to the model through the UI executor, and
 * supports cooperative cancel. A job computes into locals; its result is handed to the
 * commit callback on the UI thread only when it succeeded, so a failed or cancelled job
 * leaves the model exactly as it was (a result dropped by a cancel that came after the job
 * finished is closed when it is {@link AutoCloseable}: a dataset, a session's files). Failures of any kind (exceptions, out-of-memory and other
 * errors, a device that cannot be opened, an executor that refuses the job) are reported to the
 * error sink with the exception's message (which names the file for file errors), and the
 * service is free for the next job.
 */
public final class ComputeService {
    private static final long UI_UPDATE_NANOS = 50_000_000L;

    private final WorkbenchModel model;
    private final Executor jobs;
    private final Executor ui;
    private final Supplier<Device> deviceSupplier;
    private final AtomicReference<RunningJob> current = new AtomicReference<>();
    private volatile Consumer<String> errorSink = m -> { };
    private volatile Consumer<String> warningSink = m -> { };
    private Device device;

    /**
     * @param jobs   where jobs run (a single background thread in the app, {@code Runnable::run} in tests)
     * @param ui     the UI thread ({@code Platform::runLater} in the app, {@code Runnable::run} in tests)
     * @param device the compute device, resolved lazily on the first job
     */
    public ComputeService(WorkbenchModel model, Executor jobs, Executor ui, Supplier<Device> device) {
        this.model = model;
        this.jobs = jobs;
        this.ui = ui;
        this.deviceSupplier = device;
    }

    /** The app's service: the engine's preferred device ({@code auto}). */
    public static ComputeService withAutoDevice(WorkbenchModel model, Executor jobs, Executor ui) {
        return new ComputeService(model, jobs, ui, () -> {
            Engines.configureOffline();
            return Engines.device("auto");
        });
    }

    /** Where failure messages go (a dialog in the app). Called on the UI thread. */
    public void setErrorSink(Consumer<String> sink) {
        this.errorSink = sink;
    }

    /** Where warnings go (a job succeeded, but something the user should know about it). Called on the UI thread. */
    public void setWarningSink(Consumer<String> sink) {
        this.warningSink = sink;
    }

    /** Reports a warning (UI thread; from a commit callback). */
    public void warn(String message) {
        warningSink.accept(message);
    }

    /** The compute device (resolves the engine on first use; call from a job). */
    public synchronized Device device() {
        if (device == null) {
            device = deviceSupplier.get();
            Device d = device;
            ui.execute(() -> model.commitDevice(Engines.describe(d)));
        }
        return device;
    }

    public boolean isBusy() {
        return current.get() != null;
    }

    /**
     * Starts {@code job}. Returns false (and starts nothing) while another job runs.
     *
     * @param title  shown in the status bar
     * @param commit receives the result on the UI thread when the job succeeded
     */
    public <T> boolean submit(String title, Job<T> job, Consumer<T> commit) {
        return submitWithSummary(title, job, t -> {
            commit.accept(t);
            return null;
        });
    }

    /**
     * As {@link #submit}; the commit returns a line on the outcome (a top-1, say) that the
     * status bar shows after "done in ... s" (null: none).
     */
    public <T> boolean submitWithSummary(String title, Job<T> job, Function<T, String> commit) {
        RunningJob r = new RunningJob(title);
        if (!current.compareAndSet(null, r)) {
            return false;
        }
        ui.execute(() -> model.commitJob(JobStatus.RUNNING, 0, title + "\u2026"));
        try {
            jobs.execute(() -> execute(r, job, commit));
        } catch (RuntimeException e) {
            // The executor refused the job (shut down, or failing): nothing ran, and the next job may start.
            finish(JobStatus.FAILED, title + " could not start", title + ": " + describe(e));
            return false;
        }
        return true;
    }

    /** Asks the running job to stop at its next check point. */
    public void cancel() {
        RunningJob r = current.get();
        if (r != null) {
            r.cancelled.set(true);
        }
    }

    private <T> void execute(RunningJob r, Job<T> job, Function<T, String> commit) {
        T result;
        try {
            result = job.run(r);
        } catch (CancellationException e) {
            finish(JobStatus.CANCELLED, r.title + " cancelled; nothing changed", null);
            return;
        } catch (Exception | Error e) {
            // Any failure, out-of-memory and stack overflow included: the job's locals are dropped, the model is untouched.
            finish(JobStatus.FAILED, r.title + " failed", describe(e));
            return;
        } finally {
            NativeMemory.trim(); // what the job freed goes back to the system, not into the allocator's arenas
        }
        if (r.isCancelled()) { // cancelled after it finished: the result is dropped, and what it holds open closed
            closeDropped(result);
            finish(JobStatus.CANCELLED, r.title + " cancelled; nothing changed", null);
            return;
        }
        ui.execute(() -> {
            String summary;
            try {
                summary = commit.apply(result);
            } catch (RuntimeException | Error e) {
                current.set(null);
                model.commitJob(JobStatus.FAILED, 0, r.title + " failed");
                reportError(describe(e));
                return;
            }
            current.set(null);
            model.commitJob(JobStatus.SUCCEEDED, 1, String.format(Locale.ROOT, "%s done in %.1f s", r.title,
                    (System.nanoTime() - r.start) / 1e9) + (summary == null ? "" : " \u2014 " + summary));
        });
    }

    /** Closes a result no one will commit (a dataset, a session's files); a failure to close changes nothing more. */
    private static void closeDropped(Object result) {
        if (result instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // dropped either way
            }
        }
    }

    private void finish(JobStatus status, String message, String error) {
        ui.execute(() -> {
            current.set(null);
            model.commitJob(status, 0, message);
            if (error != null) {
                reportError(error);
            }
        });
    }

    private void reportError(String error) {
        model.commitError(error);
        errorSink.accept(error);
    }

    /** The user-facing message of a failure: the message (with the file it names), never a bare class name. */
    public static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "): try a smaller calibration set, batch or memory budget";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return t instanceof java.nio.file.NoSuchFileException ? m + ": no such file" : m;
    }

    /** Remaining time as {@code 1 min 05 s} or {@code 12 s}, from elapsed time and fraction done. */
    static String eta(long elapsedNanos, double fraction) {
        if (fraction <= 0.01 || fraction >= 1) {
            return "";
        }
        long s = Math.round(elapsedNanos / 1e9 * (1 - fraction) / fraction);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s left", s / 60, s % 60) : s + " s left";
    }

    /** The progress sink handed to a job: throttled UI updates and the cancel flag. */
    private final class RunningJob implements Progress {
        final String title;
        final long start = System.nanoTime();
        final AtomicBoolean cancelled = new AtomicBoolean();
        private long lastUpdate;

        RunningJob(String title) {
            this.title = title;
        }

        @Override
        public void update(double fraction, String message) {
            long now = System.nanoTime();
            if (now - lastUpdate < UI_UPDATE_NANOS && fraction < 1) {
                return;
            }
            lastUpdate = now;
            String eta = eta(now - start, fraction);
            String text = title + ": " + (message == null ? "" : message) + (eta.isEmpty() ? "" : " (" + eta + ")");
            ui.execute(() -> {
                if (current.get() == this) {
                    model.commitJob(JobStatus.RUNNING, fraction, text);
                }
            });
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}
