package org.asrworkbench.core.estimate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.asrworkbench.core.graph.Op;

/**
 * The input vectors {@code p} a unit's layer computes each output value from, per group of its
 * output channels (docs/repair-methods.md, "Local damage estimate"): for a conv the unfolded
 * {@code (C_in / groups) x k_h x k_w} patch at every output position, zero padding included,
 * in the order of the weight's row ({@code ci * k_h * k_w + a * k_w + b}); for a linear layer
 * its input features (one group).
 *
 * <p>This is the one place that knows the layer's geometry; every kernel, stride, padding and
 * dilation is kept per axis.
 *
 * @param groups       groups of output channels (1 for linear)
 * @param inChannels   input channels (features for linear)
 * @param outChannels  output channels
 * @param kh           kernel height (1 for linear)
 * @param kw           kernel width
 * @param sh           stride along H
 * @param sw           stride along W
 * @param pt           zero padding above (H)
 * @param pl           zero padding on the left (W)
 * @param pb           zero padding below (H)
 * @param pr           zero padding on the right (W)
 * @param dh           dilation along H
 * @param dw           dilation along W
 * @param conv         false for a linear layer
 */
public record LayerInput(int groups, int inChannels, int outChannels, int kh, int kw, int sh, int sw, int pt, int pl,
                         int pb, int pr, int dh, int dw, boolean conv) {

    /** The input geometry of a conv or linear op. */
    public static LayerInput of(Op op) {
        if (op instanceof Op.Conv2d c) {
            Op.Window w = c.window();
            return new LayerInput(c.groups(), c.inChannels(), c.outChannels(), w.kernelH(), w.kernelW(), w.strideH(),
                    w.strideW(), w.padTop(), w.padLeft(), w.padBottom(), w.padRight(), w.dilationH(), w.dilationW(), true);
        }
        if (op instanceof Op.Linear l) {
            return new LayerInput(1, l.inFeatures(), l.outFeatures(), 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, false);
        }
        throw new IllegalArgumentException("a local estimate needs a conv or linear layer, not " + op);
    }

    /** Length {@code d} of one input vector: {@code (C_in / groups) * k_h * k_w}. */
    public int patch() {
        return inChannels / groups * kh * kw;
    }

    /** Output channels per group. */
    public int channelsPerGroup() {
        return outChannels / groups;
    }

    /** Output positions per image for an input of {@code h x w} (1 for linear). */
    public long positions(long h, long w) {
        return conv ? outSize(h, kh, sh, pt, pb, dh) * outSize(w, kw, sw, pl, pr, dw) : 1;
    }

    /** Output size along one axis with padding {@code p0} before and {@code p1} after. */
    private static long outSize(long n, int k, int s, int p0, int p1, int d) {
        return (n + p0 + p1 - (long) d * (k - 1) - 1) / s + 1;
    }

    /**
     * The input vectors of a batch {@code x} ((N, C, H, W) for a conv, (N, F) for linear), as
     * {@code (groups, N * positions, d)}; made in {@code x}'s manager, in {@code x}'s data type.
     */
    public NDArray vectors(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        if (!conv) {
            return x.reshape(1, n, inChannels);
        }
        long h = s.get(2);
        long w = s.get(3);
        long oh = outSize(h, kh, sh, pt, pb, dh);
        long ow = outSize(w, kw, sw, pl, pr, dw);
        NDArray padded = pt == 0 && pl == 0 && pb == 0 && pr == 0 ? x : x.pad(new Shape(pl, pr, pt, pb), 0);
        NDList taps = new NDList(kh * kw);
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                long y0 = (long) a * dh;
                long x0 = (long) b * dw;
                taps.add(padded.get(":, :, " + y0 + ":" + (y0 + (oh - 1) * sh + 1) + ":" + sh + ", "
                        + x0 + ":" + (x0 + (ow - 1) * sw + 1) + ":" + sw));
            }
        }
        NDArray stacked = NDArrays.stack(taps, 2); // (N, C, kh*kw, oh, ow)
        taps.close();
        if (padded != x) {
            padded.close();
        }
        NDArray grouped = stacked.reshape(n, groups, patch(), oh * ow);
        NDArray out = grouped.transpose(1, 0, 3, 2).reshape(groups, n * oh * ow, patch());
        stacked.close();
        return out;
    }
}
