package org.asrworkbench.core.repair;

import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.stats.UnitStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies a method to statistics already computed (for example by an earlier pass with
 * another method), with no forward pass: fast enough to follow a parameter slider. The result
 * is labelled {@code preview = true}, because the cached statistics saw the upstream repairs of
 * the pass that produced them, not those of the previewed method; the exact result needs its
 * own sequential pass.
 */
public final class Preview {
    private Preview() {
    }

    /** From cached statistics, no forward pass; labelled preview=true. */
    public static RepairPlan preview(NetworkStats stats, RepairSettings settings) {
        List<UnitRepair> units = new ArrayList<>(stats.units().size());
        for (UnitStats u : stats.units()) {
            units.add(settings.method().decide(u, settings.params()));
        }
        return new RepairPlan(settings, units, true);
    }

    /**
     * The preview of each of {@code settings}, in their order. A method whose preview fails (a
     * rule giving a non-finite gain) is left out and its message goes to {@code failed}.
     */
    public static Map<RepairMethod, RepairPlan> previews(NetworkStats stats, List<RepairSettings> settings,
                                                         Consumer<String> failed) {
        Map<RepairMethod, RepairPlan> plans = new LinkedHashMap<>();
        for (RepairSettings s : settings) {
            try {
                plans.put(s.method(), preview(stats, s));
            } catch (IllegalArgumentException e) {
                failed.accept(e.getMessage());
            }
        }
        return plans;
    }
}
