package org.asrworkbench.core.prune;

import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;

import java.util.List;

/**
 * The damage no repair can undo, named for the user: layers a pruning left without a single
 * weight, and units whose every channel collapsed. On a BN-folded network global magnitude
 * compares conv weights scaled by their BatchNorms' {@code gamma / sqrt(var)}, so whole layers
 * can go at high sparsity.
 */
public final class PruneWarnings {
    static final String ADVICE = "no repair can bring their signal back. On a network exported with its BatchNorms"
            + " folded into the convs, global-magnitude compares weights of very different scales: export with BatchNorm"
            + " kept, or prune with layer-uniform";

    private PruneWarnings() {
    }

    /** Layers with prunable weights of which every one was removed, in graph order. */
    public static List<String> emptiedLayers(PruneResult p) {
        return p.perLayer().stream().filter(l -> l.prunable() > 0 && l.pruned() == l.prunable())
                .map(LayerSparsity::layer).toList();
    }

    /** Units of which every channel collapsed (all incoming weights pruned), in topological order. */
    public static List<String> collapsedUnits(NetworkStats stats) {
        return stats.units().stream().filter(u -> u.channels() > 0 && u.collapsedCount() == u.channels())
                .map(UnitStats::unit).toList();
    }

    /** The warning for the given layers and units, or null when there are none. */
    public static String message(List<String> emptied, List<String> collapsed) {
        if (emptied.isEmpty() && collapsed.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("warning: ");
        if (!emptied.isEmpty()) {
            sb.append("pruning removed every weight of ").append(emptied.size()).append(" layer(s): ")
                    .append(String.join(", ", emptied));
        }
        if (!collapsed.isEmpty()) {
            sb.append(emptied.isEmpty() ? "" : "; ").append("every channel collapsed in ").append(collapsed.size())
                    .append(" unit(s): ").append(String.join(", ", collapsed));
        }
        return sb.append(": ").append(ADVICE).toString();
    }
}
