package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;

import java.util.Map;

/**
 * torchvision's VGG with BatchNorm ({@code vgg11_bn} ... {@code vgg19_bn}). The feature
 * indices are those of torchvision's {@code make_layers(cfg, batch_norm=True)}: a conv (with
 * bias) at {@code features.i}, its BatchNorm at {@code i+1}, ReLU at {@code i+2}; a max pool
 * ('M') takes one index.
 *
 * <p>Heads: {@link ArchSpec.Variant#IMAGENET} is torchvision's (AdaptiveAvgPool 7x7, then
 * {@code classifier.0} Linear(512*7*7, 4096), ReLU, Dropout, {@code classifier.3}
 * Linear(4096, 4096), ReLU, Dropout, {@code classifier.6} Linear(4096, classes)).
 * {@link ArchSpec.Variant#CIFAR} is the common CIFAR VGG: the features are flattened (32x32
 * inputs leave 512x1x1) into a single Linear named {@code classifier} (512, classes).
 */
public final class VggBn {
    /** The max-pool marker in a configuration. */
    static final int M = -1;

    /** torchvision's configurations A, B, D and E by depth. */
    static final Map<Integer, int[]> CONFIGS = Map.of(
            11, new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M},
            13, new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M},
            16, new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M},
            19, new int[] {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                512, 512, 512, 512, M});

    /** Hidden width of the torchvision head. */
    static final int HIDDEN = 4096;

    static final FamilyBuilder FAMILY = new FamilyBuilder() {
        @Override
        public boolean validDepth(int depth) {
            return CONFIGS.containsKey(depth);
        }

        @Override
        public String baseName(ArchSpec spec) {
            return "vgg" + spec.depth() + "_bn";
        }

        @Override
        public Graph build(ArchSpec spec) {
            return VggBn.build(spec);
        }
    };

    private VggBn() {
    }

    /** Builds the spec's network; {@code spec.width()} scales every conv width (not the 4096 head). */
    public static Graph build(ArchSpec spec) {
        GraphBuilder g = new GraphBuilder(spec.toString(), spec.inputChannels());
        int in = spec.inputChannels();
        int index = 0;
        for (int v : CONFIGS.get(spec.depth())) {
            if (v == M) {
                g.add("features." + index, new Op.MaxPool(2, 2, 0));
                index += 1;
                continue;
            }
            int out = spec.scaled(v);
            g.conv("features." + index, in, out, 3, 1, 1, 1, true);
            g.bn("features." + (index + 1), out);
            g.add("features." + (index + 2), new Op.Relu());
            index += 3;
            in = out;
        }
        if (spec.variant() == ArchSpec.Variant.CIFAR) {
            g.add("flatten", new Op.Flatten());
            g.linear("classifier", in, spec.numClasses(), true);
            return g.build();
        }
        g.add("avgpool", new Op.AdaptiveAvgPool(7, 7));
        g.add("flatten", new Op.Flatten());
        g.linear("classifier.0", in * 7 * 7, HIDDEN, true);
        g.add("classifier.1", new Op.Relu());
        g.add("classifier.2", new Op.Dropout(0.5));
        g.linear("classifier.3", HIDDEN, HIDDEN, true);
        g.add("classifier.4", new Op.Relu());
        g.add("classifier.5", new Op.Dropout(0.5));
        g.linear("classifier.6", HIDDEN, spec.numClasses(), true);
        return g.build();
    }
}
