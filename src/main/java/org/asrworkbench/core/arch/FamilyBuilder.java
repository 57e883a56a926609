package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;
import org.asrworkbench.core.tensor.StateDict;

import java.util.EnumSet;
import java.util.Set;

/**
 * One built-in architecture family in the registry {@link ArchSpec.Family}: its names (parse
 * and format), its depths and layouts, its graph builder (PyTorch parameter names) and the name
 * clues that recognise its checkpoints. Adding a family is one enum constant with its builder;
 * {@link ArchSpec}, {@link Architectures} and {@link ArchitectureDetector} switch over no family.
 */
public interface FamilyBuilder {
    /** Whether the family has a network of this depth (0 for a family without depths). */
    boolean validDepth(int depth);

    /** The layouts the family has; a family with one writes no {@code -cifar} option. */
    default Set<ArchSpec.Variant> variants() {
        return EnumSet.allOf(ArchSpec.Variant.class);
    }

    /** What the family is called in messages, e.g. {@code CIFAR ResNet}. */
    String title();

    /**
     * The depth a base name (before the options, lower case) gives this family: -1 when the name
     * is not this family's.
     *
     * @throws IllegalArgumentException when the name is the family's but its depth is not
     */
    int parseDepth(String baseName);

    /** The base names listed when an {@code --arch} name is unknown, e.g. {@code vgg11_bn, vgg13_bn}. */
    String knownNames();

    /** The canonical name before the options, e.g. {@code resnet20}, {@code vgg16_bn}. */
    String baseName(ArchSpec spec);

    /** The spec's graph; its input channels and classes are known. */
    Graph build(ArchSpec spec);

    /** The key layout of the family's checkpoints, for the detector's "known layouts". */
    String layout();

    /**
     * Reads the family's name clues in a state dict. A family whose first clue is absent returns
     * a detection with no clues; one that claims the checkpoint returns its complete spec
     * (input channels, classes and width read from the tensors), which the detector then proves
     * by binding.
     */
    Detection detect(StateDict weights);
}
