package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchvision's ResNet with its parameter names: {@code conv1, bn1,
 * layer{1..4}.{i}.{conv1,bn1,conv2,bn2[,conv3,bn3]}, layerX.0.downsample.0} (1x1 conv),
 * {@code layerX.0.downsample.1} (BatchNorm), {@code fc}. BasicBlock for ResNet-18/34,
 * Bottleneck (expansion 4, stride on the 3x3 conv as in torchvision's "v1.5") from ResNet-50.
 * The ImageNet stem is a 7x7 stride-2 conv and a 3x3 stride-2 max pool; the CIFAR stem is a
 * 3x3 stride-1 conv without max pool. Global average pooling precedes {@code fc}.
 */
public final class TorchvisionResNet {
    /** Blocks per stage for each depth. */
    static final Map<Integer, int[]> BLOCKS = Map.of(
            18, new int[] {2, 2, 2, 2},
            34, new int[] {3, 4, 6, 3},
            50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3},
            152, new int[] {3, 8, 36, 3});

    private static final Pattern NAME = Pattern.compile("resnet(\\d+)");

    static final FamilyBuilder FAMILY = new FamilyBuilder() {
        @Override
        public boolean validDepth(int depth) {
            return BLOCKS.containsKey(depth);
        }

        @Override
        public String title() {
            return "torchvision ResNet";
        }

        @Override
        public int parseDepth(String baseName) {
            Matcher m = NAME.matcher(baseName);
            return m.matches() && BLOCKS.containsKey(Integer.parseInt(m.group(1))) ? Integer.parseInt(m.group(1)) : -1;
        }

        @Override
        public String knownNames() {
            return "resnet18, resnet34, resnet50";
        }

        @Override
        public String baseName(ArchSpec spec) {
            return "resnet" + spec.depth();
        }

        @Override
        public String layout() {
            return "torchvision ResNet (conv1, layerX.Y.conv1, fc)";
        }

        /** Stages of a torchvision depth and an {@code fc} classifier; ImageNet stem when {@code conv1} is 7x7. */
        @Override
        public Detection detect(StateDict w) {
            Detection d = new Detection();
            ResidualStages stages = ResidualStages.read(w, d, "fc");
            if (stages == null) {
                return d;
            }
            for (Map.Entry<Integer, int[]> e : BLOCKS.entrySet()) {
                if (Arrays.equals(e.getValue(), stages.perStage()) && bottleneck(e.getKey()) == stages.bottleneck()) {
                    Tensor stem = stages.stem();
                    ArchSpec.Variant variant = stem.dim(2) == 7 ? ArchSpec.Variant.IMAGENET : ArchSpec.Variant.CIFAR;
                    return d.claim(new ArchSpec(ArchSpec.Family.RESNET, e.getKey(), variant, (int) stem.dim(1),
                            (int) stages.classifier().dim(0), stem.dim(0) / 64.0));
                }
            }
            return d.stopped("no torchvision ResNet has these stages");
        }

        @Override
        public Graph build(ArchSpec spec) {
            return TorchvisionResNet.build(spec);
        }
    };

    private TorchvisionResNet() {
    }

    /** Whether a depth uses Bottleneck blocks. */
    static boolean bottleneck(int depth) {
        return depth >= 50;
    }

    /** Builds the spec's network; {@code spec.width()} scales the stage widths 64, 128, 256, 512. */
    public static Graph build(ArchSpec spec) {
        int[] blocks = BLOCKS.get(spec.depth());
        boolean bottleneck = bottleneck(spec.depth());
        int expansion = bottleneck ? 4 : 1;
        int base = spec.scaled(64);
        GraphBuilder g = new GraphBuilder(spec.toString(), spec.inputChannels());
        if (spec.variant() == ArchSpec.Variant.CIFAR) {
            g.conv("conv1", spec.inputChannels(), base, 3, 1, 1, 1, false);
            g.bn("bn1", base);
            g.relu();
        } else {
            g.conv("conv1", spec.inputChannels(), base, 7, 2, 3, 1, false);
            g.bn("bn1", base);
            g.relu();
            g.add("maxpool", new Op.MaxPool(3, 2, 1));
        }
        int in = base;
        for (int stage = 0; stage < blocks.length; stage++) {
            int planes = base << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String p = "layer" + (stage + 1) + "." + b;
                String blockIn = g.current();
                String branch = bottleneck ? bottleneckBranch(g, p, in, planes, stride)
                        : basicBranch(g, p, in, planes, stride);
                String shortcut = blockIn;
                if (stride != 1 || in != planes * expansion) {
                    g.at(blockIn);
                    g.conv(p + ".downsample.0", in, planes * expansion, 1, stride, 0, 1, false);
                    shortcut = g.bn(p + ".downsample.1", planes * expansion);
                }
                g.addFrom(p + ".add", new Op.Add(), branch, shortcut);
                g.relu();
                in = planes * expansion;
            }
        }
        g.add("avgpool", new Op.GlobalAvgPool());
        g.add("flatten", new Op.Flatten());
        g.linear("fc", in, spec.numClasses(), true);
        return g.build();
    }

    private static String basicBranch(GraphBuilder g, String p, int in, int planes, int stride) {
        g.conv(p + ".conv1", in, planes, 3, stride, 1, 1, false);
        g.bn(p + ".bn1", planes);
        g.relu();
        g.conv(p + ".conv2", planes, planes, 3, 1, 1, 1, false);
        return g.bn(p + ".bn2", planes);
    }

    private static String bottleneckBranch(GraphBuilder g, String p, int in, int planes, int stride) {
        g.conv(p + ".conv1", in, planes, 1, 1, 0, 1, false);
        g.bn(p + ".bn1", planes);
        g.relu();
        g.conv(p + ".conv2", planes, planes, 3, stride, 1, 1, false);
        g.bn(p + ".bn2", planes);
        g.relu();
        g.conv(p + ".conv3", planes, planes * 4, 1, 1, 0, 1, false);
        return g.bn(p + ".bn3", planes * 4);
    }
}
