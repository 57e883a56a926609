package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.util.Locale;

/**
 * The one place that configures DJL: offline mode (nothing is ever downloaded at run time:
 * the PyTorch native library comes from the {@code pytorch-native-cpu} jar on the class path)
 * and the choice of device.
 */
public final class Engines {
    public static final String ENGINE = "PyTorch";

    static {
        configureOffline();
    }

    private Engines() {
    }

    /** Sets DJL's offline mode unless the user set it explicitly. Safe to call repeatedly. */
    public static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        }
    }

    public static Engine engine() {
        return Engine.getEngine(ENGINE);
    }

    /** Number of GPUs the engine reports (0 on a CPU build). */
    public static int gpuCount() {
        return engine().getGpuCount();
    }

    /**
     * The device for a user's preference: {@code cpu}, {@code gpu}, or {@code auto}/null (GPU when
     * the engine reports one, else CPU). Asking for a GPU where there is none is an error.
     */
    public static Device device(String preference) {
        String p = preference == null ? "auto" : preference.toLowerCase(Locale.ROOT);
        switch (p) {
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda":
                if (gpuCount() == 0) {
                    throw new IllegalArgumentException("--device gpu: the PyTorch engine reports no GPU"
                            + " (this build uses the CPU native library; see README, 'GPU build')");
                }
                return Device.gpu();
            case "auto":
                return gpuCount() > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("unknown device '" + preference + "' (use cpu, gpu or auto)");
        }
    }

    /** A human-readable device name for reports, e.g. {@code cpu} or {@code gpu(0)}. */
    public static String describe(Device d) {
        return d.isGpu() ? "gpu(" + d.getDeviceId() + ")" : "cpu";
    }

    /**
     * Turns autograd off on the calling thread. PyTorch keeps its grad mode per thread and the
     * engine turns it off only on the thread that loaded it, so on any other thread in-place
     * updates of parameters (an SGD step) fail with "a leaf Variable that requires grad is being
     * used in an in-place operation"; a gradient collector restores the mode it found.
     */
    public static void gradientsOff() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    public static NDManager newManager(Device device) {
        return NDManager.newBaseManager(device, ENGINE);
    }
}
