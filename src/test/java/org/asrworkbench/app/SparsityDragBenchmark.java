package org.asrworkbench.app;

import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.asrworkbench.app.model.WorkbenchModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
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
        SliderDrags.openResNet56(robot, window, workbench, Integer.getInteger("bench.n", 256), 0.5);
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
        report.append(SliderDrags.onEveryChartTab(robot, workbench, "", () -> drag(slider)));
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

    /** 0.5 to 0.95 and back, one value per frame, the slider kept "changing"; the FX thread's figures and the estimate updates'. */
    private String drag(Slider slider) throws Exception {
        double[] values = new double[91];
        for (int i = 0; i <= 90; i++) {
            values[i] = i <= 45 ? 0.5 + 0.01 * i : 0.95 - 0.01 * (i - 45);
        }
        SliderDrags.Figures f = SliderDrags.drag(window, slider, values, 300, false);
        double[] u = workbench.estimate().drainUpdateMillis().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%s; %d estimate updates for %d slider values, median %.1f ms, longest %.1f ms",
                f, u.length, values.length, u.length == 0 ? Double.NaN : u[u.length / 2],
                u.length == 0 ? Double.NaN : u[u.length - 1]);
    }
}
