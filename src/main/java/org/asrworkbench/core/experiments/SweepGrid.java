package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.util.SettingRules;
import org.asrworkbench.core.graph.UnitSelection;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairMethods;
import org.asrworkbench.core.repair.RepairSettings;
import org.asrworkbench.core.repair.rule.RuleMethod;
import org.asrworkbench.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings a sweep crosses: models × pruning kinds × sparsities × calibration sizes ×
 * calibration seeds × repair settings × units ({@code --units all, bn}), in that nesting order (the grid order of {@link #cells()}).
 * {@code params} holds one axis per parameter name: each method crosses the axes of its own
 * parameters (in the method's order) and takes the default of a parameter without an axis; a
 * method without parameters appears once. Read from and written to a JSON grid file
 * ({@link #read}, {@link #write}); the {@code sweep} command's options build the same structure
 * with one model.
 */
public record SweepGrid(List<SweepModel> models, List<PruneKind> kinds, List<Double> sparsities,
                        List<RepairMethod> methods, Map<String, List<Double>> params, List<Integer> calibNs,
                        List<String> seeds, List<UnitSelection> units) {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The most cells a grid may describe. Counted before any cell is made ({@link #cellCount()}),
     * so a small grid file describing billions of cells is refused at once instead of filling memory.
     */
    public static final int MAX_CELLS = 1_000_000;

    /** Each list keeps its first occurrence of a value: a value given twice is one cell, not two with one id. */
    public SweepGrid {
        models = distinct(models, SweepModel::key);
        kinds = distinct(kinds, k -> k);
        sparsities = distinct(sparsities, d -> d);
        methods = distinct(methods, RepairMethod::key);
        Map<String, List<Double>> axes = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!v.isEmpty()) {
                axes.put(k, distinct(v, d -> d));
            }
        });
        params = java.util.Collections.unmodifiableMap(axes);
        calibNs = distinct(calibNs, n -> n);
        seeds = distinct(seeds, t -> t);
        units = List.copyOf(new java.util.LinkedHashSet<>(units));
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one --units choice (all or bn)");
        }
        if (models.isEmpty() || kinds.isEmpty() || sparsities.isEmpty() || methods.isEmpty() || calibNs.isEmpty()
                || seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one model, pruning kind, sparsity, method,"
                    + " calibration size and seed");
        }
        for (RepairMethod m : methods) {
            for (MethodParam p : m.params()) {
                for (double v : params.getOrDefault(p.name(), List.of())) {
                    try {
                        p.check(v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(m.id() + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        sparsities.forEach(s -> SettingRules.sparsity("sparsity", s));
        calibNs.forEach(n -> SettingRules.calibrationSize("calibration size", n));
    }

    private static <T> List<T> distinct(List<T> values, Function<T, Object> key) {
        Map<Object, T> first = new LinkedHashMap<>();
        for (T v : values) {
            first.putIfAbsent(key.apply(v), v);
        }
        return List.copyOf(first.values());
    }

    /** A grid on every unit ({@code --units all}). */
    public SweepGrid(List<SweepModel> models, List<PruneKind> kinds, List<Double> sparsities, List<RepairMethod> methods,
                     Map<String, List<Double>> params, List<Integer> calibNs, List<String> seeds) {
        this(models, kinds, sparsities, methods, params, calibNs, seeds, List.of(UnitSelection.ALL));
    }

    /** A grid whose only parameter axis is {@code lambda} (the grid of versions before named parameters). */
    public SweepGrid(List<SweepModel> models, List<PruneKind> kinds, List<Double> sparsities, List<RepairMethod> methods,
                     List<Double> lambdas, List<Integer> calibNs, List<String> seeds) {
        this(models, kinds, sparsities, methods, Map.of("lambda", lambdas), calibNs, seeds);
    }

    /** The {@code lambda} axis (empty when there is none). */
    public List<Double> lambdas() {
        return params.getOrDefault("lambda", List.of());
    }

    /** The repair settings of one (model, kind, sparsity, N, seed) cell group, in grid order. */
    public List<RepairSettings> repairSettings() {
        List<RepairSettings> out = new ArrayList<>();
        for (RepairMethod m : methods) {
            out.addAll(settingsOf(m, params));
        }
        return out;
    }

    /**
     * Every combination of {@code m}'s parameter values, the first parameter varying slowest; a
     * parameter without an axis in {@code axes} takes its default.
     */
    public static List<RepairSettings> settingsOf(RepairMethod m, Map<String, List<Double>> axes) {
        List<Map<String, Double>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (MethodParam p : m.params()) {
            List<Double> values = axes.getOrDefault(p.name(), List.of());
            if (values.isEmpty()) {
                values = List.of(p.defaultValue());
            }
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> c : combos) {
                for (double v : values) {
                    Map<String, Double> n = new LinkedHashMap<>(c);
                    n.put(p.name(), v);
                    next.add(n);
                }
            }
            combos = next;
        }
        return combos.stream().map(c -> new RepairSettings(m, c)).toList();
    }

    /**
     * Every cell in grid order; the same grid always gives the same cells with the same ids. The
     * units axis is innermost. For a model whose units are the same under both {@code --units}
     * choices (every built-in family but torchvision's VGG) the axis collapses to its first value
     * and the cell id leaves the units out, so results directories of earlier versions resume;
     * for a model with virtual units an {@code all} cell's id records them ({@link SweepCell}).
     * Telling the two apart reads each model's graph ({@link ModelUnits}).
     */
    public List<SweepCell> cells() {
        return new Cells(this);
    }

    /** True when {@code other} has the same cells (ids, in grid order) as this grid; compared one cell at a time. */
    public boolean sameCellsAs(SweepGrid other) {
        List<SweepCell> a = cells();
        List<SweepCell> b = other.cells();
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).id().equals(b.get(i).id())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of cells, counted from the axes' lengths without making any.
     *
     * @throws IllegalArgumentException with the count when it is above {@link #MAX_CELLS}
     */
    public int cellCount() {
        long total = 0;
        for (SweepModel m : models) {
            total = saturated(total + perModel(units(m).size()));
        }
        if (total > MAX_CELLS) {
            throw new IllegalArgumentException("the grid describes " + (total == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : Long.toString(total)) + " cells; a sweep runs at most " + MAX_CELLS
                    + " (split it into several grids)");
        }
        return (int) total;
    }

    /** Cells of one model whose units axis has {@code unitCount} values (saturating at Long.MAX_VALUE). */
    private long perModel(int unitCount) {
        long n = 1;
        for (long f : new long[] {kinds.size(), sparsities.size(), calibNs.size(), seeds.size(), repairCount(), unitCount}) {
            n = f == 0 ? 0 : n > Long.MAX_VALUE / f ? Long.MAX_VALUE : n * f;
        }
        return n;
    }

    /** The number of repair settings ({@link #repairSettings()}), counted without making them. */
    private long repairCount() {
        long total = 0;
        for (RepairMethod m : methods) {
            long combos = 1;
            for (MethodParam p : m.params()) {
                long values = Math.max(1, params.getOrDefault(p.name(), List.of()).size());
                combos = combos > Long.MAX_VALUE / values ? Long.MAX_VALUE : combos * values;
            }
            total = saturated(total + combos);
        }
        return total;
    }

    private static long saturated(long sum) {
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The units choices of {@code m}'s cells: all of {@link #units} where they differ for it, else the first. */
    private List<UnitSelection> units(SweepModel m) {
        return differ(m) ? units : units.subList(0, 1);
    }

    /** True when {@code m}'s units differ between the choices (its cells' ids then record them, {@link SweepCell}). */
    private boolean differ(SweepModel m) {
        return !units.equals(List.of(UnitSelection.BN)) && ModelUnits.selectionsDiffer(m);
    }

    /**
     * The cells in grid order, made on demand from their index (nothing is held but the axes and
     * each model's first index): a million-cell grid costs no memory until a cell is asked for.
     */
    private static final class Cells extends java.util.AbstractList<SweepCell> implements java.util.RandomAccess {
        private final SweepGrid g;
        private final List<RepairSettings> repairs;
        private final List<List<UnitSelection>> units = new ArrayList<>();
        private final List<Boolean> differ = new ArrayList<>();
        private final int[] firstOf;
        private final int size;

        Cells(SweepGrid g) {
            this.size = g.cellCount(); // refuses a grid above the limit before anything is made
            this.g = g;
            this.repairs = g.repairSettings();
            this.firstOf = new int[g.models.size() + 1];
            for (int i = 0; i < g.models.size(); i++) {
                List<UnitSelection> us = g.units(g.models.get(i));
                units.add(us);
                differ.add(g.differ(g.models.get(i)));
                firstOf[i + 1] = firstOf[i] + (int) g.perModel(us.size());
            }
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public SweepCell get(int index) {
            java.util.Objects.checkIndex(index, size);
            int m = 0;
            while (firstOf[m + 1] <= index) {
                m++;
            }
            List<UnitSelection> us = units.get(m);
            int i = index - firstOf[m];
            int u = i % us.size();
            i /= us.size();
            int r = i % repairs.size();
            i /= repairs.size();
            int seed = i % g.seeds.size();
            i /= g.seeds.size();
            int n = i % g.calibNs.size();
            i /= g.calibNs.size();
            int s = i % g.sparsities.size();
            i /= g.sparsities.size();
            return SweepCell.of(index, g.models.get(m), g.kinds.get(i), g.sparsities.get(s),
                    repairs.get(r).withUnits(us.get(u)), g.calibNs.get(n), g.seeds.get(seed), differ.get(m));
        }
    }

    /** The grid as the JSON object of a grid file. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("models", models);
        j.put("kinds", kinds.stream().map(PruneKind::id).toList());
        j.put("sparsities", sparsities);
        j.put("methods", methods.stream().map(SweepGrid::methodSpec).toList());
        j.put("lambdas", lambdas());
        Map<String, List<Double>> others = new LinkedHashMap<>(params);
        others.remove("lambda");
        if (!others.isEmpty()) {
            j.put("params", others);
        }
        j.put("calibNs", calibNs);
        j.put("seeds", seeds);
        if (!units.equals(List.of(UnitSelection.ALL))) {
            j.put("units", units.stream().map(UnitSelection::id).toList());
        }
        return j;
    }

    /** How a grid file names a method: its id, or {@code rule:FILE} for a rule. */
    private static String methodSpec(RepairMethod m) {
        return m instanceof RuleMethod r ? RuleMethod.PREFIX + r.file() : m.id();
    }

    /** Writes the grid file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, toJson()));
    }

    /**
     * Reads a grid file. Only {@code models} is required; the lists default as the {@code sweep}
     * options do (global-magnitude; 0.5 … 0.95; the five methods of the paper; lambda 0.25; N 1024;
     * seed 0). {@code methods} may name rule files ({@code rule:FILE}, relative to the working
     * directory); {@code params} is an object of parameter name: list of values ({@code lambdas}
     * is the {@code lambda} axis).
     */
    public static SweepGrid read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + ": not a readable JSON grid file (" + e.getMessage() + ")", e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("a grid file holds one JSON object");
            }
            JsonNode models = root.get("models");
            if (models == null || !models.isArray() || models.isEmpty()) {
                throw new IllegalArgumentException("'models' must be a non-empty array");
            }
            List<SweepModel> ms = new ArrayList<>();
            for (JsonNode m : models) {
                ms.add(new SweepModel(text(m, "path"), text(m, "arch"), text(m, "norm"), text(m, "data"),
                        text(m, "calibData"), text(m, "format"), m.hasNonNull("limit") ? m.get("limit").asInt() : null));
            }
            Map<String, List<Double>> axes = new LinkedHashMap<>();
            JsonNode params = root.get("params");
            if (params != null && !params.isNull()) {
                if (!params.isObject()) {
                    throw new IllegalArgumentException("'params' must be an object of name: [values]");
                }
                params.fieldNames().forEachRemaining(k -> axes.put(k, list(params, k, List.of(), SweepGrid::number)));
            }
            if (axes.containsKey("lambda") && root.hasNonNull("lambdas")) {
                throw new IllegalArgumentException("give the lambda axis once: 'lambdas' or 'params.lambda'");
            }
            axes.putIfAbsent("lambda", list(root, "lambdas", List.of(RepairSettings.DEFAULT_LAMBDA), SweepGrid::number));
            SweepGrid grid = new SweepGrid(ms,
                    list(root, "kinds", List.of("global-magnitude"), n -> PruneKind.parse(n.asText())),
                    list(root, "sparsities", List.of(0.5, 0.7, 0.8, 0.9, 0.95), SweepGrid::number),
                    list(root, "methods", List.of("none", "bn-recal", "layer-wise", "channel-wise", "asr"),
                            n -> RepairMethods.parse(n.asText())),
                    axes,
                    list(root, "calibNs", List.of(1024), n -> (int) number(n)),
                    list(root, "seeds", List.of("0"), JsonNode::asText),
                    list(root, "units", List.of("all"), n -> UnitSelection.parse(n.asText())));
            grid.cellCount(); // refuses a grid above MAX_CELLS, naming the file
            return grid;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static double number(JsonNode n) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException("expected a number, not " + n);
        }
        return n.asDouble();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static <T> List<T> list(JsonNode root, String field, List<?> defaults, Function<JsonNode, T> parse) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            v = MAPPER.valueToTree(defaults);
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("'" + field + "' must be an array");
        }
        List<T> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isValueNode()) {
                throw new IllegalArgumentException("'" + field + "' holds a non-value: " + n);
            }
            out.add(parse.apply(n));
        }
        return out;
    }
}
