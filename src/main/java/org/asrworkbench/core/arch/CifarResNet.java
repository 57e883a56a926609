package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CIFAR ResNet-(6n+2) with option-A shortcuts (He et al. 2016; parameter names as in the
 * widely used {@code akamaster/pytorch_resnet_cifar10} code): {@code conv1, bn1,
 * layer{1,2,3}.{i}.{conv1,bn1,conv2,bn2}, linear}. Widths 16, 32, 64 by default.
 */
public final class CifarResNet {
    private static final Pattern CIFAR_NAME = Pattern.compile("cifar_resnet(\\d+)");
    /** {@code resnet<d>} where d is not a torchvision depth. */
    private static final Pattern PLAIN_NAME = Pattern.compile("resnet(\\d+)");

    /** The family in the registry: depths 6n+2, named {@code resnet<d>} ({@code cifar_resnet<d>} where torchvision has that depth). */
    static final FamilyBuilder FAMILY = new FamilyBuilder() {
        @Override
        public boolean validDepth(int depth) {
            return CifarResNet.validDepth(depth);
        }

        @Override
        public Set<ArchSpec.Variant> variants() {
            return EnumSet.of(ArchSpec.Variant.CIFAR);
        }

        @Override
        public String title() {
            return "CIFAR ResNet";
        }

        @Override
        public int parseDepth(String baseName) {
            Matcher m = CIFAR_NAME.matcher(baseName);
            Matcher plain = PLAIN_NAME.matcher(baseName);
            int depth;
            if (m.matches()) {
                depth = Integer.parseInt(m.group(1));
            } else if (plain.matches() && !TorchvisionResNet.BLOCKS.containsKey(Integer.parseInt(plain.group(1)))) {
                depth = Integer.parseInt(plain.group(1));
            } else {
                return -1;
            }
            if (!validDepth(depth)) {
                throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110)");
            }
            return depth;
        }

        @Override
        public String knownNames() {
            return "resnet20, resnet32, resnet44, resnet56, resnet110";
        }

        @Override
        public String baseName(ArchSpec spec) {
            return (TorchvisionResNet.BLOCKS.containsKey(spec.depth()) ? "cifar_resnet" : "resnet") + spec.depth();
        }

        @Override
        public String layout() {
            return "CIFAR ResNet (conv1, layerX.Y.conv1, linear)";
        }

        /** Three equal basic stages and a {@code linear} classifier; width from the stem (16 at width 1). */
        @Override
        public Detection detect(StateDict w) {
            Detection d = new Detection();
            ResidualStages stages = ResidualStages.read(w, d, "linear");
            if (stages == null) {
                return d;
            }
            int[] s = stages.perStage();
            if (s.length != 3 || s[0] != s[1] || s[1] != s[2] || stages.bottleneck()) {
                return d.stopped("a CIFAR ResNet has three equal basic stages");
            }
            Tensor stem = stages.stem();
            return d.claim(new ArchSpec(ArchSpec.Family.CIFAR_RESNET, 6 * s[0] + 2, ArchSpec.Variant.CIFAR,
                    (int) stem.dim(1), (int) stages.classifier().dim(0), stem.dim(0) / 16.0));
        }

        @Override
        public Graph build(ArchSpec spec) {
            return CifarResNet.build(spec.depth(), spec.inputChannels(), spec.numClasses(), spec.scaled(16));
        }
    };

    private CifarResNet() {
    }

    public static boolean validDepth(int depth) {
        return depth >= 8 && (depth - 2) % 6 == 0;
    }

    public static Graph build(int depth, int inputChannels, int numClasses) {
        return build(depth, inputChannels, numClasses, 16);
    }

    public static Graph build(int depth, int inputChannels, int numClasses, int baseWidth) {
        if (!validDepth(depth)) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110), not " + depth);
        }
        int blocks = (depth - 2) / 6;
        GraphBuilder g = new GraphBuilder("resnet" + depth, inputChannels);
        g.conv("conv1", inputChannels, baseWidth, 3, 1, 1, 1, false);
        g.bn("bn1", baseWidth);
        g.relu();
        int in = baseWidth;
        for (int stage = 0; stage < 3; stage++) {
            int planes = baseWidth << stage;
            for (int b = 0; b < blocks; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String p = "layer" + (stage + 1) + "." + b;
                String blockIn = g.current();
                g.conv(p + ".conv1", in, planes, 3, stride, 1, 1, false);
                g.bn(p + ".bn1", planes);
                g.relu();
                g.conv(p + ".conv2", planes, planes, 3, 1, 1, 1, false);
                String branch = g.bn(p + ".bn2", planes);
                String shortcut = blockIn;
                if (stride != 1 || in != planes) {
                    shortcut = g.addFrom(p + ".shortcut", new Op.ShortcutA(stride, planes / 4), blockIn);
                }
                g.addFrom(p + ".add", new Op.Add(), branch, shortcut);
                g.relu();
                in = planes;
            }
        }
        g.add("avgpool", new Op.GlobalAvgPool());
        g.add("flatten", new Op.Flatten());
        g.linear("linear", in, numClasses, true);
        return g.build();
    }
}
