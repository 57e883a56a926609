package org.asrworkbench.app;

import javafx.application.Platform;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How live the sparsity slider is on ResNet-56 (55 units): after D's input covariances are
 * gathered (N_est = the calibration N, default 256), drags the sparsity slider from 0.5 to 0.95
 * and back (one value per 16 ms frame, as a mouse drag delivers them) on each chart tab, and
 * reports the longest FX frame interval, the FX thread's CPU per frame, the longest slider
 * update, and the estimate updates (masks and every unit's estimate, on their own thread);
 * then releases it and times the exact pass that replaces the estimate (D's side read from the
 * dense cache after the first). Goals: updates within 50 ms, no frame over 50 ms.
 * Tag {@code benchmark}: {@code mvn -B test -Dgroups=benchmark -DexcludedGroups=none -Dtest=SparsityDragBenchmark}
 * ({@code -Dbench.n=} sets N). Figures printed and written to {@code target/sparsity-drag-benchmark.txt}.
 */
@Tag("benchmark")
@ExtendWith(ApplicationExtension.class)
class SparsityDragBenchmark {
    private static final long FRAME_MS = 16;
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-sparsity-bench");
    private Workbench workbench;

    @Start
    void start(Stage s) throws Exception {
        workbench = window.show(s);
    }

    @Test
    void dragSparsityOnResNet56(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        robot.interact(() -> {
            model.normalizationProperty().set("cifar");
            model.calibNProperty().set(Integer.getInteger("bench.n", 256));
            model.sparsityProperty().set(0.5);
        });
        robot.interact(() -> workbench.models().openModel(SharedData.resnet56Safetensors()));
        window.awaitIdle(120);
        robot.interact(() -> workbench.models().openCalibDataset(SharedData.cifarCalib()));
        window.awaitIdle(60);
        Slider slider = robot.lookup("#sparsity").queryAs(Slider.class);
        long t0 = System.nanoTime();
        robot.interact(() -> {
            slider.setValueChanging(true);
            slider.setValue(0.51);
        });
        window.awaitIdle(900);
        double gather = (System.nanoTime() - t0) / 1e9;
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "ResNet-56: %d units, input covariances (N_est = %d) gathered in %.1f s%n",
                model.getModel().graph().units().size(), workbench.estimate().covariances().n(), gather));
        workbench.estimate().drainUpdateMillis();
        for (int tab = 1; tab <= 4; tab++) {
            int t = tab;
            robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(t));
            WaitForAsyncUtils.waitForFxEvents();
            String drag = drag(slider);
            report.append(String.format(Locale.ROOT, "%-12s %s%n",
                    workbench.window().tabs().node().getTabs().get(tab).getText() + ":", drag));
        }
        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(1));
        for (int round = 0; round < 2; round++) {
            double target = round == 0 ? 0.9 : 0.8;
            robot.interact(() -> {
                slider.setValueChanging(true);
                slider.setValue(target);
            });
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.showingEstimateProperty().get());
            long r0 = System.nanoTime();
            robot.interact(() -> slider.setValueChanging(false));
            WaitForAsyncUtils.waitFor(900, TimeUnit.SECONDS, () -> !model.showingEstimateProperty().get()
                    && model.getStats() != null && !workbench.compute().isBusy());
            window.awaitIdle(60);
            report.append(String.format(Locale.ROOT,
                    "released at %.2f: exact pass replaced the estimate after %.1f s (%s D's side; %.1f s debounce)%n",
                    target, (System.nanoTime() - r0) / 1e9, round == 0 ? "computing" : "cache for",
                    Workbench.EXACT_PASS_DELAY_MS / 1000));
        }
        assertTrue(workbench.repair().denseCacheFills() == 1, "the second pass read D's side from the cache");
        report.append("load average: ").append(Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim())
                .append(", CPUs: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        System.out.print(report);
        Files.createDirectories(java.nio.file.Path.of("target"));
        Files.writeString(java.nio.file.Path.of("target", "sparsity-drag-benchmark.txt"), report);
    }

    /** 0.5 to 0.95 and back, one value per frame; the figures of the FX thread and of the estimate updates. */
    private String drag(Slider slider) throws Exception {
        FxPulseMeter meter = onFx(() -> new FxPulseMeter(window.scene()));
        double[] maxUpdate = {0, 0};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        onFx(() -> {
            meter.start();
            slider.setValueChanging(true);
            return null;
        });
        for (int i = 0; i <= 90; i++) {
            double v = i <= 45 ? 0.5 + 0.01 * i : 0.95 - 0.01 * (i - 45);
            Platform.runLater(() -> {
                long t = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                slider.setValue(v);
                maxUpdate[0] = Math.max(maxUpdate[0], (System.nanoTime() - t) / 1e6);
                maxUpdate[1] = Math.max(maxUpdate[1], (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
            });
            Thread.sleep(FRAME_MS);
        }
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(300);
        WaitForAsyncUtils.waitForFxEvents();
        List<Double> updates = workbench.estimate().drainUpdateMillis();
        double[] u = updates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return onFx(() -> {
            meter.stop();
            return String.format(Locale.ROOT, "longest frame %.1f ms (median %.1f, FX-thread CPU at most %.1f ms), "
                    + "longest slider update %.1f ms (CPU %.1f ms), %d frames; %d estimate updates for %d slider"
                    + " values, median %.1f ms, longest %.1f ms", meter.maxFrameGapMs(), meter.medianFrameGapMs(),
                    meter.maxFrameCpuMs(), maxUpdate[0], maxUpdate[1], meter.frames(), u.length, 91,
                    u.length == 0 ? Double.NaN : u[u.length / 2], u.length == 0 ? Double.NaN : u[u.length - 1]);
        });
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(60, TimeUnit.SECONDS);
    }
}
