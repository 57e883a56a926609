package org.asrworkbench.app;

import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.asrworkbench.app.model.JobStatus;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How smooth the workbench stays on ResNet-56 (55 units): drags the {@code lambda} slider
 * through 50 values (one per frame, as a mouse drag delivers them) on the statistics of a pass,
 * first with nothing else running, then while a statistics pass runs in the background, and
 * prints the longest FX frame interval of each. Goals: 50 ms idle, 100 ms during a job.
 * Not part of the default test run (tag {@code benchmark}); run it with
 * {@code mvn -B test -Dgroups=benchmark -DexcludedGroups=none -Dtest=LambdaDragBenchmark}.
 * {@code -Dbench.n=} sets the calibration size of the first pass (default 64) and
 * {@code -Dbench.jobN=} that of the background pass (default 512).
 */
@Tag("benchmark")
@ExtendWith(ApplicationExtension.class)
class LambdaDragBenchmark {
    private static final int STEPS = 50;
    @RegisterExtension
    final FxWindow window = new FxWindow("asr-bench");
    private Workbench workbench;

    @Start
    void start(Stage s) throws Exception {
        workbench = window.show(s);
    }

    @Test
    void dragLambdaOnResNet56(FxRobot robot) throws Exception {
        WorkbenchModel model = workbench.model();
        SliderDrags.openResNet56(robot, window, workbench, Integer.getInteger("bench.n", 64), 0.9);
        long t0 = System.nanoTime();
        robot.interact(() -> workbench.repair().statisticsPass());
        window.awaitIdle(600);
        double passSeconds = (System.nanoTime() - t0) / 1e9;
        int units = model.getStats().units().size();
        String deep = model.getStats().units().get(units - 3).unit();
        robot.interact(() -> model.selectedUnitProperty().set(deep));

        Slider slider = robot.lookup("#lambda").queryAs(Slider.class);
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "ResNet-56: %d units, statistics pass (N = %d) %.1f s%n", units, model.calibNProperty().get(), passSeconds));
        report.append(SliderDrags.onEveryChartTab(robot, workbench, "idle, ", () -> drag(slider)));

        robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(2));
        robot.interact(() -> model.calibNProperty().set(Integer.getInteger("bench.jobN", 512)));
        robot.interact(() -> assertTrue(workbench.repair().statisticsPass()));
        FxPulseMeter meter = SliderDrags.onFx(() -> new FxPulseMeter(window.scene()));
        robot.interact(meter::start);
        long j0 = System.nanoTime();
        SliderDrags.Figures during = drag(slider);
        WaitForAsyncUtils.waitFor(600, TimeUnit.SECONDS, () -> !workbench.compute().isBusy());
        double jobSeconds = (System.nanoTime() - j0) / 1e9;
        robot.interact(meter::stop);
        assertEquals(JobStatus.SUCCEEDED, model.jobStatusProperty().get(), model.lastErrorProperty().get());
        report.append(String.format(Locale.ROOT, "during a pass (N = %d, %.1f s), Channels tab: drag %s%n",
                model.calibNProperty().get(), jobSeconds, during));
        report.append(String.format(Locale.ROOT,
                "during a pass, whole job: longest frame %.1f ms (median %.1f ms, FX-thread CPU at most %.1f ms), "
                + "longest scene pulse %.1f ms, %d frames%n", meter.maxFrameGapMs(), meter.medianFrameGapMs(),
                meter.maxFrameCpuMs(), meter.maxScenePulseMs(), meter.frames()));
        System.out.print(report);
        Files.createDirectories(java.nio.file.Path.of("target"));
        Files.writeString(java.nio.file.Path.of("target", "gui-benchmark.txt"), report);
    }

    /** The slider from its minimum to its maximum in {@link #STEPS} values, one per frame, released at the end. */
    private SliderDrags.Figures drag(Slider slider) throws Exception {
        double lo = slider.getMin();
        double hi = slider.getMax();
        double[] values = new double[STEPS];
        for (int i = 0; i < STEPS; i++) {
            values[i] = lo + (hi - lo) * i / (STEPS - 1);
        }
        return SliderDrags.drag(window, slider, values, 100, true);
    }
}
