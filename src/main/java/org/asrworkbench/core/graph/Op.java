package org.asrworkbench.core.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations a {@link Graph} node can perform. Parameterised operations name every tensor
 * they read explicitly: for the built-in families these are the PyTorch {@code state_dict}
 * names ({@code param + ".weight"} and so on, so safetensors export and PyTorch cross-checks
 * keep working), for an imported ONNX model the initializer names. {@link #param()} is the
 * module (or ONNX node) name that identifies the op in reports and overrides.
 *
 * <p>Dispatch over ops is checked by the compiler: every op {@linkplain #accept accepts} a
 * {@link Visitor}, which has one method per op, so an op that the executor or the shape
 * inference does not handle does not compile.
 *
 * <p>Tensor layout is (N, C, H, W) with the batch first; every op keeps the batch dimension
 * where it is (axes below count it as axis 0).
 */
public sealed interface Op {

    /** One method per op: implement it to handle every op, checked at compile time. */
    interface Visitor<R> {
        R visit(Input op);

        R visit(Conv2d op);

        R visit(BatchNorm2d op);

        R visit(Relu op);

        R visit(Relu6 op);

        R visit(Clip op);

        R visit(LeakyRelu op);

        R visit(Sigmoid op);

        R visit(HardSigmoid op);

        R visit(HardSwish op);

        R visit(Add op);

        R visit(Binary op);

        R visit(MaxPool op);

        R visit(AvgPool op);

        R visit(AdaptiveAvgPool op);

        R visit(GlobalAvgPool op);

        R visit(ReduceMean op);

        R visit(Flatten op);

        R visit(Linear op);

        R visit(Dropout op);

        R visit(ShortcutA op);

        R visit(Identity op);

        R visit(Concat op);

        R visit(Slice op);

        R visit(Pad op);

        R visit(Reshape op);

        R visit(Transpose op);

        R visit(Softmax op);
    }

    <R> R accept(Visitor<R> v);

    /** A short name of the op's kind, as the op census of {@code info} counts it. */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** The module (PyTorch) or node (ONNX) name of a parameterised op, else null. */
    default String param() {
        return null;
    }

    /** The names of the tensors this op reads from the weights, with their shapes, in a fixed order. */
    default List<TensorRef> tensors() {
        return List.of();
    }

    /** A tensor an op reads from the weights: its name and shape. */
    record TensorRef(String name, long[] shape) {
    }

    /**
     * A 2-D sliding window (conv or pool): kernel, stride and dilation per axis (H, W), and the
     * zero padding at the top, left, bottom and right (ONNX may pad asymmetrically).
     */
    record Window(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
                  int padTop, int padLeft, int padBottom, int padRight) {
        public Window {
            if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
                throw new IllegalArgumentException("kernel, stride and dilation must be positive");
            }
            if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
                throw new IllegalArgumentException("padding must not be negative");
            }
        }

        /** PyTorch's square window: the same kernel, stride, padding and dilation on both axes. */
        public static Window square(int kernel, int stride, int padding, int dilation) {
            return new Window(kernel, kernel, stride, stride, dilation, dilation, padding, padding, padding, padding);
        }

        public boolean symmetricPads() {
            return padTop == padBottom && padLeft == padRight;
        }

        /** Output size along one axis (PyTorch/ONNX formula; {@code ceil} for ceil_mode pools). */
        public static long outSize(long in, int kernel, int stride, int dilation, int padBegin, int padEnd,
                                   boolean ceil) {
            long span = (long) dilation * (kernel - 1) + 1;
            long num = in + padBegin + padEnd - span;
            if (num < 0) {
                return 0;
            }
            long out = (ceil ? Math.floorDiv(num + stride - 1, stride) : Math.floorDiv(num, stride)) + 1;
            // PyTorch and ONNX: the last window must start inside the input or its left padding
            if (ceil && (out - 1) * stride >= in + padBegin) {
                out--;
            }
            return out;
        }

        public long outH(long in, boolean ceil) {
            return outSize(in, kernelH, strideH, dilationH, padTop, padBottom, ceil);
        }

        public long outW(long in, boolean ceil) {
            return outSize(in, kernelW, strideW, dilationW, padLeft, padRight, ceil);
        }
    }

    /** A conv or linear layer: the prunable weights, one output channel per row. */
    sealed interface WeightLayer extends Op permits Conv2d, Linear {
        /** The weight tensor's name. */
        String weight();

        /** The bias tensor's name, or null when the layer has none. */
        String bias();

        /** Output channels (conv) or features (linear). */
        int outputs();

        long[] weightShape();

        default boolean hasBias() {
            return bias() != null;
        }
    }

    /** The graph input: (N, C, H, W); height and width are 0 where any size is accepted. */
    record Input(int channels, int height, int width) implements Op {
        public Input(int channels) {
            this(channels, 0, 0);
        }

        /** The full input shape for a batch of one, with 0 for a size left open. */
        public long[] shape() {
            return new long[] {1, channels, height, width};
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** A 2-D convolution (ONNX Conv / torch.nn.Conv2d). */
    record Conv2d(String param, String weight, String bias, int inChannels, int outChannels, Window window,
                  int groups) implements WeightLayer {
        /** PyTorch's square conv with the module's {@code .weight} and {@code .bias} names. */
        public Conv2d(String param, int inChannels, int outChannels, int kernel, int stride, int padding,
                      int dilation, int groups, boolean bias) {
            this(param, param + ".weight", bias ? param + ".bias" : null, inChannels, outChannels,
                    Window.square(kernel, stride, padding, dilation), groups);
        }

        public Conv2d {
            if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("conv '" + param + "': " + inChannels + " input and " + outChannels
                        + " output channels do not split into " + groups + " groups");
            }
        }

        @Override
        public long[] weightShape() {
            return new long[] {outChannels, inChannels / groups, window.kernelH(), window.kernelW()};
        }

        @Override
        public int outputs() {
            return outChannels;
        }

        @Override
        public List<TensorRef> tensors() {
            return weightAndBias(this);
        }

        @Override
        public String kind() {
            return groups > 1 && groups == inChannels ? "DepthwiseConv" : "Conv";
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** BatchNorm in eval mode over axis 1; {@code eps} defaults to 1e-5. */
    record BatchNorm2d(String param, String scale, String bias, String mean, String var, int channels, double eps)
            implements Op {
        /** PyTorch's names: {@code .weight, .bias, .running_mean, .running_var}. */
        public BatchNorm2d(String param, int channels, double eps) {
            this(param, param + ".weight", param + ".bias", param + ".running_mean", param + ".running_var",
                    channels, eps);
        }

        @Override
        public List<TensorRef> tensors() {
            long[] s = {channels};
            return List.of(new TensorRef(scale, s), new TensorRef(bias, s), new TensorRef(mean, s),
                    new TensorRef(var, s));
        }

        @Override
        public String kind() {
            return "BatchNormalization";
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Relu() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Relu6() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code min(max(x, min), max)}. */
    record Clip(float min, float max) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record LeakyRelu(float alpha) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Sigmoid() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code max(0, min(1, alpha * x + beta))}. */
    record HardSigmoid(float alpha, float beta) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code x * max(0, min(1, x / 6 + 1/2))}. */
    record HardSwish() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Element-wise sum of two inputs (residual connection). */
    record Add() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** The arithmetic of {@link Binary}. */
    enum Arithmetic {
        ADD, SUB, MUL, DIV
    }

    /**
     * Element-wise arithmetic with numpy broadcasting: of two inputs ({@code constant} null), or of
     * one input and a constant tensor from the weights ({@code constantFirst}: the constant is the
     * left operand). A sum of two inputs is {@link Add}.
     */
    record Binary(Arithmetic op, String constant, List<Long> constantShape, boolean constantFirst) implements Op {
        public Binary {
            if (constant == null && op == Arithmetic.ADD) {
                throw new IllegalArgumentException("the sum of two inputs is Op.Add");
            }
            constantShape = constantShape == null ? null : List.copyOf(constantShape);
        }

        @Override
        public List<TensorRef> tensors() {
            return constant == null ? List.of() : List.of(new TensorRef(constant, longs(constantShape)));
        }

        @Override
        public String kind() {
            return op.name().charAt(0) + op.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record MaxPool(Window window, boolean ceilMode) implements Op {
        public MaxPool(int kernel, int stride, int padding) {
            this(Window.square(kernel, stride, padding, 1), false);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Average pooling; {@code countIncludePad} counts the zero padding in each window's size (PyTorch's default). */
    record AvgPool(Window window, boolean ceilMode, boolean countIncludePad) implements Op {
        public AvgPool(int kernel, int stride, int padding) {
            this(Window.square(kernel, stride, padding, 1), false, true);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Adaptive average pooling to a fixed output size (torchvision's VGG head uses 7x7). */
    record AdaptiveAvgPool(int outH, int outW) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Global average pooling to (N, C, 1, 1). */
    record GlobalAvgPool() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Mean over the given axes (never the batch axis 0), keeping them as size 1 when {@code keepDims}. */
    record ReduceMean(List<Integer> axes, boolean keepDims) implements Op {
        public ReduceMean {
            axes = List.copyOf(axes);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Flattens every dimension after the batch dimension. */
    record Flatten() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * A fully connected layer {@code y = x W^T + b} on the last axis. {@code transposed}: the
     * weight is stored (in, out), as an ONNX MatMul or Gemm with {@code transB = 0} holds it.
     */
    record Linear(String param, String weight, String bias, int inFeatures, int outFeatures, boolean transposed)
            implements WeightLayer {
        /** PyTorch's nn.Linear with the module's {@code .weight} and {@code .bias} names. */
        public Linear(String param, int inFeatures, int outFeatures, boolean bias) {
            this(param, param + ".weight", bias ? param + ".bias" : null, inFeatures, outFeatures, false);
        }

        @Override
        public long[] weightShape() {
            return transposed ? new long[] {inFeatures, outFeatures} : new long[] {outFeatures, inFeatures};
        }

        @Override
        public int outputs() {
            return outFeatures;
        }

        @Override
        public List<TensorRef> tensors() {
            return weightAndBias(this);
        }

        @Override
        public String kind() {
            return "Gemm";
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Dropout: the identity in evaluation. */
    record Dropout(double p) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * The CIFAR ResNet option-A shortcut: spatial subsampling {@code x[:, :, ::stride, ::stride]}
     * and zero channel padding, {@code padChannels} planes on each side.
     */
    record ShortcutA(int stride, int padChannels) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Identity() implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Concatenation of the inputs along {@code axis} (not the batch axis). */
    record Concat(int axis) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * {@code x[start:end:step]} along each axis (never the batch axis), with indices already
     * clamped to the input's size. A negative step runs from {@code start} down to (not including)
     * {@code end}, where {@code end} may be -1 (down to the first element).
     */
    record Slice(List<Integer> axes, List<Long> starts, List<Long> ends, List<Long> steps) implements Op {
        public Slice {
            axes = List.copyOf(axes);
            starts = List.copyOf(starts);
            ends = List.copyOf(ends);
            steps = List.copyOf(steps);
            if (starts.size() != axes.size() || ends.size() != axes.size() || steps.size() != axes.size()) {
                throw new IllegalArgumentException("a slice needs a start, end and step per axis");
            }
        }

        /** Elements kept along the i-th sliced axis. */
        public long length(int i) {
            long s = starts.get(i);
            long e = ends.get(i);
            long st = steps.get(i);
            return st > 0 ? Math.max(0, Math.floorDiv(e - s + st - 1, st)) : Math.max(0, Math.floorDiv(s - e - st - 1, -st));
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * Constant padding ({@code value}); {@code pads} are ONNX's: the amounts added at the start
     * of every axis, then at the end of every axis (negative amounts crop). The batch axis is
     * never padded.
     */
    record Pad(List<Long> pads, float value) implements Op {
        public Pad {
            pads = List.copyOf(pads);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Reshapes every image to {@code sampleShape} (the batch dimension is kept). */
    record Reshape(List<Long> sampleShape) implements Op {
        public Reshape {
            sampleShape = List.copyOf(sampleShape);
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** Permutes the axes; {@code perm.get(0)} is 0 (the batch stays first). */
    record Transpose(List<Integer> perm) implements Op {
        public Transpose {
            perm = List.copyOf(perm);
            if (perm.isEmpty() || perm.get(0) != 0) {
                throw new IllegalArgumentException("a transpose keeps the batch axis first, not " + perm);
            }
        }

        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Softmax(int axis) implements Op {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    private static List<TensorRef> weightAndBias(WeightLayer l) {
        List<TensorRef> out = new ArrayList<>(2);
        out.add(new TensorRef(l.weight(), l.weightShape()));
        if (l.bias() != null) {
            out.add(new TensorRef(l.bias(), new long[] {l.outputs()}));
        }
        return out;
    }

    /** A list of longs as an array. */
    static long[] longs(List<Long> values) {
        long[] a = new long[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
