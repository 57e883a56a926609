package org.asrworkbench.core.graph;

/**
 * A repairable unit: a convolution or linear layer whose output goes straight into a BatchNorm
 * (and nowhere else). Named by its layer's {@code state_dict} module name.
 */
public record Unit(String name, String bn, String layerNode, String bnNode, int channels) {
}
