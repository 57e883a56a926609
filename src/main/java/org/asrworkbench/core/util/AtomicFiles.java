package org.asrworkbench.core.util;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file through a temporary file in the same directory, then moves it over the target
 * (atomically where the file system supports it), so a reader never sees a partial file and a
 * failed write leaves the previous content in place and no temporary file behind.
 *
 * <ul>
 * <li>A target that exists and is not a regular file (a device such as {@code /dev/stdout}, a
 * FIFO) is written through, never replaced; a directory is refused. A symbolic link is followed:
 * its target is replaced and the link kept.</li>
 * <li>The temporary file is created like any new file (mode 0666 less the umask), and takes the
 * mode of the file it replaces.</li>
 * <li>It is named {@code .<name>.<pid>@<host>.<random>.tmp}. Before writing, the stale temporary
 * files of the same target that a killed writer left are removed: those of a process of this host
 * that is gone, and any of our naming (also an older version's {@code .<name>.<digits>.tmp}) last
 * modified more than {@link #STALE_AFTER} ago. A running writer's file is never removed: its
 * process is alive, or, on another host sharing the directory, it keeps writing.</li>
 * <li>Errors name the target and the reason (a full disk, a missing directory), never only the
 * temporary file.</li>
 * </ul>
 */
public final class AtomicFiles {
    /** A temporary file of ours not modified for this long has no live writer. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);
    private static final String SUFFIX = ".tmp";
    private static final String HOST = hostName();

    private AtomicFiles() {
    }

    /** Writes the content of a file to a stream (buffered; closed by {@link #write}). */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} with what {@code body} writes, replacing any existing file. */
    public static void write(Path target, Body body) throws IOException {
        write(target, body, true);
    }

    /**
     * {@link #write} without looking for stale temporary files, for a directory of many files whose
     * owner removes them once with {@link #removeStaleTemps(Path)} (listing it at every write
     * would cost in proportion to its size).
     */
    public static void writeInSweptDirectory(Path target, Body body) throws IOException {
        write(target, body, false);
    }

    private static void write(Path target, Body body, boolean sweep) throws IOException {
        BasicFileAttributes attrs = attributes(target);
        if (attrs != null && attrs.isDirectory()) {
            throw new FileSystemException(target.toString(), null, "is a directory, not a file to write");
        }
        if (attrs != null && !attrs.isRegularFile()) {
            writeThrough(target, body);
            return;
        }
        Path file = resolveLinks(target);
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "the directory " + dir + " does not exist");
        }
        if (sweep) {
            removeStaleTemps(dir, file.getFileName().toString());
        }
        Path temp = createTemp(target, dir, file.getFileName().toString());
        try {
            if (attrs != null) {
                copyMode(file, temp);
            }
            try (OutputStream out = new BufferedOutputStream(named(target, Files.newOutputStream(temp)), 1 << 16)) {
                body.write(out);
            }
            try {
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw failure(target, "cannot replace it", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The attributes of what {@code p} names (links followed), or null when nothing is there. */
    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes straight into an existing device or FIFO, which cannot be replaced. */
    private static void writeThrough(Path target, Body body) throws IOException {
        OutputStream raw;
        try {
            raw = Files.newOutputStream(target, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw failure(target, "cannot open it for writing", e);
        }
        try (OutputStream out = new BufferedOutputStream(named(target, raw), 1 << 16)) {
            body.write(out);
        }
    }

    /** The file a chain of symbolic links ends at (which may not exist yet); {@code p} itself when it is no link. */
    private static Path resolveLinks(Path p) throws IOException {
        Path cur = p;
        for (int hops = 0; Files.isSymbolicLink(cur); hops++) {
            if (hops == 40) {
                throw new FileSystemException(p.toString(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(cur);
            Path parent = cur.toAbsolutePath().getParent();
            cur = parent == null ? link : parent.resolve(link);
        }
        return cur;
    }

    private static Path createTemp(Path target, Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "@" + HOST + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + SUFFIX);
            try {
                return Files.createFile(temp); // no attributes: the umask decides, as for any new file
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw failure(target, "cannot create a temporary file in " + dir, e);
                }
            } catch (IOException e) {
                throw failure(target, "cannot create a temporary file in " + dir, e);
            }
        }
    }

    private static void copyMode(Path from, Path to) {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or not ours to change: the new file keeps the umask's mode
        }
    }

    /** Failures of the stream itself (a full disk) say which file they were writing. */
    private static OutputStream named(Path target, OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw failure(target, "cannot write", e);
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw failure(target, "cannot write", e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } catch (IOException e) {
                    throw failure(target, "cannot write", e);
                }
            }
        };
    }

    private static IOException failure(Path target, String what, IOException cause) {
        if (cause instanceof FileSystemException f && target.toString().equals(f.getFile())) {
            return cause; // already ours
        }
        FileSystemException e = new FileSystemException(target.toString(), null, what + ": " + IoMessages.reason(cause));
        e.initCause(cause);
        return e;
    }

    /**
     * Removes the stale temporary files ({@link AtomicFiles class comment}) of every target in
     * {@code dir}; returns how many.
     */
    public static int removeStaleTemps(Path dir) throws IOException {
        return removeStaleTemps(dir, null);
    }

    private static int removeStaleTemps(Path dir, String name) throws IOException {
        int removed = 0;
        String glob = name == null ? ".*" + SUFFIX : "." + escapeGlob(name) + ".*" + SUFFIX;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path p : files) {
                if (isStale(p, name)) {
                    try {
                        if (Files.deleteIfExists(p)) {
                            removed++;
                        }
                    } catch (IOException e) {
                        // not ours to delete (another user's directory entry): leave it
                    }
                }
            }
        }
        return removed;
    }

    /**
     * True for a temporary file of our naming (of target {@code name}, any target when null) whose
     * writer is gone: its pid is of this host and not running, or it was last modified more than
     * {@link #STALE_AFTER} ago.
     */
    static boolean isStale(Path p, String name) {
        String f = p.getFileName().toString();
        if (!f.startsWith(".") || !f.endsWith(SUFFIX) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String middle = f.substring(1, f.length() - SUFFIX.length()); // <name>.<tag>
        String tag;
        if (name != null) {
            if (!middle.startsWith(name + ".")) {
                return false;
            }
            tag = middle.substring(name.length() + 1);
        } else {
            int at = middle.lastIndexOf('@');
            int dot = at >= 0 ? middle.lastIndexOf('.', at) : middle.lastIndexOf('.');
            if (dot <= 0) {
                return false;
            }
            tag = middle.substring(dot + 1);
        }
        Long pid = null;
        if (tag.matches("\\d+@[A-Za-z0-9-]+\\.[0-9a-f]+")) {
            String host = tag.substring(tag.indexOf('@') + 1, tag.lastIndexOf('.'));
            if (host.equals(HOST)) {
                pid = Long.parseLong(tag.substring(0, tag.indexOf('@')));
            }
        } else if (!tag.matches("\\d+")) {
            return false; // not our naming (an older version's is .<name>.<digits>.tmp)
        }
        if (pid != null && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
            return true;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            return modified.toInstant().isBefore(Instant.now().minus(STALE_AFTER));
        } catch (IOException e) {
            return false;
        }
    }

    private static String escapeGlob(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** This host's name as temporary file names carry it: letters, digits and '-', at most 32. */
    static String host() {
        return HOST;
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        String clean = h.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return clean.isEmpty() ? "localhost" : clean.substring(0, Math.min(32, clean.length()));
    }
}
