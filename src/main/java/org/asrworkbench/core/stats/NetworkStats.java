package org.asrworkbench.core.stats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statistics of one sequential pass: every unit in the order the pass visited them, and
 * the settings that produced them (written at the top level of the JSON report, beside
 * {@code units}). The keys below are the ones the workbench writes; settings values are
 * strings, numbers, booleans, lists or maps.
 */
public final class NetworkStats {
    /** Model name, for example {@code resnet20}. */
    public static final String MODEL = "model";
    /** Pruning kind id. */
    public static final String PRUNE = "prune";
    /** Requested sparsity. */
    public static final String SPARSITY = "sparsity";
    /** Achieved sparsity. */
    public static final String SPARSITY_ACHIEVED = "sparsityAchieved";
    /** Calibration set: a map with {@link #CALIB_FILE}, {@link #CALIB_N} and {@link #CALIB_SEED}. */
    public static final String CALIB = "calib";
    public static final String CALIB_FILE = "file";
    public static final String CALIB_N = "n";
    public static final String CALIB_SEED = "seed";
    /** The repair method id the pass applied. */
    public static final String METHOD = "method";
    /** The method's parameter values, an object of name: value. */
    public static final String PARAMS = "params";
    /** The method's parameter named lambda, where it has one (as older files have it). */
    public static final String LAMBDA = "lambda";
    /** Which units the pass repaired: {@code all} or {@code bn} ({@code --units}). */
    public static final String UNIT_SELECTION = "unitSelection";
    /** The compute device, in words. */
    public static final String DEVICE = "device";
    /** The JSON key of the unit list, reserved. */
    public static final String UNITS = "units";

    private final Map<String, Object> settings;
    private final List<UnitStats> units;
    private final Map<String, UnitStats> byName;

    public NetworkStats(Map<String, Object> settings, List<UnitStats> units) {
        if (settings.containsKey(UNITS)) {
            throw new IllegalArgumentException("'" + UNITS + "' is reserved for the unit list, not a setting");
        }
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.units = List.copyOf(units);
        Map<String, UnitStats> m = new LinkedHashMap<>();
        for (UnitStats u : this.units) {
            if (m.put(u.unit(), u) != null) {
                throw new IllegalArgumentException("unit '" + u.unit() + "' appears twice");
            }
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** A copy whose settings are these settings updated with {@code more}. */
    public NetworkStats withSettings(Map<String, Object> more) {
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.putAll(more);
        return new NetworkStats(m, units);
    }

    /** The calibration entry: {@code {file, n, seed}}; seed {@code "none"} means file order. */
    public static Map<String, Object> calib(String file, int n, String seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(CALIB_FILE, file);
        m.put(CALIB_N, n);
        m.put(CALIB_SEED, seed);
        return m;
    }

    /** Units in the order the pass visited them. */
    public List<UnitStats> units() {
        return units;
    }

    public boolean hasUnit(String name) {
        return byName.containsKey(name);
    }

    /** The unit named {@code name} (its conv/linear module name). */
    public UnitStats unit(String name) {
        UnitStats u = byName.get(name);
        if (u == null) {
            throw new IllegalArgumentException("no unit '" + name + "' in these statistics (units: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        return u;
    }

    /** The settings, in insertion order (unmodifiable). */
    public Map<String, Object> settings() {
        return settings;
    }

    /** True when both hold the same units with bit-for-bit equal statistics (settings aside). */
    public boolean sameStatistics(NetworkStats o) {
        if (units.size() != o.units.size()) {
            return false;
        }
        for (int i = 0; i < units.size(); i++) {
            UnitStats a = units.get(i);
            UnitStats b = o.units.get(i);
            if (!a.unit().equals(b.unit()) || !java.util.Arrays.equals(a.muD(), b.muD())
                    || !java.util.Arrays.equals(a.s2D(), b.s2D()) || !java.util.Arrays.equals(a.muP(), b.muP())
                    || !java.util.Arrays.equals(a.s2P(), b.s2P()) || !java.util.Arrays.equals(a.rho(), b.rho())) {
                return false;
            }
        }
        return true;
    }

    /** One setting, or null. */
    public Object setting(String key) {
        return settings.get(Objects.requireNonNull(key));
    }
}
