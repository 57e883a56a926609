package org.asrworkbench.app;

import javafx.animation.AnimationTimer;
import javafx.scene.Scene;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how long the FX thread is kept from the next frame. An {@link AnimationTimer} records
 * the interval between consecutive pulses (the nominal frame is 16.7 ms; anything the FX thread
 * does between or during pulses, event handlers and chart drawing included, lengthens it), and the
 * scene's layout pulse listeners record how long each scene pulse (CSS, layout) takes itself.
 * Because wall-clock intervals depend on how busy the machine is, it also records the FX
 * thread's CPU time between two frames, which measures the work the FX thread does per frame.
 * Create, {@link #start()} and {@link #stop()} on the FX thread.
 */
final class FxPulseMeter {
    private final List<Double> frameGapsMs = new ArrayList<>();
    private final List<Double> frameCpuMs = new ArrayList<>();
    private final List<Double> scenePulsesMs = new ArrayList<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Scene scene;
    private final Runnable pre = this::preLayout;
    private final Runnable post = this::postLayout;
    private long lastFrame;
    private long lastCpu;
    private long pulseStart;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            long t = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            if (lastFrame != 0) {
                frameGapsMs.add((t - lastFrame) / 1e6);
                frameCpuMs.add((cpu - lastCpu) / 1e6);
            }
            lastFrame = t;
            lastCpu = cpu;
        }
    };

    FxPulseMeter(Scene scene) {
        this.scene = scene;
    }

    void start() {
        lastFrame = 0;
        frameGapsMs.clear();
        frameCpuMs.clear();
        scenePulsesMs.clear();
        scene.addPreLayoutPulseListener(pre);
        scene.addPostLayoutPulseListener(post);
        timer.start();
    }

    void stop() {
        timer.stop();
        scene.removePreLayoutPulseListener(pre);
        scene.removePostLayoutPulseListener(post);
    }

    /** The longest interval between two frames, in ms. */
    double maxFrameGapMs() {
        return frameGapsMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The most CPU time the FX thread spent between two frames, in ms. */
    double maxFrameCpuMs() {
        return frameCpuMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The median interval between two frames, in ms. */
    double medianFrameGapMs() {
        return frameGapsMs.stream().mapToDouble(Double::doubleValue).sorted().skip(frameGapsMs.size() / 2).findFirst()
                .orElse(Double.NaN);
    }

    /** The longest scene pulse (pre- to post-layout), in ms. */
    double maxScenePulseMs() {
        return scenePulsesMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    int frames() {
        return frameGapsMs.size();
    }

    private void preLayout() {
        pulseStart = System.nanoTime();
    }

    private void postLayout() {
        if (pulseStart != 0) {
            scenePulsesMs.add((System.nanoTime() - pulseStart) / 1e6);
        }
    }
}
