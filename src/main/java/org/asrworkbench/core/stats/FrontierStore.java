package org.asrworkbench.core.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds tensors of the layer-major pass's frontier, chunk by chunk: chunks stay on the device
 * while the bytes held stay under a budget; the rest spill to one temporary file and are read
 * back when needed. RAM is therefore bounded by the budget plus one chunk, not by {@code N}.
 */
final class FrontierStore implements AutoCloseable {
    private final NDManager manager;
    private final long budgetBytes;
    private final MemoryLimits limits;
    private final String what;
    private long heldBytes;
    private FileChannel spill;
    private Path spillFile;
    private long spillEnd;
    private long spilledBytes;

    /** A stored chunk: either on the device or at an offset of the spill file. */
    final class Chunk {
        private NDArray array;
        private final Shape shape;
        private final long offset;
        private final long bytes;

        private Chunk(NDArray array, Shape shape, long offset, long bytes) {
            this.array = array;
            this.shape = shape;
            this.offset = offset;
            this.bytes = bytes;
        }

        /** The chunk's array; spilled chunks are loaded into {@code into} and owned by it. */
        NDArray get(NDManager into) {
            if (array != null) {
                return array;
            }
            // the buffer becomes the array's memory (no second copy)
            ByteBuffer buf = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
            try {
                long p = offset;
                while (buf.hasRemaining()) {
                    p += spill.read(buf, p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the pass's spill file " + spillFile, e);
            }
            buf.flip();
            return into.create(buf, shape, DataType.FLOAT32);
        }

        boolean onDevice() {
            return array != null;
        }

        void release() {
            if (array != null) {
                array.close();
                heldBytes -= bytes;
                array = null;
            }
        }
    }

    /** One stored tensor: its chunks in order. */
    final class Entry {
        final List<Chunk> chunks = new ArrayList<>();

        void add(NDArray a) {
            chunks.add(store(a));
        }

        void release() {
            chunks.forEach(Chunk::release);
            chunks.clear();
        }
    }

    /**
     * @param what   what it holds, for messages ("the pass's frontier")
     * @param limits the JVM's limits every spilled chunk is checked against
     */
    FrontierStore(NDManager parent, long budgetBytes, MemoryLimits limits, String what) {
        this.what = what;
        this.manager = parent.newSubManager();
        this.budgetBytes = budgetBytes;
        this.limits = limits;
    }

    Entry newEntry() {
        return new Entry();
    }

    /**
     * Takes ownership of {@code a}: keeps it on the device, or spills it and closes it (also when
     * it is refused: a chunk too large to be read back within the JVM's limits).
     */
    Chunk store(NDArray a) {
        long bytes = a.size() * 4L;
        if (heldBytes + bytes <= budgetBytes) {
            a.attach(manager);
            heldBytes += bytes;
            return new Chunk(a, a.getShape(), -1, bytes);
        }
        try {
            limits.requireSpillable(bytes, what + " (memory budget " + MemoryLimits.mib(budgetBytes) + ")");
            return spill(a, bytes);
        } finally {
            a.close();
        }
    }

    /** Appends {@code a} to the spill file. */
    private Chunk spill(NDArray a, long bytes) {
        try (NDArray host = a.getDevice().equals(Device.cpu()) ? null : a.toDevice(Device.cpu(), false)) {
            if (spill == null) {
                spillFile = Files.createTempFile("asr-frontier-", ".bin");
                spill = FileChannel.open(spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
            }
            // a view of the array's own memory: a copy onto the heap could fail inside native code, a crash
            ByteBuffer buf = (host == null ? a : host).toByteBuffer(true);
            long off = spillEnd;
            long p = off;
            while (buf.hasRemaining()) {
                p += spill.write(buf, p);
            }
            spillEnd = p;
            spilledBytes += bytes;
            return new Chunk(null, a.getShape(), off, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pass's spill file", e);
        }
    }

    long spilledBytes() {
        return spilledBytes;
    }

    @Override
    public void close() {
        manager.close();
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException ignored) {
                // the file is deleted on close; nothing else to do
            }
        }
    }
}
