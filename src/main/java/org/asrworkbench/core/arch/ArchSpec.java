package org.asrworkbench.core.arch;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which built-in architecture a checkpoint is, in the form the CLI's {@code --arch} accepts.
 *
 * <p>Canonical names ({@link #toString()}), options joined by {@code -}:
 * <ul>
 *   <li>{@code resnet20}, {@code resnet32}, ... (any 6n+2): CIFAR ResNet with option-A
 *       shortcuts ({@link CifarResNet}); depths that are also torchvision depths (50, 152) are
 *       written {@code cifar_resnet50}, and {@code cifar_resnet<d>} is accepted for any depth.</li>
 *   <li>{@code resnet18}, {@code resnet34}, {@code resnet50}, {@code resnet101},
 *       {@code resnet152}: torchvision ResNet; {@code -cifar} selects the CIFAR stem.</li>
 *   <li>{@code vgg11_bn}, {@code vgg13_bn}, {@code vgg16_bn}, {@code vgg19_bn}: torchvision
 *       VGG with BatchNorm; {@code -cifar} selects the single-linear CIFAR head.</li>
 *   <li>{@code mobilenet_v2}: torchvision MobileNetV2; {@code -cifar} selects the CIFAR
 *       strides.</li>
 *   <li>{@code -w<multiplier>} (for example {@code -w0.5}) scales every width (omitted when 1).</li>
 * </ul>
 * Input channels and classes are not part of the name: {@link #parse} leaves them 0
 * ("take them from the checkpoint", see {@link ArchitectureDetector#complete}) unless the
 * optional tokens {@code -in<N>} and {@code -cls<N>} give them.
 *
 * @param family        the architecture family
 * @param depth         the depth in the family's name (0 for MobileNetV2, which has none)
 * @param variant       {@link Variant#CIFAR} for the CIFAR stem (ResNet), head (VGG) or
 *                      strides (MobileNetV2); always CIFAR for {@link Family#CIFAR_RESNET}
 * @param inputChannels input planes, 0 when not known yet
 * @param numClasses    classifier outputs, 0 when not known yet
 * @param width         width multiplier on the family's standard channel counts (1 = standard)
 */
public record ArchSpec(Family family, int depth, Variant variant, int inputChannels, int numClasses,
                       double width) {

    /**
     * Architecture families: the registry of built-in builders. Each owns its names, layouts,
     * graph and detection clues ({@link FamilyBuilder}); adding a family is one constant here.
     */
    public enum Family {
        /** He et al.'s CIFAR ResNet-(6n+2), option-A shortcuts, names {@code layerX.Y.convZ, linear}. */
        CIFAR_RESNET(CifarResNet.FAMILY),
        /** torchvision ResNet (BasicBlock for 18/34, Bottleneck from 50). */
        RESNET(TorchvisionResNet.FAMILY),
        /** torchvision VGG with BatchNorm. */
        VGG_BN(VggBn.FAMILY),
        /** torchvision MobileNetV2. */
        MOBILENET_V2(MobileNetV2.FAMILY);

        private final FamilyBuilder builder;

        Family(FamilyBuilder builder) {
            this.builder = builder;
        }

        public FamilyBuilder builder() {
            return builder;
        }
    }

    /** The ImageNet layout of torchvision, or the common CIFAR port of it. */
    public enum Variant {
        IMAGENET("ImageNet"), CIFAR("CIFAR");

        private final String title;

        Variant(String title) {
            this.title = title;
        }

        /** The layout's name in messages. */
        public String title() {
            return title;
        }
    }

    private static final Pattern OPTION = Pattern.compile("(cifar|imagenet)|w(\\d+(?:\\.\\d+)?)|in(\\d+)|cls(\\d+)");

    public ArchSpec {
        if (family == null || variant == null) {
            throw new IllegalArgumentException("family and variant are required");
        }
        if (!family.builder().validDepth(depth)) {
            throw new IllegalArgumentException("no " + family + " of depth " + depth);
        }
        if (!family.builder().variants().contains(variant)) {
            throw new IllegalArgumentException("the " + family.builder().title() + " has no " + variant.title()
                    + " layout");
        }
        if (inputChannels < 0 || numClasses < 0) {
            throw new IllegalArgumentException("input channels and classes must be positive (0: unknown)");
        }
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width multiplier must be positive, not " + width);
        }
    }

    /** A standard-width spec whose input channels and classes are not known yet. */
    public static ArchSpec of(Family family, int depth, Variant variant) {
        return new ArchSpec(family, depth, variant, 0, 0, 1.0);
    }

    public ArchSpec withIO(int inputChannels, int numClasses) {
        return new ArchSpec(family, depth, variant, inputChannels, numClasses, width);
    }

    public ArchSpec withWidth(double width) {
        return new ArchSpec(family, depth, variant, inputChannels, numClasses, width);
    }

    /** True when input channels and classes are known, so the graph can be built. */
    public boolean isComplete() {
        return inputChannels > 0 && numClasses > 0;
    }

    /** {@code round(standard * width)}, at least 1: the channel count of a plainly scaled layer. */
    public int scaled(int standard) {
        return Math.max(1, (int) Math.round(standard * width));
    }

    /**
     * Parses an {@code --arch} name (case-insensitive); see the class comment for the grammar.
     *
     * @throws IllegalArgumentException naming the problem and the known names
     */
    public static ArchSpec parse(String text) {
        String[] tokens = text.trim().toLowerCase(Locale.ROOT).split("-");
        Variant variant = null;
        double width = 1.0;
        int in = 0;
        int classes = 0;
        for (int i = 1; i < tokens.length; i++) {
            Matcher m = OPTION.matcher(tokens[i]);
            if (!m.matches()) {
                throw unknown(text, "unknown option '" + tokens[i] + "'");
            }
            if (m.group(1) != null) {
                variant = Variant.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            } else if (m.group(2) != null) {
                width = Double.parseDouble(m.group(2));
            } else if (m.group(3) != null) {
                in = Integer.parseInt(m.group(3));
            } else {
                classes = Integer.parseInt(m.group(4));
            }
        }
        ArchSpec base = parseBase(text, tokens[0], variant);
        try {
            return new ArchSpec(base.family, base.depth, base.variant, in, classes, width);
        } catch (IllegalArgumentException e) {
            throw unknown(text, e.getMessage());
        }
    }

    /** The family whose name the base name is, with its depth and the layout (its default when none was given). */
    private static ArchSpec parseBase(String text, String name, Variant variant) {
        for (Family family : Family.values()) {
            FamilyBuilder b = family.builder();
            int depth;
            try {
                depth = b.parseDepth(name);
            } catch (IllegalArgumentException e) {
                throw unknown(text, e.getMessage());
            }
            if (depth < 0) {
                continue;
            }
            Variant v = variant != null ? variant
                    : b.variants().contains(Variant.IMAGENET) ? Variant.IMAGENET : b.variants().iterator().next();
            if (!b.variants().contains(v)) {
                throw unknown(text, "the " + b.title() + " has no " + v.title() + " layout");
            }
            return of(family, depth, v);
        }
        throw unknown(text, "unknown architecture '" + name + "'");
    }

    private static IllegalArgumentException unknown(String text, String problem) {
        StringJoiner known = new StringJoiner(", ");
        for (Family family : Family.values()) {
            known.add(family.builder().knownNames());
        }
        return new IllegalArgumentException("--arch '" + text + "': " + problem + " (known: " + known
                + "; options -cifar, -w<width>, -in<channels>, -cls<classes>)");
    }

    /** The canonical architecture name (without input channels and classes), e.g. {@code resnet18-cifar}. */
    @Override
    public String toString() {
        String name = family.builder().baseName(this);
        if (family.builder().variants().size() > 1 && variant == Variant.CIFAR) {
            name += "-cifar";
        }
        if (width != 1.0) {
            name += "-w" + BigDecimal.valueOf(width).stripTrailingZeros().toPlainString();
        }
        return name;
    }
}
