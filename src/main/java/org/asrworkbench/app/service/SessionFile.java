package org.asrworkbench.app.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.asrworkbench.app.model.RunRecord;
import org.asrworkbench.core.io.RegularFiles;
import org.asrworkbench.core.repair.MethodParam;
import org.asrworkbench.core.repair.RepairMethod;
import org.asrworkbench.core.stats.NetworkStats;
import org.asrworkbench.core.util.IoMessages;
import org.asrworkbench.core.util.SettingRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A saved workbench session: the files, the settings and the runs (JSON, written atomically).
 * Paths are absolute strings, null when none was open. {@code params} holds every parameter
 * value by name and {@code rules} the loaded rule files, each with its absolute path and its
 * text (so that the session reopens where the file has moved); both are null in sessions saved
 * before methods had named parameters ({@code lambda} is then the only one). {@code units} is the
 * units choice, {@code all} or {@code bn} ({@code all} in sessions saved before it existed).
 */
public record SessionFile(int version, String model, String normalization, String evalDataset, String calibDataset,
                          String pruneKind, double sparsity, String method, double lambda, int calibN, String seed,
                          int evalLimit, boolean darkTheme, List<RunRecord> runs, Map<String, Double> params,
                          List<Rule> rules, String units) {
    /** A rule file of the session: where it was loaded from, and its text. */
    public record Rule(String file, String text) {
    }

    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    /** The file-name suffix the workbench proposes for sessions (and the installers associate). */
    public static final String SUFFIX = ".asrsession.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SessionFile {
        runs = runs == null ? List.of() : List.copyOf(runs);
        params = params == null ? Map.of("lambda", lambda) : Map.copyOf(params);
        rules = rules == null ? List.of() : List.copyOf(rules);
        units = units == null ? "all" : units;
    }

    /** A session saved before the units choice (it repairs every unit, the default). */
    public SessionFile(int version, String model, String normalization, String evalDataset, String calibDataset,
                       String pruneKind, double sparsity, String method, double lambda, int calibN, String seed,
                       int evalLimit, boolean darkTheme, List<RunRecord> runs, Map<String, Double> params,
                       List<Rule> rules) {
        this(version, model, normalization, evalDataset, calibDataset, pruneKind, sparsity, method, lambda, calibN, seed,
                evalLimit, darkTheme, runs, params, rules, null);
    }

    /** A session without rule files, whose only parameter value is lambda. */
    public SessionFile(int version, String model, String normalization, String evalDataset, String calibDataset,
                       String pruneKind, double sparsity, String method, double lambda, int calibN, String seed,
                       int evalLimit, boolean darkTheme, List<RunRecord> runs) {
        this(version, model, normalization, evalDataset, calibDataset, pruneKind, sparsity, method, lambda, calibN, seed,
                evalLimit, darkTheme, runs, null, null);
    }

    public void write(Path file) throws IOException {
        AtomicText.write(file, MAPPER.writeValueAsBytes(this));
    }

    /**
     * Reads a session.
     *
     * @throws SessionFormatException naming the file: missing, unreadable, not a session, or of another version
     */
    public static SessionFile read(Path file) throws SessionFormatException {
        RegularFiles.requireRegularFile(file, p -> new SessionFormatException(file, p, null));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SessionFormatException(file, "session file does not exist", e);
        } catch (IOException e) {
            throw new SessionFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
        SessionFile s;
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new SessionFormatException(file, "not a workbench session: empty JSON", null);
            }
            if (!tree.isObject() || !tree.has("version")) {
                throw new SessionFormatException(file, "not a workbench session: " + whatItIs(tree), null);
            }
            markUnmeasured(tree.path("runs"));
            s = MAPPER.treeToValue(tree, SessionFile.class);
        } catch (SessionFormatException e) {
            throw e;
        } catch (IOException e) {
            String problem = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new SessionFormatException(file, "not a workbench session: " + problem, e);
        }
        if (s.version() != VERSION) {
            throw new SessionFormatException(file, "session version " + s.version() + " is not supported (expected "
                    + VERSION + ")", null);
        }
        return s;
    }

    /**
     * Refuses a setting the workbench's fields would refuse (the rules of {@link SettingRules}
     * and each method's parameter ranges), naming the file and the field, so that a bad value is
     * neither shown nor autosaved.
     *
     * @param methods the methods the session can pick (the built-ins and its rule files)
     */
    public void check(Path file, List<RepairMethod> methods) throws SessionFormatException {
        try {
            SettingRules.sparsity("field 'sparsity'", sparsity);
            SettingRules.calibrationSize("field 'calibN'", calibN);
            SettingRules.evalLimit("field 'evalLimit'", evalLimit);
            checkParam(methods, "lambda", lambda, "field 'lambda'");
            params.forEach((name, v) -> checkParam(methods, name, v, "field 'params', "));
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, e.getMessage(), e);
        }
    }

    private static void checkParam(List<RepairMethod> methods, String name, Double v, String field) {
        for (RepairMethod m : methods) {
            MethodParam p = m.param(name);
            if (p != null) {
                try {
                    p.check(v == null ? Double.NaN : v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(field + (field.endsWith(" ") ? "" : ": ") + e.getMessage()
                            + " (method " + m.id() + ")", e);
                }
            }
        }
    }

    /** What a JSON file that is not a session seems to be, in words (for the error message). */
    private static String whatItIs(JsonNode tree) {
        if (tree.isObject() && tree.has(NetworkStats.UNITS) && tree.path(NetworkStats.UNITS).isArray()) {
            return "it is a statistics JSON (written by File \u203a Export statistics JSON or the command line's --report);"
                    + " open a model and its datasets to run a statistics pass, or load a *" + SUFFIX + " file";
        }
        if (tree.isArray()) {
            return "it is a JSON array (sweep results.json rows? open them with File \u203a Open sweep results)";
        }
        return "it has no \"version\" field; sessions are written by File \u203a Save session (*" + SUFFIX + ")";
    }

    /** Top-1 figures a run of an older session did not record are read as NaN (shown as a dash), never as 0. */
    private static void markUnmeasured(JsonNode runs) {
        for (JsonNode run : runs) {
            if (run instanceof ObjectNode o) {
                for (String field : new String[] {"top1Dense", "top1Pruned"}) {
                    if (!o.hasNonNull(field)) {
                        o.put(field, Double.NaN);
                    }
                }
            }
        }
    }
}
