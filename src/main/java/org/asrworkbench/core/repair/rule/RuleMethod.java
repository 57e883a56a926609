package org.asrworkbench.core.repair.rule;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.repair.UnitRepair;
import org.asrworkbench.core.stats.UnitStats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A repair method written by the user as a rule file (docs/rules.md, and the spec's "Rule
 * files"). Loading reads the JSON, checks it and compiles every expression once; deciding a unit
 * evaluates the compiled expressions over all its channels at once. A rule is arithmetic only: it
 * cannot call anything but the listed functions, so a rule file from a stranger can do nothing
 * but compute numbers.
 */
public final class RuleMethod implements RepairMethod {
    /** Largest rule file read, in bytes; a larger one is refused before it is read. */
    public static final long MAX_FILE_BYTES = 256 * 1024;
    /** The prefix of a rule's method id and of a rule on the command line. */
    public static final String PREFIX = "rule:";

    /** Per-channel variables, in slot order. */
    static final List<String> CHANNEL_VARS = List.of("mu_d", "s2_d", "mu_p", "s2_p", "rho", "r", "m", "v", "gamma",
            "beta", "eps");
    /** Per-unit variables, after the per-channel ones. */
    static final List<String> UNIT_VARS = List.of("R", "channels", "virtual");
    private static final Set<String> FIELDS = Set.of("name", "description", "params", "let", "mean", "var", "gain");
    private static final Set<String> PARAM_FIELDS = Set.of("default", "min", "max", "scale");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    private final Path file;
    private final String name;
    private final String description;
    private final String digest;
    private final List<MethodParam> params;
    private final List<String> lets;
    private final List<Expr> letExprs;
    private final Expr mean;
    private final Expr var;
    private final Expr gain;
    private final String[] outputSources;
    private final boolean usesBeta;
    private final String text;

    private RuleMethod(String text, Path file, String name, String description, String digest, List<MethodParam> params,
                       List<String> lets, List<Expr> letExprs, Expr mean, Expr var, Expr gain, String[] outputSources,
                       boolean usesBeta) {
        this.text = text;
        this.file = file;
        this.name = name;
        this.description = description;
        this.digest = digest;
        this.params = List.copyOf(params);
        this.lets = List.copyOf(lets);
        this.letExprs = List.copyOf(letExprs);
        this.mean = mean;
        this.var = var;
        this.gain = gain;
        this.outputSources = outputSources;
        this.usesBeta = usesBeta;
    }

    /**
     * Reads, checks and compiles a rule file.
     *
     * @throws RuleException naming the file, and the expression and position where there is one
     */
    public static RuleMethod load(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RuleException(file + ": cannot read the rule file (" + e.getMessage() + ")", e);
        }
        if (size > MAX_FILE_BYTES) {
            throw new RuleException(file + ": the rule file has " + size + " bytes, more than the " + MAX_FILE_BYTES
                    + " a rule may have");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RuleException(file + ": cannot read the rule file (" + e.getMessage() + ")", e);
        }
        return parse(file, bytes);
    }

    /** As {@link #load}, from the file's bytes already read. */
    public static RuleMethod parse(Path file, byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new RuleException(file + ": the rule file has " + bytes.length + " bytes, more than the "
                    + MAX_FILE_BYTES + " a rule may have");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new RuleException(file + ": not a JSON rule file (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new RuleException(file + ": a rule file holds one JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new RuleException(file + ": unknown field '" + f + "' (a rule has " + String.join(", ",
                        List.of("name", "description", "params", "let", "mean", "var", "gain")) + ")");
            }
        }
        String name = text(file, root, "name", null);
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new RuleException(file + ": 'name' must be 1 to 64 letters, digits, '_', '.' or '-', not "
                    + root.get("name"));
        }
        String description = text(file, root, "description", "");
        List<MethodParam> params = params(file, root.get("params"));
        List<String> names = new ArrayList<>(CHANNEL_VARS);
        names.addAll(UNIT_VARS);
        params.forEach(p -> names.add(p.name()));
        List<String> lets = new ArrayList<>();
        List<Code> letCodes = new ArrayList<>();
        JsonNode let = root.get("let");
        if (let != null && !let.isNull()) {
            if (!let.isObject()) {
                throw new RuleException(file + ": 'let' must be an object of name: expression");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = let.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String n = e.getKey();
                checkNewName(file, "let", n, names);
                if (!e.getValue().isTextual()) {
                    throw new RuleException(file + ": let " + n + ": the expression must be a string");
                }
                letCodes.add(RuleParser.compile(file + ": let " + n, e.getValue().asText(), scope(names)));
                names.add(n);
                lets.add(n);
            }
        }
        String[] sources = {text(file, root, "mean", "mu_p"), text(file, root, "var", "v"), text(file, root, "gain", "1")};
        String[] outputs = {"mean", "var", "gain"};
        List<Code> codes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            codes.add(RuleParser.compile(file + ": " + outputs[i], sources[i], scope(names)));
            Double k = codes.get(i).constant();
            if (k != null && !Double.isFinite(k)) {
                throw new RuleException(file + ": " + outputs[i] + ": \"" + sources[i] + "\" is the constant " + k
                        + " (a repair needs finite values) at column 1");
            }
        }
        for (int i = 0; i < letCodes.size(); i++) {
            Double k = letCodes.get(i).constant();
            if (k != null && !Double.isFinite(k)) {
                throw new RuleException(file + ": let " + lets.get(i) + ": the expression is the constant " + k
                        + " at column 1");
            }
        }
        boolean usesBeta = usesName(root, "beta");
        codes.addAll(letCodes);
        List<Expr> exprs = RuleCompiler.compile(codes);
        return new RuleMethod(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file, name, description,
                digest(bytes), params, lets, exprs.subList(3, exprs.size()), exprs.get(0), exprs.get(1),
                exprs.get(2), sources, usesBeta);
    }

    /** Whether any expression of the rule mentions {@code word} as a name (conservative: a textual check). */
    private static boolean usesName(JsonNode root, String word) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])" + word + "(?![A-Za-z0-9_])");
        List<JsonNode> exprs = new ArrayList<>();
        for (String f : List.of("mean", "var", "gain")) {
            if (root.hasNonNull(f)) {
                exprs.add(root.get(f));
            }
        }
        if (root.hasNonNull("let")) {
            root.get("let").forEach(exprs::add);
        }
        return exprs.stream().anyMatch(n -> p.matcher(n.asText()).find());
    }

    private static void checkNewName(Path file, String what, String n, List<String> names) {
        if (!n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new RuleException(file + ": " + what + " name '" + n + "' is not an identifier");
        }
        if (names.contains(n) || RuleParser.isFunction(n)) {
            throw new RuleException(file + ": " + what + " name '" + n + "' is already a variable, parameter or function");
        }
    }

    private static RuleParser.Scope scope(List<String> names) {
        List<String> known = List.copyOf(names);
        return new RuleParser.Scope() {
            @Override
            public int slot(String name) {
                return known.indexOf(name);
            }

            @Override
            public List<String> names() {
                return known;
            }
        };
    }

    private static List<MethodParam> params(Path file, JsonNode node) {
        List<MethodParam> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new RuleException(file + ": 'params' must be an object of name: {default, min, max}");
        }
        List<String> names = new ArrayList<>(CHANNEL_VARS);
        names.addAll(UNIT_VARS);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String n = e.getKey();
            checkNewName(file, "parameter", n, names);
            JsonNode p = e.getValue();
            if (!p.isObject() || !p.has("default") || !p.has("min") || !p.has("max")) {
                throw new RuleException(file + ": parameter " + n + " must be an object with 'default', 'min' and 'max'");
            }
            for (Iterator<String> f = p.fieldNames(); f.hasNext(); ) {
                String k = f.next();
                if (!PARAM_FIELDS.contains(k)) {
                    throw new RuleException(file + ": parameter " + n + ": unknown field '" + k
                            + "' (default, min, max, scale)");
                }
            }
            String scale = p.hasNonNull("scale") ? p.get("scale").asText() : "linear";
            if (!scale.equals("linear") && !scale.equals("log")) {
                throw new RuleException(file + ": parameter " + n + ": scale must be \"linear\" or \"log\"");
            }
            try {
                out.add(new MethodParam(n, number(file, n, p, "default", 0), number(file, n, p, "min",
                        Double.NEGATIVE_INFINITY), number(file, n, p, "max", Double.POSITIVE_INFINITY), scale.equals("log")));
            } catch (IllegalArgumentException ex) {
                throw new RuleException(file + ": " + ex.getMessage(), ex);
            }
            names.add(n);
        }
        return out;
    }

    private static double number(Path file, String param, JsonNode p, String field, double dflt) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new RuleException(file + ": parameter " + param + ": '" + field + "' must be a number, not " + v);
        }
        return v.asDouble();
    }

    private static String text(Path file, JsonNode root, String field, String dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw new RuleException(file + ": '" + field + "' must be a string, not " + v);
        }
        return v.asText();
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file it was loaded from. */
    public Path file() {
        return file;
    }

    /** The rule file's text, as it was loaded (a session keeps it, so it reopens where the file has gone). */
    public String text() {
        return text;
    }

    /** The rule's {@code name}. */
    public String name() {
        return name;
    }

    /** The names of its {@code let} values, in order (each reported per channel). */
    public List<String> lets() {
        return lets;
    }

    @Override
    public String id() {
        return PREFIX + name;
    }

    @Override
    public String displayName() {
        return name + " (rule)";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<MethodParam> params() {
        return params;
    }

    @Override
    public MethodParam param(String name) {
        return RepairMethod.find(params, name);
    }

    @Override
    public boolean isIdentity() {
        return false;
    }

    /** {@code rule:NAME@DIGEST}: a sweep's cell ids follow the rule's content, not where the file lies. */
    @Override
    public String key() {
        return id() + "@" + digest;
    }

    @Override
    public UnitRepair decide(UnitStats s, Map<String, Double> values) {
        int n = s.channels();
        if (usesBeta && s.beta() == null) {
            throw new RuleException("rule '" + name + "' (" + file + ") uses beta, but the statistics of unit '"
                    + s.unit() + "' do not carry it (read from an older statistics file): run the pass again");
        }
        double[][] slots = new double[CHANNEL_VARS.size() + UNIT_VARS.size() + params.size() + lets.size()][];
        double[] eps = filled(n, s.eps());
        double[] r = s.r();
        double[][] channel = {s.muD(), s.s2D(), s.muP(), s.s2P(), s.rho(), r, s.runningMean(), s.runningVar(),
                s.gamma(), s.beta() == null ? filled(n, Double.NaN) : s.beta(), eps};
        int k = 0;
        for (double[] a : channel) {
            slots[k++] = a;
        }
        slots[k++] = filled(n, UnitStats.layerRetention(s.gamma(), r));
        slots[k++] = filled(n, n);
        // the code base has BatchNorm units only (virtual units: issue 16), so virtual is 0
        slots[k++] = filled(n, 0);
        for (MethodParam p : params) {
            Double v = values.get(p.name());
            if (v == null) {
                throw new IllegalArgumentException("rule '" + name + "': no value for parameter " + p.name());
            }
            slots[k++] = filled(n, v);
        }
        Map<String, double[]> letValues = new LinkedHashMap<>();
        for (int i = 0; i < lets.size(); i++) {
            double[] v = letExprs.get(i).eval(slots, n);
            slots[k++] = v;
            letValues.put(lets.get(i), v);
        }
        double[] m = mean.eval(slots, n).clone();
        double[] vr = var.eval(slots, n).clone();
        double[] g = gain.eval(slots, n).clone();
        boolean[] dead = s.dead();
        for (int c = 0; c < n; c++) {
            if (dead[c]) {
                g[c] = 1.0;
            }
            if (!Float.isFinite((float) m[c]) || !Float.isFinite((float) vr[c]) || !Float.isFinite((float) g[c])
                    || !(vr[c] + s.eps() > 0)) {
                throw failure(s, c, m[c], vr[c], g[c], letValues, r);
            }
        }
        return UnitRepair.of(s, m, vr, g, letValues);
    }

    private RuleException failure(UnitStats s, int c, double m, double v, double g, Map<String, double[]> lets,
                                  double[] r) {
        StringBuilder b = new StringBuilder("rule '").append(name).append("' (").append(file).append(") fails on unit '")
                .append(s.unit()).append("', channel ").append(c).append(": ");
        String[] what = {"mean", "var", "gain"};
        double[] got = {m, v, g};
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (!Double.isFinite(got[i]) || !Float.isFinite((float) got[i])) {
                bad.add(what[i] + " = " + got[i] + " (\"" + outputSources[i] + "\")");
            }
        }
        if (bad.isEmpty()) {
            bad.add("var + eps = " + (v + s.eps()) + " <= 0 (\"" + outputSources[1] + "\")");
        }
        b.append(String.join(", ", bad)).append("; nothing is applied. Values there: mean = ").append(m)
                .append(", var = ").append(v).append(", gain = ").append(g).append(", mu_d = ").append(s.muD()[c])
                .append(", s2_d = ").append(s.s2D()[c]).append(", mu_p = ").append(s.muP()[c]).append(", s2_p = ")
                .append(s.s2P()[c]).append(", r = ").append(r[c]).append(", rho = ").append(s.rho()[c]);
        lets.forEach((k, a) -> b.append(", ").append(k).append(" = ").append(a[c]));
        return new RuleException(b.toString());
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Override
    public String toString() {
        return id();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleMethod r && r.key().equals(key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }
}
