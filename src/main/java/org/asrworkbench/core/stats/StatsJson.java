package org.asrworkbench.core.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.asrworkbench.core.graph.UnitKind;
import org.asrworkbench.core.util.AtomicFiles;
import org.asrworkbench.core.util.IoMessages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes {@link NetworkStats} as JSON: the settings at the top level, then
 * {@code units}, a list of objects with the fields {@code unit, bn, eps, gamma, running_mean,
 * running_var, mu_d, s2_d, mu_p, s2_p, rho}, the BatchNorm's {@code beta} when known, and, for readers, the derived {@code r}, {@code R},
 * {@code dead} and {@code collapsed} (the last two as lists of channel indices). Derived fields
 * are recomputed on load, never read. Non-finite numbers are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
 */
public final class StatsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Indented objects, each number list on one line. */
    private static final ObjectWriter WRITER = MAPPER.writer(
            new DefaultPrettyPrinter().withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance));
    private static final String[] ARRAYS = {"gamma", "running_mean", "running_var", "mu_d", "s2_d", "mu_p", "s2_p", "rho"};

    private StatsJson() {
    }

    /** Writes atomically: to a temporary file beside {@code file}, then renamed over it. */
    public static void write(Path file, NetworkStats stats) {
        write(file, stats, unit -> Map.of());
    }

    /** As {@link #write(Path, NetworkStats)}, with more named per-channel values per unit (see {@link #toJson(NetworkStats, Function)}). */
    public static void write(Path file, NetworkStats stats, Function<String, Map<String, double[]>> extra) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String json = toJson(stats, extra);
            AtomicFiles.write(file, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write statistics: " + e.getMessage(), e);
        }
    }

    /**
     * Reads statistics from a file.
     *
     * @throws StatsFormatException naming the file: unreadable, not UTF-8, not valid JSON, or not statistics
     */
    public static NetworkStats read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new StatsFormatException(file.toString(), "not UTF-8 text", e);
        } catch (IOException e) {
            throw new StatsFormatException(file.toString(), "cannot read statistics: " + IoMessages.reason(e), e);
        }
        return parse(text, file.toString());
    }

    public static String toJson(NetworkStats stats) {
        return toJson(stats, unit -> Map.of());
    }

    /**
     * The statistics with more named per-channel values written into each unit's object (for
     * example a repair method's {@code w} or a rule's {@code let} values); they are not read back.
     */
    public static String toJson(NetworkStats stats, Function<String, Map<String, double[]>> extra) {
        ObjectNode root = MAPPER.createObjectNode();
        stats.settings().forEach((k, v) -> root.set(k, MAPPER.valueToTree(v)));
        ArrayNode units = root.putArray(NetworkStats.UNITS);
        for (UnitStats u : stats.units()) {
            ObjectNode n = units.addObject();
            n.put("unit", u.unit());
            n.put("kind", u.kind().id());
            n.put("bn", u.bn());
            n.put("eps", u.eps());
            double[][] values = {u.gamma(), u.runningMean(), u.runningVar(), u.muD(), u.s2D(), u.muP(), u.s2P(), u.rho()};
            for (int i = 0; i < ARRAYS.length; i++) {
                putArray(n, ARRAYS[i], values[i]);
            }
            if (u.beta() != null) {
                putArray(n, "beta", u.beta());
            }
            putArray(n, "r", u.r());
            extra.apply(u.unit()).forEach((k, v) -> putArray(n, k, v));
            putNumber(n, "R", u.R());
            putIndices(n, "dead", u.dead());
            putIndices(n, "collapsed", u.collapsed());
        }
        try {
            return WRITER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("statistics cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    public static NetworkStats fromJson(String json) {
        return parse(json, "statistics JSON");
    }

    private static NetworkStats parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StatsFormatException(source, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new StatsFormatException(source, "expected a JSON object");
        }
        JsonNode unitsNode = root.get(NetworkStats.UNITS);
        if (unitsNode == null || !unitsNode.isArray()) {
            throw new StatsFormatException(source, "no '" + NetworkStats.UNITS + "' list");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals(NetworkStats.UNITS)) {
                settings.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
            }
        }
        List<UnitStats> units = new ArrayList<>(unitsNode.size());
        for (int i = 0; i < unitsNode.size(); i++) {
            units.add(parseUnit(unitsNode.get(i), source + ", units[" + i + "]"));
        }
        try {
            return new NetworkStats(settings, units);
        } catch (IllegalArgumentException e) {
            throw new StatsFormatException(source, e.getMessage(), e);
        }
    }

    private static UnitStats parseUnit(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new StatsFormatException(where, "expected an object");
        }
        String unit = text(n, "unit", where);
        String bn = text(n, "bn", where);
        double eps = number(field(n, "eps", where), where + ".eps");
        double[][] a = new double[ARRAYS.length][];
        for (int i = 0; i < ARRAYS.length; i++) {
            a[i] = numbers(field(n, ARRAYS[i], where), where + "." + ARRAYS[i]);
        }
        try {
            JsonNode beta = n.get("beta");
            JsonNode kind = n.get("kind");
            return new UnitStats(unit, bn, eps, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                    beta == null || beta.isNull() ? null : numbers(beta, where + ".beta"),
                    kind == null || kind.isNull() ? UnitKind.BN : UnitKind.parse(kind.asText()));
        } catch (IllegalArgumentException e) {
            throw new StatsFormatException(where, e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode n, String name, String where) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new StatsFormatException(where, "missing field '" + name + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String name, String where) {
        JsonNode v = field(n, name, where);
        if (!v.isTextual()) {
            throw new StatsFormatException(where, "field '" + name + "' must be a string");
        }
        return v.asText();
    }

    private static double[] numbers(JsonNode v, String where) {
        if (!v.isArray()) {
            throw new StatsFormatException(where, "expected a list of numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(v.get(i), where + "[" + i + "]");
        }
        return out;
    }

    private static double number(JsonNode v, String where) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new StatsFormatException(where, "expected a number, found " + v);
    }

    private static void putNumber(ObjectNode n, String name, double v) {
        if (Double.isFinite(v)) {
            n.put(name, v);
        } else {
            n.put(name, Double.toString(v));
        }
    }

    private static void putArray(ObjectNode n, String name, double[] values) {
        ArrayNode a = n.putArray(name);
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.add(Double.toString(v));
            }
        }
    }

    private static void putIndices(ObjectNode n, String name, boolean[] flags) {
        ArrayNode a = n.putArray(name);
        for (int c = 0; c < flags.length; c++) {
            if (flags[c]) {
                a.add(c);
            }
        }
    }
}
