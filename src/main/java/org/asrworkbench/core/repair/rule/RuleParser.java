package org.asrworkbench.core.repair.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one rule expression and writes it as {@link Code} (Java source, compiled by {@link RuleCompiler}). The grammar is arithmetic and nothing else
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

    private static final Map<String, Nodes.Unary> FUNCTIONS_1 = Map.of(
            "sqrt", Nodes.Unary.SQRT, "exp", Nodes.Unary.EXP, "log", Nodes.Unary.LOG, "abs", Nodes.Unary.ABS);
    private static final Map<String, Nodes.Binary> FUNCTIONS_2 = Map.of("min", Nodes.Binary.MIN, "max", Nodes.Binary.MAX);
    private static final Set<String> AGGREGATES = Set.of("median", "mean", "min", "max", "sum");

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
    private final Nodes nodes = new Nodes();
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
    static Code compile(String what, String src, Scope scope) {
        if (src.length() > MAX_LENGTH) {
            throw new RuleException(what + ": \"" + abbreviate(src) + "\": the expression has " + src.length()
                    + " characters, more than the " + MAX_LENGTH + " a rule may have, at column " + (MAX_LENGTH + 1));
        }
        RuleParser p = new RuleParser(what, src, scope);
        p.skip();
        if (p.pos >= src.length()) {
            throw p.error("empty expression");
        }
        Code e = p.expr();
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

    private Code expr() {
        int at = pos;
        enter(at);
        Code c = or();
        if (eat("?")) {
            Code a = expr();
            skip();
            if (!eat(":")) {
                throw error("expected ':' of 'cond ? a : b'");
            }
            Code b = expr();
            c = nodes.ternary(c, a, b);
        }
        depth--;
        return c;
    }

    private Code or() {
        Code e = and();
        while (eat("||")) {
            e = nodes.binary(e, and(), Nodes.Binary.OR);
        }
        return e;
    }

    private Code and() {
        Code e = cmp();
        while (eat("&&")) {
            e = nodes.binary(e, cmp(), Nodes.Binary.AND);
        }
        return e;
    }

    private Code cmp() {
        Code e = add();
        Nodes.Binary op;
        if (eat("<=")) {
            op = Nodes.Binary.LE;
        } else if (eat(">=")) {
            op = Nodes.Binary.GE;
        } else if (eat("==")) {
            op = Nodes.Binary.EQ;
        } else if (eat("!=")) {
            op = Nodes.Binary.NE;
        } else if (eat("<")) {
            op = Nodes.Binary.LT;
        } else if (eat(">")) {
            op = Nodes.Binary.GT;
        } else {
            return e;
        }
        return nodes.binary(e, add(), op);
    }

    private Code add() {
        Code e = mul();
        while (true) {
            if (eat("+")) {
                e = nodes.binary(e, mul(), Nodes.Binary.ADD);
            } else if (eat("-")) {
                e = nodes.binary(e, mul(), Nodes.Binary.SUB);
            } else {
                return e;
            }
        }
    }

    private Code mul() {
        Code e = unary();
        while (true) {
            if (eat("*")) {
                e = nodes.binary(e, unary(), Nodes.Binary.MUL);
            } else if (eat("/")) {
                e = nodes.binary(e, unary(), Nodes.Binary.DIV);
            } else {
                return e;
            }
        }
    }

    private Code unary() {
        skip();
        int at = pos;
        if (peek("!=")) {
            throw error("unexpected '!='");
        }
        if (eat("-") || eat("+") || eat("!")) {
            char op = src.charAt(at);
            enter(at);
            Code e = unary();
            depth--;
            return switch (op) {
                case '-' -> nodes.unary(e, Nodes.Unary.NEG);
                case '!' -> nodes.unary(e, Nodes.Unary.NOT);
                default -> e;
            };
        }
        return power();
    }

    private Code power() {
        Code base = primary();
        if (eat("^")) {
            enter(pos);
            Code exp = unary();
            depth--;
            return nodes.binary(base, exp, Nodes.Binary.POW);
        }
        return base;
    }

    private Code primary() {
        skip();
        if (pos >= src.length()) {
            throw error("unexpected end of the expression");
        }
        char c = src.charAt(pos);
        int at = pos;
        if (c == '(') {
            pos++;
            Code e = expr();
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

    private Code number() {
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

    private Code call(String name, int at) {
        eat("(");
        enter(at);
        List<Code> args = new ArrayList<>();
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
            return nodes.aggregate(args.get(0), Nodes.Aggregate.of(name));
        }
        if (n == 1 && FUNCTIONS_1.containsKey(name)) {
            return nodes.unary(args.get(0), FUNCTIONS_1.get(name));
        }
        if (n == 2 && FUNCTIONS_2.containsKey(name)) {
            return nodes.binary(args.get(0), args.get(1), FUNCTIONS_2.get(name));
        }
        if (n == 3 && name.equals("clamp")) {
            return nodes.binary(nodes.binary(args.get(0), args.get(1), Nodes.Binary.MAX), args.get(2), Nodes.Binary.MIN);
        }
        if (isFunction(name)) {
            throw errorAt(at, "'" + name + "' does not take " + n + " argument" + (n == 1 ? "" : "s")
                    + " (sqrt exp log abs: 1; min max: 1 for the unit aggregate or 2; median mean sum: 1; clamp: 3)");
        }
        throw errorAt(at, "unknown function '" + name + "' (a rule can call sqrt, exp, log, abs, min, max, clamp,"
                + " median, mean, sum and nothing else)");
    }
}
