package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.regex.Pattern;

/**
 * torchvision's MobileNetV2 with its parameter names: stem {@code features.0.0} (3x3 conv) and
 * {@code features.0.1} (BatchNorm); inverted residual blocks {@code features.1..17} with
 * {@code conv.0.0/conv.0.1} (1x1 expand), {@code conv.1.0/conv.1.1} (3x3 depthwise),
 * {@code conv.2} (1x1 project), {@code conv.3} (BatchNorm); the first block (t=1) has no
 * expand layer, so there {@code conv.0.*} is the depthwise conv, {@code conv.1} the projection
 * and {@code conv.2} its BatchNorm. {@code features.18.0/.1} is the last 1x1 conv to 1280,
 * then global average pooling, Dropout(0.2) and {@code classifier.1}. Activations are ReLU6; a
 * block adds its input when its stride is 1 and its input and output widths agree. Widths are
 * rounded with torchvision's {@code _make_divisible(c * width, 8)}.
 *
 * <p>{@link ArchSpec.Variant#CIFAR} strides, as in the common CIFAR ports: the stem
 * ({@code features.0.0}) and the first block of the second stage ({@code features.2}, 24
 * channels) have stride 1 instead of 2, so a 32x32 input reaches the head at 4x4.
 */
public final class MobileNetV2 {
    /** torchvision's inverted residual setting: expansion t, channels c, repeats n, stride s. */
    static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };
    static final int STEM = 32;
    static final int LAST = 1280;
    /** Channels of the last inverted residual block at width 1. */
    static final int LAST_BLOCK = 320;
    static final int DIVISOR = 8;

    private static final Pattern NAME = Pattern.compile("mobilenet_?v2");

    static final FamilyBuilder FAMILY = new FamilyBuilder() {
        @Override
        public boolean validDepth(int depth) {
            return depth == 0;
        }

        @Override
        public String title() {
            return "MobileNetV2";
        }

        @Override
        public int parseDepth(String baseName) {
            return NAME.matcher(baseName).matches() ? 0 : -1;
        }

        @Override
        public String knownNames() {
            return "mobilenet_v2";
        }

        @Override
        public String baseName(ArchSpec spec) {
            return "mobilenet_v2";
        }

        @Override
        public String layout() {
            return "MobileNetV2 (features.N.conv)";
        }

        /**
         * A stem {@code features.0.0} and inverted residual blocks {@code features.N.conv}; the
         * width from the last block's projection, classes from {@code classifier.1}. The CIFAR
         * strides change no shape, so they cannot be seen: torchvision's strides are reported.
         */
        @Override
        public Detection detect(StateDict w) {
            Detection d = new Detection();
            Tensor stem = w.get("features.0.0.weight");
            if (stem == null || !w.contains("features.1.conv.0.0.weight")) {
                return d;
            }
            int last = 1;
            while (w.contains("features." + (last + 1) + ".conv.0.0.weight")) {
                last++;
            }
            d.saw("inverted residual blocks features.1.." + last);
            Tensor project = w.get("features." + last + ".conv." + (last == 1 ? 1 : 2) + ".weight");
            Tensor classifier = w.get("classifier.1.weight");
            if (project == null || classifier == null) {
                return d.stopped(project == null ? "no projection conv in features." + last : "no 'classifier.1'");
            }
            return d.claim(new ArchSpec(ArchSpec.Family.MOBILENET_V2, 0, ArchSpec.Variant.IMAGENET,
                    (int) stem.dim(1), (int) classifier.dim(0), project.dim(0) / (double) LAST_BLOCK));
        }

        @Override
        public Graph build(ArchSpec spec) {
            return MobileNetV2.build(spec);
        }
    };

    private MobileNetV2() {
    }

    /** torchvision's {@code _make_divisible(v, divisor)} with {@code min_value = divisor}. */
    public static int makeDivisible(double v, int divisor) {
        int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * v ? rounded + divisor : rounded;
    }

    public static Graph build(ArchSpec spec) {
        boolean cifar = spec.variant() == ArchSpec.Variant.CIFAR;
        int in = makeDivisible(STEM * spec.width(), DIVISOR);
        int last = makeDivisible(LAST * Math.max(1.0, spec.width()), DIVISOR);
        GraphBuilder g = new GraphBuilder(spec.toString(), spec.inputChannels());
        g.conv("features.0.0", spec.inputChannels(), in, 3, cifar ? 1 : 2, 1, 1, false);
        g.bn("features.0.1", in);
        g.relu6();
        int index = 1;
        for (int stage = 0; stage < SETTING.length; stage++) {
            int[] s = SETTING[stage];
            int out = makeDivisible(s[1] * spec.width(), DIVISOR);
            for (int i = 0; i < s[2]; i++) {
                int stride = i > 0 || (cifar && stage == 1) ? 1 : s[3];
                invertedResidual(g, "features." + index, in, out, stride, s[0]);
                in = out;
                index++;
            }
        }
        g.conv("features." + index + ".0", in, last, 1, 1, 0, 1, false);
        g.bn("features." + index + ".1", last);
        g.relu6();
        g.add("avgpool", new Op.GlobalAvgPool());
        g.add("flatten", new Op.Flatten());
        g.add("classifier.0", new Op.Dropout(0.2));
        g.linear("classifier.1", last, spec.numClasses(), true);
        return g.build();
    }

    private static void invertedResidual(GraphBuilder g, String p, int in, int out, int stride, int expand) {
        String blockIn = g.current();
        int hidden = in * expand;
        int i = 0;
        if (expand != 1) {
            g.conv(p + ".conv.0.0", in, hidden, 1, 1, 0, 1, false);
            g.bn(p + ".conv.0.1", hidden);
            g.relu6();
            i = 1;
        }
        g.conv(p + ".conv." + i + ".0", hidden, hidden, 3, stride, 1, hidden, false);
        g.bn(p + ".conv." + i + ".1", hidden);
        g.relu6();
        g.conv(p + ".conv." + (i + 1), hidden, out, 1, 1, 0, 1, false);
        String branch = g.bn(p + ".conv." + (i + 2), out);
        if (stride == 1 && in == out) {
            g.addFrom(p + ".add", new Op.Add(), branch, blockIn);
        }
    }
}
