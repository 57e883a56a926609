package org.asrworkbench.core.graph;

import java.util.Locale;

/**
 * The two kinds of repair unit of the spec ("Units: BatchNorm and virtual"): a BatchNorm of the
 * network, or a virtual BatchNorm right after a conv or linear layer that has none.
 */
public enum UnitKind {
    /** A BatchNorm of the network and its input channels. */
    BN("bn"),
    /** A virtual BatchNorm after a conv or linear layer whose output is not read by exactly one BN. */
    VIRTUAL("virtual");

    private final String id;

    UnitKind(String id) {
        this.id = id;
    }

    /** {@code bn} or {@code virtual}, as the reports and statistics files write it. */
    public String id() {
        return id;
    }

    /** The kind named {@code id}; an unknown name is an error that lists the known ones. */
    public static UnitKind parse(String id) {
        for (UnitKind k : values()) {
            if (k.id.equals(id.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown unit kind '" + id + "' (bn or virtual)");
    }

    @Override
    public String toString() {
        return id;
    }
}
