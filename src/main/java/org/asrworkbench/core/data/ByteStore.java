package org.asrworkbench.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-access bytes behind a dataset: a byte array in memory, or a file read by offset
 * (optionally a temporary file that is deleted on close).
 */
abstract class ByteStore implements AutoCloseable {

    /** Reads {@code dst.remaining()} bytes starting at {@code position} (0 = the first payload byte). */
    abstract void read(long position, ByteBuffer dst) throws IOException;

    @Override
    public abstract void close() throws IOException;

    static ByteStore of(byte[] bytes) {
        return new Memory(bytes);
    }

    /**
     * @param origin byte offset in {@code file} that position 0 refers to (e.g. a header's length)
     * @param owner the dataset file named in errors
     * @param deleteOnClose true for a temporary file owned by the store
     */
    static ByteStore of(Path file, long origin, Path owner, boolean deleteOnClose) throws IOException {
        return new OnDisk(file, origin, owner, deleteOnClose);
    }

    private static final class Memory extends ByteStore {
        private final byte[] bytes;

        Memory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        void read(long position, ByteBuffer dst) {
            dst.put(bytes, Math.toIntExact(position), dst.remaining());
        }

        @Override
        public void close() {
        }
    }

    private static final class OnDisk extends ByteStore {
        private final Path file;
        private final long origin;
        private final Path owner;
        private final boolean deleteOnClose;
        private final FileChannel channel;

        OnDisk(Path file, long origin, Path owner, boolean deleteOnClose) throws IOException {
            this.file = file;
            this.origin = origin;
            this.owner = owner;
            this.deleteOnClose = deleteOnClose;
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        }

        @Override
        void read(long position, ByteBuffer dst) throws IOException {
            long p = origin + position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, p);
                if (n < 0) {
                    throw new DatasetFormatException(owner, "unexpected end of file at byte " + p);
                }
                p += n;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                if (deleteOnClose) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
