package org.asrworkbench.core.repair.rule;

import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles the checked expressions of one rule into Java bytecode with Janino, once per load:
 * one class per expression, each a loop over the unit's channels. The source is written by
 * {@link Nodes} alone (slot numbers, re-written numbers, {@code Math}'s functions and
 * {@link RuleRuntime}'s aggregates); as a second fence, the compiled classes see no class but
 * those, through a class loader that refuses every other name, so even a fault in the grammar
 * could not reach {@code System}, a file or reflection.
 */
final class RuleCompiler {
    /**
     * Every class a compiled rule may resolve: {@code Math}, {@link Expr}, {@link RuleRuntime}, and
     * the {@code java.lang} types Janino itself requires before it compiles anything. No file,
     * network, reflection, class loader, thread, process or {@code Runtime} class is among them.
     */
    private static final Set<String> VISIBLE = Set.of(Expr.class.getName(), RuleRuntime.class.getName(),
            "java.lang.Math", "java.lang.Object", "java.lang.Class", "java.lang.System", "java.lang.Void",
            "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short", "java.lang.Integer",
            "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Enum", "java.lang.Cloneable",
            "java.lang.Iterable", "java.lang.CharSequence", "java.lang.Appendable", "java.lang.String",
            "java.lang.AbstractStringBuilder", "java.lang.StringBuilder", "java.lang.StringBuffer",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Error",
            "java.lang.AssertionError", "java.lang.Override", "java.lang.annotation.Retention",
            "java.io.Serializable", "java.util.Iterator");

    private static final ClassLoader FENCE = new ClassLoader(null) {
        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!VISIBLE.contains(name)) {
                throw new ClassNotFoundException(name + " is not visible to a repair rule");
            }
            return Class.forName(name, false, RuleCompiler.class.getClassLoader());
        }
    };

    private RuleCompiler() {
    }

    /** The compiled form of each expression, in order. */
    static List<Expr> compile(List<Code> codes) {
        StringBuilder src = new StringBuilder();
        for (int i = 0; i < codes.size(); i++) {
            src.append(classSource("E" + i, codes.get(i)));
        }
        try {
            return instantiate(compileSource(src.toString()), codes.size());
        } catch (CompileException e) {
            // Nodes writes only what the grammar accepted, so this is a fault of ours, not the rule's
            throw new IllegalStateException("a checked rule did not compile: " + e.getMessage() + "\n" + src, e);
        }
    }

    /** The class of one expression: its aggregates first, then its value on every channel. */
    static String classSource(String name, Code code) {
        StringBuilder b = new StringBuilder("public final class ").append(name).append(" implements ")
                .append(Expr.class.getName()).append(" {\n  public double[] eval(double[][] s, int n) {\n");
        for (String statement : code.prelude()) {
            b.append("    ").append(statement).append('\n');
        }
        b.append("    double[] out = new double[n];\n    for (int c = 0; c < n; c++) { out[c] = ").append(code.java())
                .append("; }\n    return out;\n  }\n}\n");
        return b.toString();
    }

    /** Compiles a source with Janino behind the class fence; the loader of its classes. */
    static ClassLoader compileSource(String source) throws CompileException {
        SimpleCompiler compiler = new SimpleCompiler();
        compiler.setParentClassLoader(FENCE);
        compiler.cook(source);
        return compiler.getClassLoader();
    }

    private static List<Expr> instantiate(ClassLoader loader, int count) {
        List<Expr> out = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                out.add((Expr) loader.loadClass("E" + i).getDeclaredConstructor().newInstance());
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a compiled rule could not be instantiated", e);
        }
        return out;
    }
}
