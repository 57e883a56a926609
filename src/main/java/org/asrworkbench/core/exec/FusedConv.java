package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import org.asrworkbench.core.graph.Op;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolution and what follows it (a ReLU, or a residual Add and its ReLU) in one pass of
 * the engine's oneDNN library ({@code mkldnn::_convolution_pointwise} with a post-op), the way ONNX
 * Runtime fuses them: the activation is applied as the convolution writes its output, instead of
 * reading and writing the whole tensor once more. DJL's Java API has no fused convolution, so the
 * operator is reached through a small TorchScript module bundled as a resource
 * ({@code onednn-kernels.pt}, written by {@code tools/onednn-kernels.py}; its methods call the
 * operator and nothing else).
 *
 * <p>CPU only (oneDNN is the CPU backend), float32 arrays in channels-last layout, symmetric pads.
 * No clip is fused: oneDNN's clip turns NaN into a bound, and a NaN must reach the evaluation's check.
 * Where the module cannot be loaded (a native build without oneDNN), on a GPU, or with
 * {@code -Dasr.fusedConv=false}, {@link #forDevice} returns null and the plan runs each node
 * separately; the results agree to float rounding either way (tests compare both).
 */
final class FusedConv {
    /** System property that turns the fused kernels off ({@code false}), for comparisons. */
    static final String PROPERTY = "asr.fusedConv";
    private static final String RESOURCE = "onednn-kernels.pt";

    /**
     * What a fused step applies to the convolution's output: a ReLU, or a residual Add and its ReLU
     * (out of place, or {@code ADD_RELU_INTO} the Add's other operand, which must not be read
     * afterwards: the out-of-place operator copies it first). The ReLU after a plain convolution is
     * oneDNN's leaky ReLU with slope 1e-30, since its ReLU turns NaN into 0: negative values become
     * -1e-30 |x| (negligible) and -Inf stays -Inf (the plan reruns such a batch unfused); after the
     * Add it is PyTorch's in-place ReLU.
     */
    enum Post { RELU, ADD_RELU, ADD_RELU_INTO }

    private static volatile Loaded loaded;

    private record Loaded(FusedConv kernels, String problem) {
    }

    private final PtSymbolBlock module;

    private FusedConv(PtSymbolBlock module) {
        this.module = module;
    }

    /** The fused kernels for arrays on {@code device}, or null where they cannot be used. */
    static FusedConv forDevice(Device device) {
        if (device.isGpu() || "false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return null;
        }
        return load().kernels();
    }

    /** Why the kernels are not available on the CPU (null when they are). */
    static String problem() {
        return load().problem();
    }

    private static Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (FusedConv.class) {
                l = loaded;
                if (l == null) {
                    l = open();
                    loaded = l;
                }
            }
        }
        return l;
    }

    private static Loaded open() {
        // the module lives as long as the JVM, in a manager of its own
        PtNDManager m = (PtNDManager) NDManager.newBaseManager(Device.cpu(), Engines.ENGINE);
        try (InputStream in = FusedConv.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                m.close();
                return new Loaded(null, "resource " + RESOURCE + " is missing from the class path");
            }
            return new Loaded(new FusedConv(JniUtils.loadModule(m, in, false, false)), null);
        } catch (IOException | RuntimeException e) {
            m.close();
            return new Loaded(null, RESOURCE + " could not be loaded: " + e.getMessage());
        }
    }

    /**
     * {@code post(conv(x, w, b))}: for the Adds, {@code relu(conv(x) + other)} (for
     * {@link Post#ADD_RELU_INTO} written into {@code other}; null for {@link Post#RELU}). A null bias is zero. The result is
     * attached to {@code x}'s manager.
     */
    NDArray run(Post post, NDArray x, NDArray other, NDArray w, NDArray b, Op.Window win, int groups) {
        List<IValue> args = new ArrayList<>(10);
        NDArray zeros = b == null ? x.getManager().zeros(new Shape(w.getShape().get(0))) : null;
        try {
            args.add(IValue.from((PtNDArray) x));
            if (other != null) { // the Adds' other operand
                args.add(IValue.from((PtNDArray) other));
            }
            args.add(IValue.from((PtNDArray) w));
            args.add(IValue.from((PtNDArray) (b == null ? zeros : b)));
            args.add(IValue.listFrom(win.padTop(), win.padLeft()));
            args.add(IValue.listFrom(win.strideH(), win.strideW()));
            args.add(IValue.listFrom(win.dilationH(), win.dilationW()));
            args.add(IValue.from((long) groups));
            String method = switch (post) {
                case RELU -> "conv_relu";
                case ADD_RELU -> "conv_add_relu";
                case ADD_RELU_INTO -> "conv_add_relu_into";
            };
            try (IValue r = IValueUtils.runMethod(module, method, args.toArray(IValue[]::new))) {
                return r.toTensor((PtNDManager) x.getManager());
            }
        } finally {
            args.forEach(IValue::close);
            if (zeros != null) {
                zeros.close();
            }
        }
    }
}
