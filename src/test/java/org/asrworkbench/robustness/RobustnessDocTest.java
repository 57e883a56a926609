package org.asrworkbench.robustness;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code docs/robustness.md} current with the tests: every row of its tables has five cells
 * and names, in its last, at least one {@code TestClass#method} that exists under
 * {@code src/test/java} (a test source declaring {@code void method(}).
 */
class RobustnessDocTest {
    private static final Path DOC = Path.of("docs/robustness.md");
    private static final Path TESTS = Path.of("src/test/java");
    private static final Pattern REFERENCE = Pattern.compile("`?([A-Z]\\w*)#(\\w+)`?");

    @Test
    void everyRowNamesTestsThatExist() throws IOException {
        List<String> rows = rows(Files.readAllLines(DOC));
        assertTrue(rows.size() >= 10, "docs/robustness.md should have its tables filled, found " + rows.size() + " rows");
        assertEquals(List.of(), problems(rows, testSources()));
    }

    @Test
    void theCheckNoticesMissingTestsAndMalformedRows() throws IOException {
        List<String> problems = problems(List.of(
                "| ok | input | expected | held | `RobustnessDocTest#everyRowNamesTestsThatExist` |",
                "| gone | input | expected | held | `RobustnessDocTest#noSuchMethodAnywhere` |",
                "| no class | input | expected | held | `NoSuchTestClass#x` |",
                "| untested | input | expected | held | by hand |",
                "| short | input | `a \\| b` |"), testSources());
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("noSuchMethodAnywhere"), problems.get(0));
    }

    private static List<String> problems(List<String> rows, Map<String, Path> sources) {
        List<String> problems = new ArrayList<>();
        for (String row : rows) {
            List<String> cells = cells(row);
            if (cells.size() != 5) {
                problems.add("not 5 cells: " + row);
                continue;
            }
            Matcher m = REFERENCE.matcher(cells.get(4));
            int found = 0;
            while (m.find()) {
                found++;
                Path source = sources.get(m.group(1));
                if (source == null) {
                    problems.add("no test class " + m.group(1) + " (row: " + cells.get(0) + ")");
                } else if (!Pattern.compile("void\\s+" + m.group(2) + "\\s*\\(").matcher(read(source)).find()) {
                    problems.add("no method " + m.group(2) + " in " + source + " (row: " + cells.get(0) + ")");
                }
            }
            if (found == 0) {
                problems.add("no TestClass#method in the test cell (row: " + cells.get(0) + ")");
            }
        }
        return problems;
    }

    /** The table rows: lines starting with {@code |} that are neither a header nor a separator. */
    static List<String> rows(List<String> lines) {
        List<String> rows = new ArrayList<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("|") && !t.startsWith("| case |") && !t.matches("\\|[-:| ]+\\|")) {
                rows.add(t);
            }
        }
        return rows;
    }

    /** The cells of a row; a {@code |} inside backticks or escaped as {@code \|} does not split. */
    static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|' && !code) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    private static Map<String, Path> testSources() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .collect(Collectors.toMap(p -> p.getFileName().toString().replace(".java", ""),
                            Function.identity(), (a, b) -> a));
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
