package org.asrworkbench.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes byte by byte, so that tests build checkpoints and CIFAR batches to the
 * format's specification (no Python needed).
 */
public final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBytes proto(int version) {
        return op(0x80).op(version);
    }

    public PickleBytes global(String module, String name) {
        op('c');
        return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public PickleBytes mark() {
        return op('(');
    }

    public PickleBytes emptyDict() {
        return op('}');
    }

    public PickleBytes emptyList() {
        return op(']');
    }

    public PickleBytes emptyTuple() {
        return op(')');
    }

    public PickleBytes tuple() {
        return op('t');
    }

    public PickleBytes reduce() {
        return op('R');
    }

    public PickleBytes build() {
        return op('b');
    }

    public PickleBytes binPersId() {
        return op('Q');
    }

    public PickleBytes setItems() {
        return op('u');
    }

    public PickleBytes setItem() {
        return op('s');
    }

    public PickleBytes appends() {
        return op('e');
    }

    public PickleBytes none() {
        return op('N');
    }

    public PickleBytes bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    public PickleBytes stop() {
        return op('.');
    }

    public PickleBytes binInt(int v) {
        op('J');
        return raw(le(4, v));
    }

    public PickleBytes binFloat(double v) {
        op('G');
        return raw(ByteBuffer.allocate(8).putDouble(v).array());
    }

    public PickleBytes unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        raw(le(4, b.length));
        return raw(b);
    }

    /** Python 2 {@code str}: BINSTRING. */
    public PickleBytes binString(byte[] b) {
        op('T');
        raw(le(4, b.length));
        return raw(b);
    }

    /** Python 3 {@code bytes}: BINBYTES. */
    public PickleBytes binBytes(byte[] b) {
        op('B');
        raw(le(4, b.length));
        return raw(b);
    }

    /** A tuple of ints: MARK, BININT..., TUPLE. */
    public PickleBytes intTuple(long... values) {
        mark();
        for (long v : values) {
            binInt((int) v);
        }
        return tuple();
    }

    /** {@code numpy.dtype(descr, 0, 1)} with its BUILD state, as numpy pickles it ({@code byteOrder}: "|", "<", ">"). */
    public PickleBytes numpyDtype(String descr, String byteOrder) {
        global("numpy", "dtype").mark().binString(ascii(descr)).binInt(0).binInt(1).tuple().reduce();
        return mark().binInt(3).binString(ascii(byteOrder)).none().none().none().binInt(-1).binInt(-1).binInt(0)
                .tuple().build();
    }

    /**
     * A C-order numpy array as Python 2's cPickle writes it: {@code _reconstruct(ndarray, (0,), 'b')}
     * then BUILD with {@code (1, shape, dtype, False, raw)}, the raw data as BINSTRING.
     */
    public PickleBytes numpyArray(String descr, String byteOrder, long[] shape, byte[] raw) {
        global("numpy.core.multiarray", "_reconstruct").mark().global("numpy", "ndarray").intTuple(0)
                .binString(ascii("b")).tuple().reduce();
        mark().binInt(1).intTuple(shape);
        numpyDtype(descr, byteOrder);
        return bool(false).binString(raw).tuple().build();
    }

    /** A {@code uint8} array of the given shape. */
    public PickleBytes uint8Array(byte[] raw, long... shape) {
        return numpyArray("u1", "|", shape, raw);
    }

    /** A Python 2 {@code str} of ASCII text (BINSTRING), as CIFAR's dict keys and class names are. */
    public PickleBytes str(String text) {
        return binString(ascii(text));
    }

    /** A list of ints: EMPTY_LIST, MARK, BININT..., APPENDS. */
    public PickleBytes intList(int... values) {
        emptyList().mark();
        for (int v : values) {
            binInt(v);
        }
        return appends();
    }

    /** A text opcode's line (INT 'I', LONG 'L', FLOAT 'F' ...): the opcode, {@code text}, a newline. */
    public PickleBytes line(int opcode, String text) {
        op(opcode);
        return raw((text + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A whole pickle of one decimal literal: {@code opcode}, {@code digits} nines, {@code suffix}. */
    public static byte[] decimalLiteral(int opcode, int digits, String suffix) {
        return new PickleBytes().proto(2).line(opcode, "9".repeat(digits) + suffix).stop().bytes();
    }

    /** A whole pickle of one LONG1 ({@code width} 1) or LONG4 (4) of {@code count} zero bytes. */
    public static byte[] binaryLong(int width, int count) {
        return new PickleBytes().proto(2).op(width == 1 ? 0x8a : 0x8b).raw(le(width, count)).raw(new byte[count])
                .stop().bytes();
    }

    public PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public static byte[] le(int width, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[width];
        System.arraycopy(b.array(), 0, out, 0, width);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
