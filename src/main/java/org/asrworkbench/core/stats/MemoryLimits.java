package org.asrworkbench.core.stats;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The JVM's memory limits that a pass's chunks must fit, checked before a chunk is allocated:
 * a chunk that fails to allocate inside the engine's native code crashes the JVM instead of
 * throwing, so the check refuses it first, with the chunk size and the budget to change.
 *
 * <p>Two kinds of Java memory hold chunks: the heap ({@code -Xmx}) holds the pixels of an
 * input chunk while it is read, and direct memory ({@code -XX:MaxDirectMemorySize}, by
 * default as large as the heap) holds every chunk read back from the spill file, up to
 * {@link #READ_BACK_AT_ONCE} at a time. Chunks the engine computes and keeps within the
 * memory budget live in native memory, which no JVM limit bounds.
 *
 * @param heapBytes   the heap limit ({@link Runtime#maxMemory()})
 * @param directBytes the direct memory limit
 */
public record MemoryLimits(long heapBytes, long directBytes) {
    /** Spilled chunks a pass reads back at once: the two inputs of a residual add, on D's side and on P's. */
    public static final int READ_BACK_AT_ONCE = 4;

    public MemoryLimits {
        if (heapBytes <= 0 || directBytes <= 0) {
            throw new IllegalArgumentException("memory limits must be positive: heap " + heapBytes + ", direct "
                    + directBytes);
        }
    }

    /** This JVM's limits: the heap's, and {@code -XX:MaxDirectMemorySize} when given, else the heap's (the JDK's default). */
    public static MemoryLimits ofThisJvm() {
        long heap = Runtime.getRuntime().maxMemory();
        return new MemoryLimits(heap, directLimit(ManagementFactory.getRuntimeMXBean().getInputArguments(), heap));
    }

    /** The direct memory limit the JVM arguments set (the last {@code -XX:MaxDirectMemorySize} wins), else {@code heap}. */
    public static long directLimit(List<String> jvmArguments, long heap) {
        String prefix = "-XX:MaxDirectMemorySize=";
        long limit = heap;
        for (String a : jvmArguments) {
            if (a.startsWith(prefix)) {
                long v = parseSize(a.substring(prefix.length()));
                limit = v > 0 ? v : heap; // 0 means the default
            }
        }
        return limit;
    }

    /** A HotSpot size: digits with an optional k, m, g or t suffix (either case); -1 when it is none. */
    static long parseSize(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        char last = Character.toLowerCase(s.charAt(s.length() - 1));
        int shift = switch (last) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long v = Long.parseLong(digits);
            return v < 0 || v > Long.MAX_VALUE >> shift ? -1 : v << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Refuses to spill a chunk of {@code bytes} that could not be read back: up to
     * {@link #READ_BACK_AT_ONCE} such chunks are held in direct memory at once, and one buffer
     * holds at most 2 GiB.
     */
    void requireSpillable(long bytes, String what) {
        long needed = READ_BACK_AT_ONCE * bytes;
        if (bytes > Integer.MAX_VALUE || needed > directBytes) {
            throw new MemoryLimitException(String.format(Locale.ROOT, "%s spills to disk in chunks of %s, and"
                    + " reading them back takes up to %d chunks (%s) of direct memory, more than the JVM's limit of %s"
                    + " (-XX:MaxDirectMemorySize, by default the heap limit -Xmx)", what, mib(bytes), READ_BACK_AT_ONCE,
                    mib(needed), mib(directBytes)));
        }
    }

    /** Refuses a heap array of {@code bytes} that would take more than half the heap (the data and the rest need the other half). */
    void requireOnHeap(long bytes, String what) {
        if (bytes > heapBytes / 2 || bytes > Integer.MAX_VALUE) {
            throw new MemoryLimitException(String.format(Locale.ROOT, "%s takes %s of heap, more than half the JVM's"
                    + " heap limit of %s (-Xmx)", what, mib(bytes), mib(heapBytes)));
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
