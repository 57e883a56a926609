package org.asrworkbench.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes byte by byte, so that tests build checkpoints to the format's specification. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBytes proto(int version) {
        return op(0x80).op(version);
    }

    PickleBytes global(String module, String name) {
        op('c');
        return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes emptyList() {
        return op(']');
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes build() {
        return op('b');
    }

    PickleBytes binPersId() {
        return op('Q');
    }

    PickleBytes setItems() {
        return op('u');
    }

    PickleBytes setItem() {
        return op('s');
    }

    PickleBytes appends() {
        return op('e');
    }

    PickleBytes none() {
        return op('N');
    }

    PickleBytes bool(boolean v) {
        return op(v ? 0x88 : 0x89);
    }

    PickleBytes stop() {
        return op('.');
    }

    PickleBytes binInt(int v) {
        op('J');
        return raw(le(4, v));
    }

    PickleBytes binFloat(double v) {
        op('G');
        return raw(ByteBuffer.allocate(8).putDouble(v).array());
    }

    PickleBytes unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        raw(le(4, b.length));
        return raw(b);
    }

    /** Python 2 {@code str}: BINSTRING. */
    PickleBytes binString(byte[] b) {
        op('T');
        raw(le(4, b.length));
        return raw(b);
    }

    /** Python 3 {@code bytes}: BINBYTES. */
    PickleBytes binBytes(byte[] b) {
        op('B');
        raw(le(4, b.length));
        return raw(b);
    }

    /** A tuple of ints: MARK, BININT..., TUPLE. */
    PickleBytes intTuple(long... values) {
        mark();
        for (long v : values) {
            binInt((int) v);
        }
        return tuple();
    }

    PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] le(int width, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[width];
        System.arraycopy(b.array(), 0, out, 0, width);
        return out;
    }
}
