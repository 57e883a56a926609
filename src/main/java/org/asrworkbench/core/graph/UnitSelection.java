package org.asrworkbench.core.graph;

import java.util.Locale;

/**
 * Which units a repair uses ({@code --units}): {@code all} (the default: BN and virtual units)
 * or {@code bn} (BatchNorm units only, as in the paper).
 */
public enum UnitSelection {
    ALL("all"),
    BN("bn");

    private final String id;

    UnitSelection(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** True when units of {@code kind} take part. */
    public boolean includes(UnitKind kind) {
        return this == ALL || kind == UnitKind.BN;
    }

    /** The selection named {@code id} ({@code all} or {@code bn}); anything else is an error saying so. */
    public static UnitSelection parse(String id) {
        for (UnitSelection s : values()) {
            if (s.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("--units must be all or bn, not '" + id + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}
