package org.asrworkbench.core.graph;

/**
 * A repairable unit (the spec's "Units: BatchNorm and virtual").
 *
 * <ul>
 *   <li>A {@linkplain UnitKind#BN BN unit} is a BatchNorm of the network; its channels are the
 *       BN's input channels, whatever produces them (a conv, a linear layer, a Concat). It is
 *       named after the conv or linear layer whose output only this BN reads, else after the BN.
 *   <li>A {@linkplain UnitKind#VIRTUAL virtual unit} is a conv or linear layer whose output is not
 *       read by exactly one BN (the classifier excepted): a virtual BN sits right after it.
 * </ul>
 *
 * @param name      the unit's name in reports and views (a layer's or a BN's module name)
 * @param kind      BN or virtual
 * @param bn        where the repair is applied, the key of its override: the BN's module name, or
 *                  for a virtual unit the layer's (its virtual BN sits on the layer's output)
 * @param layerNode the conv/linear node the unit is named after or sits on, or null for a BN
 *                  unit fed by no single layer (a Concat, a layer that others read too)
 * @param bnNode    the BatchNorm node, or null for a virtual unit
 * @param reads     the node whose output is the unit's pre-BN signal {@code z}
 * @param channels  the unit's channels
 */
public record Unit(String name, UnitKind kind, String bn, String layerNode, String bnNode, String reads,
                   int channels) {

    /** The usual conv/linear → BN pair, named after the layer. */
    public Unit(String name, String bn, String layerNode, String bnNode, int channels) {
        this(name, UnitKind.BN, bn, layerNode, bnNode, layerNode, channels);
    }

    public boolean isVirtual() {
        return kind == UnitKind.VIRTUAL;
    }
}
