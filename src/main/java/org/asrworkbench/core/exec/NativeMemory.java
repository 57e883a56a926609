package org.asrworkbench.core.exec;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.Locale;

/**
 * Hands the memory of freed tensors back to the system between units of work. Tensors live in
 * memory from glibc's {@code malloc}; a freed block stays in the arena of the thread that freed
 * it, and the arenas (64 MB heaps that shrink only from their top) keep the free space between
 * live blocks resident: a sweep over the ResNet-50 sample held 10-16 GB resident after a few dozen
 * cells with a Java heap of 0.3 GB and a memory budget of 2.9 GB, and two such shards side by side
 * were killed for memory on a 23 GB machine. {@code malloc_trim(0)} on that process brought it
 * from 10.1 to 3.7 GB. A fixed mmap threshold would avoid the arenas altogether, but it cost 15 %
 * of the evaluation's speed (every activation a fresh mapping, page-faulted in); with a trim after
 * each cell a 16-cell sweep took 216 s against 212 s without (one comparison, within its noise).
 * The trim does not lower the peak within one cell: a ResNet-50 cell still reaches about 9 GB.
 *
 * <p>Only on Linux with glibc; elsewhere, and where the call fails, {@link #trim} does nothing.
 * {@code -Dasr.mallocTrim=false} turns it off.
 */
public final class NativeMemory {
    /** System property that turns the trim off ({@code false}). */
    public static final String PROPERTY = "asr.mallocTrim";

    private interface LibC extends Library {
        int malloc_trim(long pad);
    }

    private static final LibC LIBC = load();

    private NativeMemory() {
    }

    private static LibC load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            return null; // not glibc: nothing to trim
        }
    }

    /** True where {@link #trim} can release memory (Linux with glibc, not turned off). */
    public static boolean available() {
        return LIBC != null && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /**
     * Returns the allocator's free pages to the system (glibc's {@code malloc_trim(0)}, all arenas).
     * True when some memory was released. Call it between units of work (a sweep cell, a job),
     * not inside a hot loop.
     */
    public static boolean trim() {
        if (!available()) {
            return false;
        }
        try {
            return LIBC.malloc_trim(0) == 1;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
