package org.asrworkbench.core.repair;

import org.asrworkbench.core.repair.rule.RuleMethod;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry of repair methods: the built-ins of the spec's table, and rule files named
 * {@code rule:FILE}. Also parses the settings syntax of the CLI and {@code auto}'s candidates:
 * {@code method}, {@code method:name=value[:name=value...]}, and {@code method:VALUE} for a
 * method with exactly one parameter ({@code asr:0.5}).
 */
public final class RepairMethods {
    private RepairMethods() {
    }

    /** The built-in methods, in the order the UI lists them. */
    public static List<RepairMethod> builtins() {
        return List.of(BuiltinMethod.values());
    }

    /** The built-in method {@code id}, or null. */
    public static RepairMethod builtin(String id) {
        for (BuiltinMethod m : BuiltinMethod.values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    /**
     * A built-in method by id, or a rule file {@code rule:FILE} (loaded and compiled now).
     *
     * @throws IllegalArgumentException listing the valid names, or naming the rule file's problem
     */
    public static RepairMethod parse(String spec) {
        String s = spec.trim();
        if (s.startsWith(RuleMethod.PREFIX)) {
            String file = s.substring(RuleMethod.PREFIX.length());
            if (file.isEmpty()) {
                throw new IllegalArgumentException("'" + spec + "': rule: needs a file, as in rule:rules/asr.json");
            }
            return RuleMethod.load(Path.of(file));
        }
        RepairMethod m = builtin(s);
        if (m == null) {
            throw new IllegalArgumentException("unknown repair method '" + spec + "' (expected one of "
                    + Arrays.stream(BuiltinMethod.values()).map(RepairMethod::id).collect(Collectors.joining(", "))
                    + ", or rule:FILE)");
        }
        return m;
    }

    /**
     * Settings from {@code method[:name=value...]} or {@code method:VALUE} (the method's only
     * parameter). A rule's file may contain ':' only before its first {@code :name=} part.
     */
    public static RepairSettings parseSettings(String spec) {
        String s = spec.trim();
        int from = s.startsWith(RuleMethod.PREFIX) ? RuleMethod.PREFIX.length() : 0;
        int cut = settingsStart(s, from);
        RepairMethod m = parse(s.substring(0, cut));
        if (cut == s.length()) {
            return RepairSettings.of(m);
        }
        String rest = s.substring(cut + 1);
        Map<String, Double> values = new LinkedHashMap<>();
        for (String part : rest.split(":")) {
            int eq = part.indexOf('=');
            String name;
            if (m.params().isEmpty()) {
                throw new IllegalArgumentException("'" + spec + "': " + m.id() + " has no parameters");
            }
            if (eq < 0) {
                if (m.params().size() != 1) {
                    throw new IllegalArgumentException("'" + spec + "': " + m.id() + " has " + m.params().size()
                            + " parameters; name them, as in " + m.id() + ":name=value");
                }
                name = m.params().get(0).name();
            } else {
                name = part.substring(0, eq).trim();
            }
            String text = eq < 0 ? part : part.substring(eq + 1);
            double v;
            try {
                v = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + spec + "': " + name + " = '" + text + "' is not a number");
            }
            if (values.put(name, v) != null) {
                throw new IllegalArgumentException("'" + spec + "': " + name + " is given twice");
            }
        }
        try {
            return new RepairSettings(m, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': " + e.getMessage(), e);
        }
    }

    /** Where the parameters start: the first ':' after {@code from} that begins {@code name=} or a number, else the end. */
    private static int settingsStart(String s, int from) {
        if (from == 0) {
            int c = s.indexOf(':');
            return c < 0 ? s.length() : c;
        }
        for (int i = s.indexOf(':', from); i >= 0; i = s.indexOf(':', i + 1)) {
            String after = s.substring(i + 1);
            if (after.matches("[A-Za-z_][A-Za-z0-9_]*\\s*=.*") || after.matches("[-+0-9.].*")) {
                return i;
            }
        }
        return s.length();
    }
}
