package org.asrworkbench.core.arch;

import org.asrworkbench.core.graph.Graph;

/**
 * One built-in architecture family in the registry {@link ArchSpec.Family}: which depths it has,
 * its canonical name and its graph builder (PyTorch parameter names). Adding a family is one
 * enum constant with its builder; nothing else switches over families.
 */
public interface FamilyBuilder {
    /** Whether the family has a network of this depth (0 for a family without depths). */
    boolean validDepth(int depth);

    /** The canonical name before the options, e.g. {@code resnet20}, {@code vgg16_bn}. */
    String baseName(ArchSpec spec);

    /** The spec's graph; its input channels and classes are known. */
    Graph build(ArchSpec spec);
}
