package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.GraphBuilder;
import org.asrworkbench.core.graph.Op;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** Depth by number of convolutions. */
    private static final Map<Integer, Integer> DEPTH_BY_CONVS = Map.of(8, 11, 10, 13, 13, 16, 16, 19);
    private static final Pattern NAME = Pattern.compile("vgg(\\d+)_bn");

    /** Hidden width of the torchvision head. */
    static final int HIDDEN = 4096;

    static final FamilyBuilder FAMILY = new FamilyBuilder() {
        @Override
        public boolean validDepth(int depth) {
            return CONFIGS.containsKey(depth);
        }

        @Override
        public String title() {
            return "VGG-BN";
        }

        @Override
        public int parseDepth(String baseName) {
            Matcher m = NAME.matcher(baseName);
            if (!m.matches()) {
                return -1;
            }
            int depth = Integer.parseInt(m.group(1));
            if (!validDepth(depth)) {
                throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19");
            }
            return depth;
        }

        @Override
        public String knownNames() {
            return "vgg11_bn, vgg13_bn, vgg16_bn, vgg19_bn";
        }

        @Override
        public String baseName(ArchSpec spec) {
            return "vgg" + spec.depth() + "_bn";
        }

        @Override
        public String layout() {
            return "VGG-BN (features.N, classifier)";
        }

        /**
         * Conv weights at {@code features.N} (their count gives the depth) and either
         * {@code classifier.0..6} (torchvision head) or a single {@code classifier} (CIFAR head).
         */
        @Override
        public Detection detect(StateDict w) {
            Detection d = new Detection();
            Tensor first = w.get("features.0.weight");
            if (first == null) {
                return d;
            }
            List<Integer> convs = new ArrayList<>();
            for (String name : w.names()) {
                String[] parts = name.split("\\.");
                if (parts.length == 3 && parts[0].equals("features") && parts[2].equals("weight")
                        && w.get(name).rank() == 4) {
                    convs.add(Integer.parseInt(parts[1]));
                }
            }
            d.saw(convs.size() + " convs at features." + convs);
            ArchSpec.Variant head;
            Tensor classifier;
            if (w.contains("classifier.6.weight")) {
                head = ArchSpec.Variant.IMAGENET;
                classifier = w.get("classifier.6.weight");
                d.saw("torchvision head classifier.0/3/6");
            } else if (w.contains("classifier.weight")) {
                head = ArchSpec.Variant.CIFAR;
                classifier = w.get("classifier.weight");
                d.saw("CIFAR head 'classifier' " + classifier.shapeString());
            } else {
                return d.stopped("no VGG classifier ('classifier.6' or 'classifier')");
            }
            Integer depth = DEPTH_BY_CONVS.get(convs.size());
            if (depth == null || first.rank() != 4) {
                return d.stopped("no VGG-BN has " + convs.size() + " convs (8, 10, 13 or 16)");
            }
            return d.claim(new ArchSpec(ArchSpec.Family.VGG_BN, depth, head, (int) first.dim(1),
                    (int) classifier.dim(0), first.dim(0) / 64.0));
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
