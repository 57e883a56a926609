package org.asrworkbench.core.exec;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * How an executor lays out its 4-D arrays in memory; the shape is NCHW either way, so every
 * operation and every value read back ({@code toFloatArray}) is the same, only the order of
 * the floats in memory and the convolution kernel oneDNN picks for them differ.
 * <ul>
 *   <li>{@link #CONTIGUOUS}: NCHW strides, PyTorch's default;</li>
 *   <li>{@link #CHANNELS_LAST}: NHWC strides behind the NCHW shape. On this project's CPUs
 *       (AVX2) oneDNN's channels-last convolutions run the sequential pass about 1.2-1.3x faster
 *       than NCHW ones (ResNet-20, P's side alone, 1024 images, {@code bench --what pass}, three
 *       runs each: 2.9-3.4 s NCHW against 2.3-2.8 s channels-last); a convolution whose input or weight is channels-last gives a
 *       channels-last output, and PyTorch's element-wise ops, BatchNorm and reductions keep it.</li>
 * </ul>
 * Inference on the CPU uses channels-last ({@link #preferred}); the GPU path and training keep
 * NCHW. {@code -Dasr.channelsLast=false} turns it off, for comparisons.
 */
public enum Layout {
    CONTIGUOUS,
    CHANNELS_LAST;

    /** The inference layout for {@code device}: channels-last on the CPU, unless switched off. */
    public static Layout preferred(Device device) {
        boolean cpu = device == null || Device.Type.CPU.equals(device.getDeviceType());
        return cpu && !"false".equals(System.getProperty("asr.channelsLast")) ? CHANNELS_LAST : CONTIGUOUS;
    }

    /**
     * {@code x} in this layout: for {@link #CHANNELS_LAST} and a 4-D array, a copy in channels-last
     * order attached to {@code x}'s manager, with {@code x} closed; else {@code x} itself.
     */
    public NDArray adopt(NDArray x) {
        if (this == CONTIGUOUS || x.getShape().dimension() != 4) {
            return x;
        }
        try (x) {
            return channelsLast(x, x.getManager());
        }
    }

    /**
     * A channels-last copy of a 4-D array (the same NCHW shape, NHWC strides) in {@code m}, with
     * storage of its own; other ranks are returned as they are.
     */
    public static NDArray channelsLast(NDArray x, NDManager m) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            return x;
        }
        NDArray out;
        // reshaping the permuted array copies it in NHWC order, except where the permutation is
        // already a view (1x1 kernels, one channel): clone then, since a view would share the
        // source's storage, which may be a buffer freed with the source
        try (NDArray nhwc = x.transpose(0, 2, 3, 1);
             NDArray flat = nhwc.reshape(-1, s.get(1));
             NDArray dense = flat.reshape(s.get(0), s.get(2), s.get(3), s.get(1));
             NDArray view = dense.transpose(0, 3, 1, 2)) {
            out = view.duplicate();
        }
        out.attach(m);
        return out;
    }
}
