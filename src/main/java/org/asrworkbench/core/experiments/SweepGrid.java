package org.asrworkbench.core.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.asrworkbench.core.prune.PruneKind;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.RepairSettings;
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
 * calibration seeds × repair settings, in that nesting order (the grid order of {@link #cells()}).
 * {@code lambdas} apply to {@code asr} only; the other methods appear once each. Read from and
 * written to a JSON grid file ({@link #read}, {@link #write}); the {@code sweep} command's options
 * build the same structure with one model.
 */
public record SweepGrid(List<SweepModel> models, List<PruneKind> kinds, List<Double> sparsities,
                        List<RepairMethod> methods, List<Double> lambdas, List<Integer> calibNs, List<String> seeds) {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SweepGrid {
        models = List.copyOf(models);
        kinds = List.copyOf(kinds);
        sparsities = List.copyOf(sparsities);
        methods = List.copyOf(methods);
        lambdas = List.copyOf(lambdas);
        calibNs = List.copyOf(calibNs);
        seeds = List.copyOf(seeds);
        if (models.isEmpty() || kinds.isEmpty() || sparsities.isEmpty() || methods.isEmpty() || calibNs.isEmpty()
                || seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one model, pruning kind, sparsity, method,"
                    + " calibration size and seed");
        }
        if (methods.contains(RepairMethod.ASR) && lambdas.isEmpty()) {
            throw new IllegalArgumentException("asr in a sweep needs at least one lambda");
        }
        for (double l : lambdas) {
            if (!(l >= 0) || Double.isInfinite(l)) {
                throw new IllegalArgumentException("lambda must be a finite number >= 0, not " + l);
            }
        }
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("sparsity must be in [0, 1), not " + s);
            }
        }
        for (int n : calibNs) {
            if (n <= 0) {
                throw new IllegalArgumentException("calibration size must be positive, not " + n);
            }
        }
    }

    /** The repair settings of one (model, kind, sparsity, N, seed) cell group, in grid order. */
    public List<RepairSettings> repairSettings() {
        List<RepairSettings> out = new ArrayList<>();
        for (RepairMethod m : methods) {
            if (m == RepairMethod.ASR) {
                lambdas.forEach(l -> out.add(new RepairSettings(m, l)));
            } else {
                out.add(RepairSettings.of(m));
            }
        }
        return out;
    }

    /** Every cell in grid order; the same grid always gives the same cells with the same ids. */
    public List<SweepCell> cells() {
        List<SweepCell> out = new ArrayList<>();
        List<RepairSettings> repairs = repairSettings();
        for (SweepModel m : models) {
            for (PruneKind k : kinds) {
                for (double s : sparsities) {
                    for (int n : calibNs) {
                        for (String seed : seeds) {
                            for (RepairSettings rs : repairs) {
                                out.add(SweepCell.of(out.size(), m, k, s, rs, n, seed));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    public int cellCount() {
        return models.size() * kinds.size() * sparsities.size() * calibNs.size() * seeds.size()
                * repairSettings().size();
    }

    /** The grid as the JSON object of a grid file. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("models", models);
        j.put("kinds", kinds.stream().map(PruneKind::id).toList());
        j.put("sparsities", sparsities);
        j.put("methods", methods.stream().map(RepairMethod::id).toList());
        j.put("lambdas", lambdas);
        j.put("calibNs", calibNs);
        j.put("seeds", seeds);
        return j;
    }

    /** Writes the grid file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, toJson()));
    }

    /**
     * Reads a grid file. Only {@code models} is required; the lists default as the {@code sweep}
     * options do (global-magnitude; 0.5 … 0.95; every method; lambda 0.25; N 1024; seed 0).
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
            return new SweepGrid(ms,
                    list(root, "kinds", List.of("global-magnitude"), n -> PruneKind.parse(n.asText())),
                    list(root, "sparsities", List.of(0.5, 0.7, 0.8, 0.9, 0.95), SweepGrid::number),
                    list(root, "methods", List.of("none", "bn-recal", "layer-wise", "channel-wise", "asr"),
                            n -> RepairMethod.parse(n.asText())),
                    list(root, "lambdas", List.of(RepairSettings.DEFAULT_LAMBDA), SweepGrid::number),
                    list(root, "calibNs", List.of(1024), n -> (int) number(n)),
                    list(root, "seeds", List.of("0"), JsonNode::asText));
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
