package org.asrworkbench.app;

import javafx.application.Platform;
import javafx.scene.control.Slider;
import org.asrworkbench.app.model.WorkbenchModel;
import org.asrworkbench.testing.SharedData;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What the slider-drag benchmarks ({@link LambdaDragBenchmark}, {@link SparsityDragBenchmark})
 * share: the shared ResNet-56 opened with the CIFAR-10 calibration pool, a slider moved one value
 * per frame as a mouse drag delivers them, the FX thread's figures of that drag, and the drag
 * repeated on every chart tab.
 */
final class SliderDrags {
    /** One frame at 60 Hz: how often a mouse drag delivers a new value. */
    static final long FRAME_MS = 16;

    private SliderDrags() {
    }

    /** Opens the shared ResNet-56 (normalisation {@code cifar}) and the calibration pool, with N and the sparsity set first. */
    static void openResNet56(FxRobot robot, FxWindow window, Workbench workbench, int calibN, double sparsity)
            throws Exception {
        WorkbenchModel model = workbench.model();
        robot.interact(() -> {
            model.normalizationProperty().set("cifar");
            model.calibNProperty().set(calibN);
            model.sparsityProperty().set(sparsity);
        });
        robot.interact(() -> workbench.models().openModel(SharedData.resnet56Safetensors()));
        window.awaitIdle(120);
        robot.interact(() -> workbench.models().openCalibDataset(SharedData.cifarCalib()));
        window.awaitIdle(60);
    }

    /**
     * The figures of one drag: the longest and median frame interval, the FX thread's CPU in
     * the longest frame, the longest scene pulse, the longest single slider update (wall and CPU).
     */
    record Figures(double maxFrameMs, double medianFrameMs, double maxFrameCpuMs, double maxScenePulseMs,
                   double maxUpdateMs, double maxUpdateCpuMs, int frames) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "longest frame %.1f ms (median %.1f, FX-thread CPU at most %.1f ms), "
                    + "longest scene pulse %.1f ms, longest slider update %.1f ms (CPU %.1f ms), %d frames", maxFrameMs,
                    medianFrameMs, maxFrameCpuMs, maxScenePulseMs, maxUpdateMs, maxUpdateCpuMs, frames);
        }
    }

    /**
     * Moves the slider through {@code values}, one per frame, with the slider "changing" as
     * under the mouse; waits {@code settleMs} for what the last value started, then measures.
     *
     * @param release whether the drag ends by releasing the slider (else it stays "changing")
     */
    static Figures drag(FxWindow window, Slider slider, double[] values, long settleMs, boolean release)
            throws Exception {
        FxPulseMeter meter = onFx(() -> new FxPulseMeter(window.scene()));
        double[] maxUpdate = {0, 0};
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        onFx(() -> {
            meter.start();
            slider.setValueChanging(true);
            return null;
        });
        for (double v : values) {
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
        Thread.sleep(settleMs);
        WaitForAsyncUtils.waitForFxEvents();
        return onFx(() -> {
            if (release) {
                slider.setValueChanging(false);
            }
            meter.stop();
            return new Figures(meter.maxFrameGapMs(), meter.medianFrameGapMs(), meter.maxFrameCpuMs(),
                    meter.maxScenePulseMs(), maxUpdate[0], maxUpdate[1], meter.frames());
        });
    }

    /** One drag on each chart tab (Layer chart to Damage map): a line {@code prefix + tab: figures} per tab. */
    static String onEveryChartTab(FxRobot robot, Workbench workbench, String prefix, Callable<Object> drag)
            throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int tab = 1; tab <= 4; tab++) {
            int t = tab;
            robot.interact(() -> workbench.window().tabs().node().getSelectionModel().select(t));
            WaitForAsyncUtils.waitForFxEvents();
            Object figures = drag.call();
            lines.append(String.format(Locale.ROOT, "%s%-12s %s%n", prefix,
                    workbench.window().tabs().node().getTabs().get(tab).getText() + ":", figures));
        }
        return lines.toString();
    }

    static <T> T onFx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(60, TimeUnit.SECONDS);
    }
}
