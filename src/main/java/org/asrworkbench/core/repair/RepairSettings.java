package org.asrworkbench.core.repair;

import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.stats.NetworkStats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A repair method, a value for each of its parameters (defaults filled in, in the method's
 * order) and the units it repairs ({@code --units all}, the default, or {@code bn}). Two
 * settings are equal when the method, every value and the units are.
 */
public record RepairSettings(RepairMethod method, Map<String, Double> params, UnitSelection units) {
    /** The spec's default shrinkage strength of {@code asr}. */
    public static final double DEFAULT_LAMBDA = 0.25;

    /**
     * @param params values by name; absent ones take the parameter's default; a name the
     *               method does not have, or a value out of range, is an error
     */
    public RepairSettings {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(units, "units");
        for (String name : params.keySet()) {
            if (method.param(name) == null) {
                throw new IllegalArgumentException(method.id() + " has no parameter '" + name + "'"
                        + (method.params().isEmpty() ? " (it has none)" : " (it has: " + String.join(", ",
                        method.params().stream().map(MethodParam::name).toList()) + ")"));
            }
        }
        Map<String, Double> full = new LinkedHashMap<>();
        for (MethodParam p : method.params()) {
            Double v = params.get(p.name());
            full.put(p.name(), v == null ? p.defaultValue() : p.check(v));
        }
        params = Collections.unmodifiableMap(full);
    }

    /** The method with these parameter values, on every unit ({@code --units all}). */
    public RepairSettings(RepairMethod method, Map<String, Double> params) {
        this(method, params, UnitSelection.ALL);
    }

    /** The method with every parameter at its default. */
    public static RepairSettings of(RepairMethod method) {
        return new RepairSettings(method, Map.of());
    }

    /** The method with one parameter set. */
    public static RepairSettings of(RepairMethod method, String param, double value) {
        return new RepairSettings(method, Map.of(param, value));
    }

    /** These settings with {@code param} set to {@code value}. */
    public RepairSettings with(String param, double value) {
        Map<String, Double> m = new LinkedHashMap<>(params);
        m.put(param, value);
        return new RepairSettings(method, m, units);
    }

    /** These settings on the units {@code selection} picks. */
    public RepairSettings withUnits(UnitSelection selection) {
        return new RepairSettings(method, params, selection);
    }

    /** The value of parameter {@code name}, or null when the method has no such parameter. */
    public Double param(String name) {
        return params.get(name);
    }

    /** {@code bn-recal}, {@code asr (lambda 0.25)}; {@code asr (lambda 0.25) [bn units]} with {@code --units bn}. */
    public String label() {
        String l = SettingsText.label(method.id(), params);
        return units == UnitSelection.ALL ? l : l + " [" + units.id() + " units]";
    }

    /**
     * The settings as a report or statistics file writes them: {@code method}, {@code params},
     * and {@code lambda} where the method has a parameter of that name (the key older readers use).
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(NetworkStats.METHOD, method.id());
        m.put(NetworkStats.PARAMS, paramsJson());
        if (params.containsKey("lambda")) {
            m.put(NetworkStats.LAMBDA, params.get("lambda"));
        }
        m.put(NetworkStats.UNIT_SELECTION, units.id());
        return m;
    }

    /** The settings as a report's {@code params} object. */
    public Map<String, Object> paramsJson() {
        return new LinkedHashMap<>(params);
    }

    @Override
    public String toString() {
        return label();
    }
}
