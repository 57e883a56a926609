package org.asrworkbench.core.graph;

/**
 * The operations a {@link Graph} node can perform. Parameterised operations name the PyTorch
 * module whose {@code state_dict} entries they read ({@code param + ".weight"} and so on).
 */
public sealed interface Op {

    /** The graph input (N, C, H, W). */
    record Input(int channels) implements Op {
    }

    /** A 2-D convolution, PyTorch semantics (symmetric stride, padding and dilation). */
    record Conv2d(String param, int inChannels, int outChannels, int kernel, int stride, int padding,
                  int dilation, int groups, boolean bias) implements Op {
        public long[] weightShape() {
            return new long[] {outChannels, inChannels / groups, kernel, kernel};
        }
    }

    /** BatchNorm2d in eval mode; {@code eps} defaults to 1e-5. */
    record BatchNorm2d(String param, int channels, double eps) implements Op {
    }

    record Relu() implements Op {
    }

    record Relu6() implements Op {
    }

    /** Element-wise sum of two inputs (residual connection). */
    record Add() implements Op {
    }

    record MaxPool(int kernel, int stride, int padding) implements Op {
    }

    record AvgPool(int kernel, int stride, int padding) implements Op {
    }

    /** Adaptive average pooling to a fixed output size (torchvision's VGG head uses 7x7). */
    record AdaptiveAvgPool(int outH, int outW) implements Op {
    }

    /** Global average pooling to (N, C, 1, 1). */
    record GlobalAvgPool() implements Op {
    }

    /** Flattens every dimension after the batch dimension. */
    record Flatten() implements Op {
    }

    record Linear(String param, int inFeatures, int outFeatures, boolean bias) implements Op {
        public long[] weightShape() {
            return new long[] {outFeatures, inFeatures};
        }
    }

    /** Dropout: the identity in evaluation. */
    record Dropout(double p) implements Op {
    }

    /**
     * The CIFAR ResNet option-A shortcut: spatial subsampling {@code x[:, :, ::stride, ::stride]}
     * and zero channel padding, {@code padChannels} planes on each side.
     */
    record ShortcutA(int stride, int padChannels) implements Op {
    }

    record Identity() implements Op {
    }

    /** The {@code state_dict} prefix this op reads, or null. */
    default String param() {
        return null;
    }
}
