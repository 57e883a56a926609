package org.asrworkbench.core.repair.rule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rule files from a stranger: each is refused when it is loaded, before anything of it runs,
 * with a message that names the file, the expression and the position.
 */
class HostileRuleTest {
    @TempDir
    Path dir;

    private String refused(String gain) throws IOException {
        Path f = dir.resolve("hostile.json");
        Files.writeString(f, "{\"name\": \"h\", \"gain\": " + json(gain) + "}", StandardCharsets.UTF_8);
        RuleException e = assertThrows(RuleException.class, () -> RuleMethod.load(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": gain: "), m);
        assertTrue(m.matches("(?s).* at column \\d+.*"), m);
        return m;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "r.getClass().forName('java.lang.Runtime')         | column 2",
        "java.lang.Runtime.getRuntime().exec('rm -rf /')    | column 5",
        "new java.io.File('/etc/passwd')                    | unknown variable 'new'",
        "new('java.io.File', '/etc/passwd')                 | a rule has no strings",
        "File('/etc/passwd').delete()                       | a rule has no strings",
        "File(r).delete()                                   | unknown function 'File'",
        "while (1) { r }                                    | unknown function 'while'",
        "for (x : [1, 2]) { x }                             | unknown variable 'x'",
        "x = 3                                              | unknown variable 'x'",
        "r = 3                                              | column 3",
        "1 / r; 2                                           | column 6",
        "sqrt(r) exec                                       | column 9",
        "size(r)                                            | unknown function 'size'",
        "ns:f(r)                                            | unknown variable 'ns'",
        "(x) -> x                                           | unknown variable 'x'",
        "'text'                                             | column 1",
        "foo + r                                            | unknown variable 'foo' (known:",
        "1 / (r +                                           | column 9",
        "sqrt(r, 2)                                         | 'sqrt' does not take 2 arguments",
        "clamp(r)                                           | 'clamp' does not take 1 argument",
        "median                                             | 'median' is a function",
        "1e400                                              | too large for a double",
        "1e308^1e308                                        | is the constant Infinity",
        "0/0                                                | is the constant NaN",
    })
    void refusedWithFileExpressionAndPosition(String gain, String says) throws IOException {
        String m = refused(gain.trim());
        assertTrue(m.contains(says.trim()), m);
    }

    @Test
    void nestingTenToTheFiveDeepIsRefusedBeforeItIsParsed() throws IOException {
        int depth = 100_000;
        String m = refused("(".repeat(depth) + "r" + ")".repeat(depth));
        assertTrue(m.contains("200001 characters, more than the " + RuleParser.MAX_LENGTH), m);
    }

    @Test
    void deepNestingWithinTheLengthIsRefusedBeforeTheStackRunsOut() throws IOException {
        int depth = 1000;
        String[] deep = {"(".repeat(depth) + "r" + ")".repeat(depth), "-".repeat(depth) + "r",
            "sqrt(".repeat(depth / 2) + "r" + ")".repeat(depth / 2), "2^".repeat(depth) + "r",
            "r > 0 ? ".repeat(depth / 10) + "r" + " : r".repeat(depth / 10)};
        for (String gain : deep) {
            String m = refused(gain);
            assertTrue(m.contains("nested more than " + RuleParser.MAX_DEPTH + " deep"), m);
        }
        // the limit is a depth, not a length: a long flat sum is fine
        Path f = dir.resolve("flat.json");
        Files.writeString(f, "{\"name\": \"h\", \"gain\": " + json("r" + " + r".repeat(900)) + "}");
        RuleMethod.load(f);
    }

    @Test
    void aTenMegabyteFileIsRefusedUnread() throws IOException {
        Path f = dir.resolve("big.json");
        byte[] padding = new byte[10 << 20];
        java.util.Arrays.fill(padding, (byte) ' ');
        Files.write(f, padding);
        String m = assertThrows(RuleException.class, () -> RuleMethod.load(f)).getMessage();
        assertTrue(m.startsWith(f.toString()) && m.contains("10485760 bytes"), m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"name\": \"h\", \"gain\": 1}                                | 'gain' must be a string",
        "{\"name\": \"h\", \"exec\": \"r\"}                            | unknown field 'exec'",
        "{\"name\": \"../etc\", \"gain\": \"r\"}                       | 'name' must be",
        "{\"name\": \"h\", \"let\": {\"r\": \"1\"}}                    | let name 'r' is already",
        "{\"name\": \"h\", \"let\": {\"sqrt\": \"1\"}}                 | let name 'sqrt' is already",
        "{\"name\": \"h\", \"let\": {\"a\": \"b\", \"b\": \"1\"}}       | let a: \"b\": unknown variable 'b'",
        "{\"name\": \"h\", \"params\": {\"k\": {\"default\": 5, \"min\": 0, \"max\": 1}}} | default 5.0 is not",
        "{\"name\": \"h\", \"params\": {\"k\": {\"default\": 1}}}      | 'default', 'min' and 'max'",
        "{\"name\": \"h\", \"gain\": \"r\", \"gain\": \"2\"}            | Duplicate field 'gain'",
        "{\"name\": \"h\"                                              | not a JSON rule file",
        "[1, 2]                                                        | one JSON object",
    })
    void badRuleFilesAreRefusedNamingTheFile(String text, String says) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text.trim(), StandardCharsets.UTF_8);
        String m = assertThrows(RuleException.class, () -> RuleMethod.load(f)).getMessage();
        assertTrue(m.startsWith(f.toString()) && m.contains(says.trim()), m);
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("missing.json");
        String m = assertThrows(RuleException.class, () -> RuleMethod.load(f)).getMessage();
        assertTrue(m.startsWith(f.toString()), m);
    }
}
