package org.asrworkbench.core.io;

import org.asrworkbench.core.util.IoMessages;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Unpickles untrusted files with Pyrolite behind an {@link AllowList}: {@code GLOBAL} and
 * {@code STACK_GLOBAL} resolve only allowed names (anything else is refused before any object is
 * built, and Pyrolite's own constructor registry is never consulted), {@code REDUCE}/{@code BUILD}
 * only act on values the allow-list produced, lengths are capped by the input size, the stack
 * depth is bounded, and a result nested deeper than {@value #MAX_NESTING} levels or containing
 * itself is refused (so no caller's printing or hashing of it can overflow the stack), numeric
 * literals are bounded ({@value #MAX_LITERAL_CHARS} characters, {@value #MAX_LITERAL_BYTES} bytes)
 * before they are parsed, and no message quotes more than a short excerpt of the file's text.
 * Every failure becomes a {@link ModelFormatException} naming the file.
 */
public final class SafeUnpickler {
    /** Deepest operand stack accepted; real checkpoints stay below a few dozen entries. */
    static final int MAX_STACK = 100_000;
    /**
     * Deepest nesting of lists, tuples and dicts accepted in a result; a state dict nests about five
     * levels. Deeper values would overflow the stack of whoever prints, hashes or compares them.
     */
    static final int MAX_NESTING = 1_000;
    /**
     * Longest numeric literal accepted, in characters for the text opcodes (INT, LONG, FLOAT: a
     * decimal line) and in bytes for the binary LONG1 and LONG4. Pyrolite parses a decimal literal in
     * quadratic time (a million digits: 18 s), and a tensor checkpoint needs no number beyond 128
     * bits: 40 characters hold any 128-bit integer with its sign and {@code L} suffix, and any float's
     * repr; 16 bytes hold the legacy format's 80-bit magic number.
     */
    static final int MAX_LITERAL_CHARS = 40;
    static final int MAX_LITERAL_BYTES = 16;
    /** Most characters of a file's text an error message quotes. */
    static final int MAX_QUOTED = 40;

    private SafeUnpickler() {
    }

    /** Unpickles a whole file that holds one pickle without persistent ids. */
    public static Object load(Path file, AllowList allow) throws ModelFormatException {
        RegularFiles.requireRegularFile(file, p -> new ModelFormatException(file, p));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return load(file, in, Files.size(file), allow, null);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + IoMessages.reason(e), e);
        }
    }

    /**
     * Reads a CIFAR-10/100 python batch: a dict whose {@code data} is a {@code uint8} array of shape
     * [N, 3072] and whose {@code labels}, {@code fine_labels} and {@code coarse_labels} (those present)
     * become {@code List<Integer>} of length N. Byte-string keys become strings; other entries are kept.
     */
    public static Map<String, Object> loadCifarBatch(Path file) throws ModelFormatException {
        if (!(load(file, AllowList.NUMPY_ARRAYS) instanceof Map<?, ?> raw)) {
            throw new ModelFormatException(file, "CIFAR batch is not a dict");
        }
        Map<String, Object> batch = new LinkedHashMap<>();
        raw.forEach((k, v) -> batch.put(k instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1)
                : String.valueOf(k), v));
        if (!(batch.get("data") instanceof NumpyArray data) || !"uint8".equals(data.dtype())
                || data.shape().length != 2) {
            throw new ModelFormatException(file, "CIFAR batch has no 2-D uint8 'data' array");
        }
        long rows = data.shape()[0];
        for (String key : List.of("labels", "fine_labels", "coarse_labels")) {
            if (batch.containsKey(key)) {
                List<Integer> labels = intList(file, key, batch.get(key));
                if (labels.size() != rows) {
                    throw new ModelFormatException(file, "CIFAR batch has " + rows + " images but "
                            + labels.size() + " " + key);
                }
                batch.put(key, labels);
            }
        }
        return batch;
    }

    private static List<Integer> intList(Path file, String key, Object value) throws ModelFormatException {
        List<Integer> out = new ArrayList<>();
        if (value instanceof NumpyArray a && a.shape().length == 1) {
            for (long v : a.toLongs()) {
                out.add(label(file, key, v));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Integer || o instanceof Long)) {
                    throw new ModelFormatException(file, "CIFAR '" + key + "' holds a non-integer " + describe(o));
                }
                out.add(label(file, key, ((Number) o).longValue()));
            }
            return out;
        }
        throw new ModelFormatException(file, "CIFAR '" + key + "' is not a list of integers");
    }

    private static int label(Path file, String key, long value) throws ModelFormatException {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new ModelFormatException(file, "CIFAR '" + key + "' holds " + value + ", not a class index");
        }
        return (int) value;
    }

    /**
     * Rejects a value nested deeper than {@link #MAX_NESTING} or containing itself, walking it without
     * recursion (shared sub-values are visited once).
     */
    private static void checkNesting(Object root) {
        Set<Object> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> path = new ArrayDeque<>();
        Deque<Iterator<?>> frames = new ArrayDeque<>();
        if (children(root) != null) {
            path.push(root);
            onPath.add(root);
            frames.push(children(root));
        }
        while (!frames.isEmpty()) {
            Iterator<?> it = frames.peek();
            if (!it.hasNext()) {
                frames.pop();
                Object finished = path.pop();
                onPath.remove(finished);
                done.add(finished);
                continue;
            }
            Object child = it.next();
            Iterator<?> grandchildren = children(child);
            if (grandchildren == null || done.contains(child)) {
                continue;
            }
            if (onPath.contains(child)) {
                throw new Refusal("pickle value contains itself");
            }
            if (frames.size() >= MAX_NESTING) {
                throw new Refusal("pickle nests deeper than " + MAX_NESTING + " levels");
            }
            path.push(child);
            onPath.add(child);
            frames.push(grandchildren);
        }
    }

    /** The elements of a container (a dict's keys and values), or null for anything else. */
    private static Iterator<?> children(Object o) {
        if (o instanceof Object[] tuple) {
            return Arrays.asList(tuple).iterator();
        }
        if (o instanceof Collection<?> c) {
            return c.iterator();
        }
        if (o instanceof Map<?, ?> m) {
            return m.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).iterator();
        }
        return null;
    }

    /** {@code text} as an error message quotes it: whole up to {@value #MAX_QUOTED} characters, else its start and length. */
    static String excerpt(String text) {
        return excerpt(text, MAX_QUOTED);
    }

    /** {@code text} whole up to {@code max} characters, else its first {@code max} and its length. */
    private static String excerpt(String text, int max) {
        return text == null || text.length() <= max ? text
                : text.substring(0, max) + "\u2026 (" + text.length() + " characters)";
    }

    /** A short description of a pickled value for messages: small scalars as they are, anything else by type. */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Number || o instanceof Boolean || (o instanceof String s && s.length() <= MAX_QUOTED)) {
            return String.valueOf(o);
        }
        return "a value of type " + o.getClass().getSimpleName();
    }

    /**
     * Unpickles one pickle from {@code in} (which is left positioned after its STOP opcode when it
     * supports mark/reset, as a {@link BufferedInputStream} does).
     *
     * @param sizeLimit     the size of the file: no length field may claim more
     * @param persistentIds maps persistent ids to values, or null when the pickle may have none
     */
    static Object load(Path file, InputStream in, long sizeLimit, AllowList allow,
                       Function<Object, Object> persistentIds) throws ModelFormatException {
        GuardedUnpickler u = new GuardedUnpickler(allow, sizeLimit, persistentIds);
        try {
            Object value = u.load(in.markSupported() ? in : new BufferedInputStream(in));
            checkNesting(value);
            return value;
        } catch (Refusal e) {
            throw new ModelFormatException(file, e.getMessage());
        } catch (PickleException e) {
            throw new ModelFormatException(file, "invalid pickle: " + capped(e.getMessage()), e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "truncated or unreadable pickle: " + capped(e.getMessage()), e);
        } catch (StackOverflowError e) {
            throw new ModelFormatException(file, "pickle nests too deeply");
        } catch (OutOfMemoryError e) {
            throw new ModelFormatException(file, "pickle needs more memory than available");
        } catch (RuntimeException e) {
            throw new ModelFormatException(file, "malformed pickle: " + capped(e.toString()), e);
        }
    }

    /** A message from the pickle library, which may quote the file's text, cut to a few lines' length. */
    private static String capped(String message) {
        return excerpt(message, 4 * MAX_QUOTED);
    }

    /** A global, opcode or value the allow-list does not permit. */
    private static final class Refusal extends PickleException {
        Refusal(String message) {
            super(message);
        }
    }

    /** Pyrolite's unpickler with the dangerous opcodes replaced by allow-list checks. */
    private static final class GuardedUnpickler extends Unpickler {
        private final AllowList allow;
        private final long sizeLimit;
        private final Function<Object, Object> persistentIds;

        GuardedUnpickler(AllowList allow, long sizeLimit, Function<Object, Object> persistentIds) {
            this.allow = allow;
            this.sizeLimit = sizeLimit;
            this.persistentIds = persistentIds;
        }

        @Override
        protected Object dispatch(short key) throws IOException {
            Object result = NO_RETURN_VALUE;
            switch (key) {
                case 'c' -> pushGlobal(PickleUtils.readline(input), PickleUtils.readline(input));
                case 0x93 -> {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw new PickleException("STACK_GLOBAL needs two strings");
                    }
                    pushGlobal(m, n);
                }
                case 'i' -> refuse(PickleUtils.readline(input) + "." + PickleUtils.readline(input));
                case 'R', 0x81 -> reduce();
                case 'b' -> build();
                case '}' -> stack.add(new LinkedHashMap<>());
                case 'd' -> {
                    List<Object> items = stack.pop_all_since_marker();
                    stack.add(new LinkedHashMap<>());
                    putPairs(items);
                }
                case 'u' -> putPairs(stack.pop_all_since_marker());
                case 'T', 'B', 'X' -> {
                    checkLength(4);
                    result = super.dispatch(key);
                }
                case 'I', 'L', 'F' -> {
                    checkLiteralLine(key);
                    result = super.dispatch(key);
                }
                case 0x8a, 0x8b -> {
                    checkLiteralBytes(key == 0x8a ? 1 : 4);
                    result = super.dispatch(key);
                }
                case 0x8d, 0x8e, 0x96 -> {
                    checkLength(8);
                    result = super.dispatch(key);
                }
                case 'o', 0x92, 0x82, 0x83, 0x84, 0x97, 0x98 ->
                        throw new Refusal("refused pickle opcode 0x" + Integer.toHexString(key)
                                + " (not needed for " + allow.description() + ")");
                default -> result = super.dispatch(key);
            }
            if (stack.size() > MAX_STACK) {
                throw new PickleException("pickle stack deeper than " + MAX_STACK + " entries");
            }
            return result;
        }

        private void pushGlobal(String module, String name) {
            String qualified = module + "." + name;
            Object value = allow.resolve(qualified);
            if (value == null) {
                refuse(qualified);
            }
            stack.add(value);
        }

        private void refuse(String qualified) {
            throw new Refusal("refused pickle global '" + excerpt(qualified) + "': not on the allow-list for "
                    + allow.description());
        }

        private void reduce() {
            Object args = stack.pop();
            Object callable = stack.pop();
            if (!(callable instanceof PickleCallable c)) {
                throw new Refusal("refused call of " + describe(callable) + ": not an allowed callable");
            }
            if (!(args instanceof Object[] tuple)) {
                throw new PickleException("call arguments are not a tuple");
            }
            stack.add(c.call(tuple));
        }

        /** SETITEMS in pickle order (Pyrolite's own version loses the order through a HashMap). */
        @SuppressWarnings("unchecked")
        private void putPairs(List<Object> items) {
            if (items.size() % 2 != 0 || !(stack.peek() instanceof Map<?, ?> target)) {
                throw new PickleException("SETITEMS needs key/value pairs and a dict");
            }
            for (int i = 0; i < items.size(); i += 2) {
                ((Map<Object, Object>) target).put(items.get(i), items.get(i + 1));
            }
        }

        private void build() {
            Object state = stack.pop();
            Object target = stack.peek();
            if (target instanceof PickleState s) {
                s.setState(state);
            } else if (!(target instanceof Map)) {
                // A dict's BUILD state (an OrderedDict's _metadata) carries nothing we use; nothing else may be built.
                throw new Refusal("refused BUILD on " + describe(target));
            }
        }

        /**
         * Rejects a decimal INT, LONG or FLOAT line longer than {@link #MAX_LITERAL_CHARS} before Pyrolite
         * parses it, looking at no more of it than that (the line is left to be read again).
         */
        private void checkLiteralLine(short key) throws IOException {
            int window = MAX_LITERAL_CHARS + 2; // the literal, an optional '\r' and the newline
            input.mark(window);
            byte[] b = input.readNBytes(window);
            input.reset();
            for (byte c : b) {
                if (c == '\n') {
                    return;
                }
            }
            if (b.length < window) {
                throw new IOException("premature end of file in a numeric literal");
            }
            String name = key == 'I' ? "INT" : key == 'L' ? "LONG" : "FLOAT";
            throw new Refusal("refused pickle " + name + " literal longer than " + MAX_LITERAL_CHARS + " characters ('"
                    + new String(b, 0, MAX_QUOTED, StandardCharsets.ISO_8859_1) + "\u2026'): a tensor checkpoint holds"
                    + " no such number");
        }

        /** The next {@code width} bytes of the input, left unread. */
        private byte[] peek(int width) throws IOException {
            input.mark(width);
            byte[] b = input.readNBytes(width);
            input.reset();
            if (b.length < width) {
                throw new IOException("premature end of file");
            }
            return b;
        }

        /** Rejects a LONG1 or LONG4 of more than {@link #MAX_LITERAL_BYTES} bytes before Pyrolite reads it. */
        private void checkLiteralBytes(int width) throws IOException {
            byte[] b = peek(width);
            long n = width == 1 ? b[0] & 0xff : PickleUtils.bytes_to_uint(b, 0);
            if (n > MAX_LITERAL_BYTES) {
                throw new Refusal("refused pickle LONG" + width + " literal of " + n + " bytes (more than "
                        + MAX_LITERAL_BYTES + "): a tensor checkpoint holds no such number");
            }
        }

        /** Rejects a length field larger than the whole input before Pyrolite allocates for it. */
        private void checkLength(int width) throws IOException {
            byte[] b = peek(width);
            long len = width == 4 ? PickleUtils.bytes_to_uint(b, 0) : PickleUtils.bytes_to_long(b, 0);
            if (len < 0 || len > sizeLimit) {
                throw new PickleException("a length field claims " + Long.toUnsignedString(len)
                        + " bytes in an input of " + sizeLimit + " bytes");
            }
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (persistentIds == null) {
                throw new PickleException("unexpected persistent id");
            }
            return persistentIds.apply(pid);
        }

    }
}
