package org.asrworkbench.core.repair.rule;

import org.codehaus.commons.compiler.CompileException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Janino compiles the checked rules, and its classes see nothing but arithmetic. */
class RuleCompilerTest {

    private static final RuleParser.Scope R = new RuleParser.Scope() {
        @Override
        public int slot(String name) {
            return name.equals("r") ? 0 : -1;
        }

        @Override
        public List<String> names() {
            return List.of("r");
        }
    };

    private static double[] eval(String src, double... r) {
        Expr e = RuleCompiler.compile(List.of(RuleParser.compile("test", src, R))).get(0);
        return e.eval(new double[][] {r}, r.length);
    }

    @Test
    void compiledCodeComputesWhatTheGrammarSays() {
        assertArrayEquals(new double[] {0.25 + 0.75, 1 + 0.75}, eval("r^2 + median(r)", 0.5, 1.0), 0);
        assertArrayEquals(new double[] {1, 0}, eval("r < mean(r) ? 1 : 0", 0, 2), 0);
        assertArrayEquals(new double[] {0.5, 2}, eval("clamp(r, 0.5, 2)", 0.1, 7), 0);
        // IEEE: (1/0)^0 = 1, and aggregates of aggregates read their inner value first
        assertArrayEquals(new double[] {1, 1}, eval("(1 / (r - r))^0", 3, 4), 0);
        assertArrayEquals(new double[] {3, 3}, eval("max(r - min(r)) + sum(r) / sum(r)", 1, 3), 0);
    }

    @Test
    void aDeepButAllowedExpressionIsSplitIntoLocalsAndStaysExact() {
        String deep = "(".repeat(60) + "r" + " + r)".repeat(60);
        assertArrayEquals(new double[] {61, 122}, eval(deep, 1, 2), 0);
        Code code = RuleParser.compile("test", deep, R);
        assertTrue(code.depth() <= Nodes.MAX_JAVA_DEPTH && !code.prelude().isEmpty(), code.toString());
    }

    @Test
    void theCompiledClassesSeeNoFileProcessOrReflectionClass() {
        for (String body : List.of("new java.io.File(\"/etc/passwd\").delete();", "Runtime.getRuntime().exec(\"true\");",
                "Thread.currentThread();", "java.lang.reflect.Array.newInstance(Object.class, 1);",
                "ClassLoader.getSystemClassLoader();", "java.nio.file.Files.list(null);")) {
            String src = "public final class X { public static void run() throws Exception { " + body + " } }";
            CompileException e = assertThrows(CompileException.class, () -> RuleCompiler.compileSource(src), body);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), body);
        }
        // what a compiled rule needs does resolve
        assertEquals("X", assertDoesCompile("public final class X { double f(double x) { return Math.sqrt(x); } }"));
    }

    private static String assertDoesCompile(String src) {
        try {
            return RuleCompiler.compileSource(src).loadClass("X").getSimpleName();
        } catch (CompileException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
