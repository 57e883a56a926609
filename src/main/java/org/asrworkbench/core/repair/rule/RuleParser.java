package org.asrworkbench.core.repair.rule;

import org.asrworkbench.core.repair.ChannelMath;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Compiles one rule expression into an {@link Expr}. The grammar is arithmetic and nothing else
 * (docs/rules.md): numbers, the rule's variables, {@code + - * / ^} ({@code ^} is the IEEE power,
 * right-associative, above {@code *} and unary minus), comparisons, {@code && || !}, {@code c ? a : b},
 * the functions {@code sqrt exp log abs min max clamp} and the unit aggregates {@code median mean
 * min max sum} of a per-channel expression ({@code min(x)} is the aggregate, {@code min(x, y)} the
 * channel-wise minimum). There is no string, member access, call of anything else, assignment or
 * loop in the grammar, so a rule cannot reach a class, a file or the network. Every error names
 * the expression and the 1-based column where it was found.
 *
 * <pre>
 *   expr    := or ('?' expr ':' expr)?
 *   or      := and ('||' and)*
 *   and     := cmp ('&&' cmp)*
 *   cmp     := add (('<' | '<=' | '>' | '>=' | '==' | '!=') add)?
 *   add     := mul (('+' | '-') mul)*
 *   mul     := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+' | '!') unary | power
 *   power   := primary ('^' unary)?
 *   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 * </pre>
 */
final class RuleParser {
    /** Deepest nesting of parentheses, unary operators and ternaries accepted. */
    static final int MAX_DEPTH = 64;
    /** Longest expression accepted, in characters. */
    static final int MAX_LENGTH = 4096;

    private static final Map<String, DoubleUnaryOperator> FUNCTIONS_1 = Map.of(
            "sqrt", Math::sqrt, "exp", Math::exp, "log", Math::log, "abs", Math::abs);
    private static final Map<String, DoubleBinaryOperator> FUNCTIONS_2 = Map.of("min", Math::min, "max", Math::max);
    private static final List<String> AGGREGATES = List.of("median", "mean", "min", "max", "sum");

    /** The names usable in an expression: each resolves to a slot. */
    interface Scope {
        /** The slot of {@code name}, or -1 when unknown. */
        int slot(String name);

        /** The names known here, for an error message. */
        List<String> names();
    }

    private final String what;
    private final String src;
    private final Scope scope;
    private int pos;
    private int depth;

    private RuleParser(String what, String src, Scope scope) {
        this.what = what;
        this.src = src;
        this.scope = scope;
    }

    /** Every name of a function or aggregate (not usable as a variable). */
    static boolean isFunction(String name) {
        return FUNCTIONS_1.containsKey(name) || FUNCTIONS_2.containsKey(name) || AGGREGATES.contains(name)
                || name.equals("clamp");
    }

    /**
     * @param what how to name the expression in errors, e.g. {@code rules/x.json: gain}
     */
    static Expr compile(String what, String src, Scope scope) {
        if (src.length() > MAX_LENGTH) {
            throw new RuleException(what + ": \"" + abbreviate(src) + "\": the expression has " + src.length()
                    + " characters, more than the " + MAX_LENGTH + " a rule may have, at column " + (MAX_LENGTH + 1));
        }
        RuleParser p = new RuleParser(what, src, scope);
        p.skip();
        if (p.pos >= src.length()) {
            throw p.error("empty expression");
        }
        Expr e = p.expr();
        p.skip();
        if (p.pos < src.length()) {
            throw p.error("unexpected '" + src.charAt(p.pos) + "'" + hint(src.charAt(p.pos)));
        }
        return e;
    }

    private static String hint(char c) {
        return switch (c) {
            case '.' -> " (member access and method calls are not part of a rule)";
            case '"', '\'' -> " (a rule has no strings)";
            case '=' -> " (a rule cannot assign; compare with ==)";
            case ';', '{', '}' -> " (a rule is one expression: no statements, blocks or loops)";
            case '[', ']' -> " (a rule has no arrays)";
            default -> "";
        };
    }

    private RuleException error(String message) {
        return errorAt(pos, message);
    }

    private RuleException errorAt(int at, String message) {
        return new RuleException(what + ": \"" + abbreviate(src) + "\": " + message + " at column " + (at + 1));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private void skip() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(String op) {
        skip();
        if (src.startsWith(op, pos)) {
            // "<" must not eat the first half of "<=", "=" of "==", "!" of "!=", "&" / "|" alone are not operators
            pos += op.length();
            return true;
        }
        return false;
    }

    private boolean peek(String op) {
        skip();
        return src.startsWith(op, pos);
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw errorAt(at, "nested more than " + MAX_DEPTH + " deep");
        }
    }

    private Expr expr() {
        int at = pos;
        enter(at);
        Expr c = or();
        if (eat("?")) {
            Expr a = expr();
            skip();
            if (!eat(":")) {
                throw error("expected ':' of 'cond ? a : b'");
            }
            Expr b = expr();
            c = Nodes.ternary(c, a, b);
        }
        depth--;
        return c;
    }

    private Expr or() {
        Expr e = and();
        while (eat("||")) {
            e = Nodes.binary(e, and(), (a, b) -> a != 0 || b != 0 ? 1 : 0);
        }
        return e;
    }

    private Expr and() {
        Expr e = cmp();
        while (eat("&&")) {
            e = Nodes.binary(e, cmp(), (a, b) -> a != 0 && b != 0 ? 1 : 0);
        }
        return e;
    }

    private Expr cmp() {
        Expr e = add();
        DoubleBinaryOperator op;
        if (eat("<=")) {
            op = (a, b) -> a <= b ? 1 : 0;
        } else if (eat(">=")) {
            op = (a, b) -> a >= b ? 1 : 0;
        } else if (eat("==")) {
            op = (a, b) -> a == b ? 1 : 0;
        } else if (eat("!=")) {
            op = (a, b) -> a != b ? 1 : 0;
        } else if (eat("<")) {
            op = (a, b) -> a < b ? 1 : 0;
        } else if (eat(">")) {
            op = (a, b) -> a > b ? 1 : 0;
        } else {
            return e;
        }
        return Nodes.binary(e, add(), op);
    }

    private Expr add() {
        Expr e = mul();
        while (true) {
            if (eat("+")) {
                e = Nodes.binary(e, mul(), Double::sum);
            } else if (eat("-")) {
                e = Nodes.binary(e, mul(), (a, b) -> a - b);
            } else {
                return e;
            }
        }
    }

    private Expr mul() {
        Expr e = unary();
        while (true) {
            if (eat("*")) {
                e = Nodes.binary(e, unary(), (a, b) -> a * b);
            } else if (eat("/")) {
                e = Nodes.binary(e, unary(), (a, b) -> a / b);
            } else {
                return e;
            }
        }
    }

    private Expr unary() {
        skip();
        int at = pos;
        if (peek("!=")) {
            throw error("unexpected '!='");
        }
        if (eat("-") || eat("+") || eat("!")) {
            char op = src.charAt(at);
            enter(at);
            Expr e = unary();
            depth--;
            return switch (op) {
                case '-' -> Nodes.unary(e, a -> -a);
                case '!' -> Nodes.unary(e, a -> a == 0 ? 1 : 0);
                default -> e;
            };
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        if (eat("^")) {
            enter(pos);
            Expr exp = unary();
            depth--;
            return Nodes.binary(base, exp, Math::pow);
        }
        return base;
    }

    private Expr primary() {
        skip();
        if (pos >= src.length()) {
            throw error("unexpected end of the expression");
        }
        char c = src.charAt(pos);
        int at = pos;
        if (c == '(') {
            pos++;
            Expr e = expr();
            if (!eat(")")) {
                throw error("expected ')' to close the '(' at column " + (at + 1));
            }
            return e;
        }
        if (Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String name = src.substring(at, pos);
            if (peek("(")) {
                return call(name, at);
            }
            if (peek(".")) {
                throw error("unexpected '.'" + hint('.'));
            }
            if (isFunction(name)) {
                throw errorAt(at, "'" + name + "' is a function: write " + name + "(...)");
            }
            int slot = scope.slot(name);
            if (slot < 0) {
                throw errorAt(at, "unknown variable '" + name + "' (known: " + String.join(", ", scope.names()) + ")");
            }
            return Nodes.variable(slot);
        }
        throw error("unexpected '" + c + "'" + hint(c));
    }

    private Expr number() {
        int at = pos;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        String text = src.substring(at, pos);
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw errorAt(at, "'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw errorAt(at, "the number " + text + " is too large for a double");
        }
        return Nodes.constant(v);
    }

    private Expr call(String name, int at) {
        eat("(");
        enter(at);
        List<Expr> args = new java.util.ArrayList<>();
        if (!peek(")")) {
            do {
                args.add(expr());
            } while (eat(","));
        }
        if (!eat(")")) {
            throw error("expected ',' or ')' in the call of '" + name + "'");
        }
        depth--;
        int n = args.size();
        if (n == 1 && AGGREGATES.contains(name)) {
            return Nodes.aggregate(args.get(0), aggregate(name));
        }
        if (n == 1 && FUNCTIONS_1.containsKey(name)) {
            return Nodes.unary(args.get(0), FUNCTIONS_1.get(name));
        }
        if (n == 2 && FUNCTIONS_2.containsKey(name)) {
            return Nodes.binary(args.get(0), args.get(1), FUNCTIONS_2.get(name));
        }
        if (n == 3 && name.equals("clamp")) {
            return Nodes.binary(Nodes.binary(args.get(0), args.get(1), Math::max), args.get(2), Math::min);
        }
        if (isFunction(name)) {
            throw errorAt(at, "'" + name + "' does not take " + n + " argument" + (n == 1 ? "" : "s")
                    + " (sqrt exp log abs: 1; min max: 1 for the unit aggregate or 2; median mean sum: 1; clamp: 3)");
        }
        throw errorAt(at, "unknown function '" + name + "' (a rule can call sqrt, exp, log, abs, min, max, clamp,"
                + " median, mean, sum and nothing else)");
    }

    private static java.util.function.ToDoubleFunction<double[]> aggregate(String name) {
        return switch (name) {
            case "median" -> ChannelMath::median;
            case "mean" -> v -> Arrays.stream(v).sum() / v.length;
            case "min" -> v -> Arrays.stream(v).min().orElse(Double.NaN);
            case "max" -> v -> Arrays.stream(v).max().orElse(Double.NaN);
            case "sum" -> v -> Arrays.stream(v).sum();
            default -> throw new IllegalStateException(name);
        };
    }
}
