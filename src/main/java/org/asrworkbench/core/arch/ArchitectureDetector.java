package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.graph.Node;
import org.asrworkbench.core.tensor.StateDict;
import org.asrworkbench.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Recognises a built-in architecture from a {@code state_dict}'s names and shapes alone, then
 * proves the guess by binding the checkpoint to the guessed graph ({@link ModelBinder#check}).
 *
 * <p>Clues: a CIFAR ResNet has {@code conv1}, three stages of {@code layerX.Y.conv1} blocks and
 * a {@code linear} classifier; a torchvision ResNet has {@code fc} (Bottleneck when
 * {@code layer1.0.conv3} exists; ImageNet stem when {@code conv1} is 7x7); a VGG-BN has conv
 * weights at {@code features.N} (their count gives the depth) and either {@code classifier.0..6}
 * (torchvision head) or a single {@code classifier} (CIFAR head); a MobileNetV2 has
 * {@code features.N.conv} blocks. Widths come from the first (or, for MobileNetV2, the last
 * block's) conv, classes from the classifier, input channels from the first conv.
 *
 * <p>MobileNetV2's CIFAR strides change no shape, so they cannot be seen in a checkpoint: it is
 * always reported with torchvision's strides ({@link ArchSpec.Variant#IMAGENET}); ask for
 * {@code mobilenet_v2-cifar} explicitly.
 */
public final class ArchitectureDetector {
    /** VGG depth by number of convolutions. */
    private static final Map<Integer, Integer> VGG_DEPTH_BY_CONVS = Map.of(8, 11, 10, 13, 13, 16, 16, 19);

    private ArchitectureDetector() {
    }

    /**
     * The checkpoint's architecture, complete with input channels and classes.
     *
     * @throws ArchitectureException when no built-in architecture matches; the message lists what
     *                               was recognised, or the first key that contradicts the guess
     */
    public static ArchSpec detect(StateDict weights) throws ArchitectureException {
        List<String> recognised = new ArrayList<>();
        ArchSpec guess;
        try {
            guess = guess(weights, recognised);
        } catch (IllegalArgumentException e) {
            recognised.add(e.getMessage());
            guess = null;
        }
        if (guess == null) {
            throw new ArchitectureException("unknown architecture (" + weights.size() + " tensors); recognised: "
                    + (recognised.isEmpty() ? "nothing" : String.join("; ", recognised))
                    + ". Known layouts: CIFAR ResNet (conv1, layerX.Y.conv1, linear), torchvision ResNet"
                    + " (conv1, layerX.Y.conv1, fc), VGG-BN (features.N, classifier), MobileNetV2 (features.N.conv)");
        }
        try {
            ModelBinder.check(Architectures.build(guess), weights);
        } catch (ArchitectureException e) {
            throw new ArchitectureException(e.key(), "looks like " + guess + " (recognised: "
                    + String.join("; ", recognised) + ") but " + e.getMessage());
        }
        return guess;
    }

    /**
     * Fills the input channels and classes a requested spec leaves open from the checkpoint's
     * first layer and classifier. Check the result with {@link ModelBinder#check}.
     *
     * @throws ArchitectureException when the checkpoint lacks the layer they are read from
     */
    public static ArchSpec complete(ArchSpec requested, StateDict weights) throws ArchitectureException {
        if (requested.isComplete()) {
            return requested;
        }
        Graph probe = Architectures.build(requested.withIO(Math.max(1, requested.inputChannels()),
                Math.max(1, requested.numClasses())));
        List<Node> layers = probe.weightLayers();
        int in = requested.inputChannels() > 0 ? requested.inputChannels()
                : (int) weight(requested, weights, layers.get(0)).dim(1);
        int classes = requested.numClasses() > 0 ? requested.numClasses()
                : (int) weight(requested, weights, layers.get(layers.size() - 1)).dim(0);
        return requested.withIO(in, classes);
    }

    private static Tensor weight(ArchSpec spec, StateDict weights, Node layer) throws ArchitectureException {
        String key = org.asrworkbench.core.graph.Graph.weightLayer(layer).weight();
        Tensor t = weights.get(key);
        if (t == null || t.rank() < 2) {
            throw new ArchitectureException(key, spec + ": the checkpoint "
                    + (t == null ? "lacks '" + key + "'" : "has '" + key + "' of shape " + t.shapeString())
                    + ", so its input channels and classes cannot be read");
        }
        return t;
    }

    private static ArchSpec guess(StateDict w, List<String> recognised) {
        if (w.contains("features.0.0.weight") && w.contains("features.1.conv.0.0.weight")) {
            return mobileNet(w, recognised);
        }
        if (w.contains("features.0.weight")) {
            return vgg(w, recognised);
        }
        if (w.contains("conv1.weight") && w.contains("layer1.0.conv1.weight")) {
            return resNet(w, recognised);
        }
        if (w.contains("conv1.weight")) {
            recognised.add("a stem conv 'conv1' " + w.get("conv1.weight").shapeString() + " but no layer1.0.conv1");
        }
        return null;
    }

    private static ArchSpec resNet(StateDict w, List<String> recognised) {
        Tensor conv1 = w.get("conv1.weight");
        recognised.add("stem conv 'conv1' " + conv1.shapeString());
        List<Integer> blocks = new ArrayList<>();
        while (w.contains("layer" + (blocks.size() + 1) + ".0.conv1.weight")) {
            int b = 0;
            while (w.contains("layer" + (blocks.size() + 1) + "." + b + ".conv1.weight")) {
                b++;
            }
            blocks.add(b);
        }
        boolean bottleneck = w.contains("layer1.0.conv3.weight");
        recognised.add(blocks.size() + " residual stages of " + blocks + (bottleneck ? " bottleneck" : " basic")
                + " blocks");
        int[] perStage = blocks.stream().mapToInt(Integer::intValue).toArray();
        if (w.contains("fc.weight")) {
            recognised.add("classifier 'fc' " + w.get("fc.weight").shapeString());
            for (Map.Entry<Integer, int[]> e : TorchvisionResNet.BLOCKS.entrySet()) {
                if (Arrays.equals(e.getValue(), perStage) && TorchvisionResNet.bottleneck(e.getKey()) == bottleneck) {
                    ArchSpec.Variant stem = conv1.dim(2) == 7 ? ArchSpec.Variant.IMAGENET : ArchSpec.Variant.CIFAR;
                    return new ArchSpec(ArchSpec.Family.RESNET, e.getKey(), stem, (int) conv1.dim(1),
                            (int) w.get("fc.weight").dim(0), conv1.dim(0) / 64.0);
                }
            }
            recognised.add("no torchvision ResNet has these stages");
            return null;
        }
        if (w.contains("linear.weight")) {
            recognised.add("classifier 'linear' " + w.get("linear.weight").shapeString());
            if (perStage.length == 3 && perStage[0] == perStage[1] && perStage[1] == perStage[2] && !bottleneck) {
                return new ArchSpec(ArchSpec.Family.CIFAR_RESNET, 6 * perStage[0] + 2, ArchSpec.Variant.CIFAR,
                        (int) conv1.dim(1), (int) w.get("linear.weight").dim(0), conv1.dim(0) / 16.0);
            }
            recognised.add("a CIFAR ResNet has three equal basic stages");
            return null;
        }
        recognised.add("no classifier ('fc' or 'linear')");
        return null;
    }

    private static ArchSpec vgg(StateDict w, List<String> recognised) {
        List<Integer> convs = new ArrayList<>();
        for (String name : w.names()) {
            String[] parts = name.split("\\.");
            if (parts.length == 3 && parts[0].equals("features") && parts[2].equals("weight")
                    && w.get(name).rank() == 4) {
                convs.add(Integer.parseInt(parts[1]));
            }
        }
        recognised.add(convs.size() + " convs at features." + convs);
        Integer depth = VGG_DEPTH_BY_CONVS.get(convs.size());
        Tensor first = w.get("features.0.weight");
        ArchSpec.Variant head;
        Tensor classifier;
        if (w.contains("classifier.6.weight")) {
            head = ArchSpec.Variant.IMAGENET;
            classifier = w.get("classifier.6.weight");
            recognised.add("torchvision head classifier.0/3/6");
        } else if (w.contains("classifier.weight")) {
            head = ArchSpec.Variant.CIFAR;
            classifier = w.get("classifier.weight");
            recognised.add("CIFAR head 'classifier' " + classifier.shapeString());
        } else {
            recognised.add("no VGG classifier ('classifier.6' or 'classifier')");
            return null;
        }
        if (depth == null || first.rank() != 4) {
            recognised.add("no VGG-BN has " + convs.size() + " convs (8, 10, 13 or 16)");
            return null;
        }
        return new ArchSpec(ArchSpec.Family.VGG_BN, depth, head, (int) first.dim(1), (int) classifier.dim(0),
                first.dim(0) / 64.0);
    }

    private static ArchSpec mobileNet(StateDict w, List<String> recognised) {
        int last = 1;
        while (w.contains("features." + (last + 1) + ".conv.0.0.weight")) {
            last++;
        }
        recognised.add("inverted residual blocks features.1.." + last);
        Tensor project = w.get("features." + last + ".conv." + (last == 1 ? 1 : 2) + ".weight");
        Tensor classifier = w.get("classifier.1.weight");
        if (project == null || classifier == null) {
            recognised.add(project == null ? "no projection conv in features." + last : "no 'classifier.1'");
            return null;
        }
        Tensor stem = w.get("features.0.0.weight");
        return new ArchSpec(ArchSpec.Family.MOBILENET_V2, 0, ArchSpec.Variant.IMAGENET, (int) stem.dim(1),
                (int) classifier.dim(0), project.dim(0) / (double) MobileNetV2.LAST_BLOCK);
    }
}
