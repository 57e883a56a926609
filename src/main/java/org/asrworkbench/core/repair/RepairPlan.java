package org.asrworkbench.core.repair;

import org.asrworkbench.core.exec.BnOverride;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The repair of every unit, in the order of the statistics it came from.
 *
 * @param settings the method and its parameter values
 * @param units    one repair per unit
 * @param preview  true when computed from cached statistics without a forward pass (the
 *                 statistics then do not see this plan's own upstream repairs)
 */
public record RepairPlan(RepairSettings settings, List<UnitRepair> units, boolean preview) {

    public RepairPlan {
        Objects.requireNonNull(settings, "settings");
        units = List.copyOf(units);
    }

    /** The BatchNorm overrides keyed by BN module name, as the executor takes them. */
    public Map<String, BnOverride> overrides() {
        Map<String, BnOverride> m = new LinkedHashMap<>();
        for (UnitRepair u : units) {
            m.put(u.bn(), u.toOverride());
        }
        return m;
    }

    /** True when the plan repairs the unit named {@code name}. */
    public boolean hasUnit(String name) {
        return units.stream().anyMatch(u -> u.unit().equals(name));
    }

    /** The repair of the unit named {@code name} (its conv/linear module name). */
    public UnitRepair unit(String name) {
        for (UnitRepair u : units) {
            if (u.unit().equals(name)) {
                return u;
            }
        }
        throw new IllegalArgumentException("no unit '" + name + "' in this repair plan");
    }
}
