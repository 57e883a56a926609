package org.asrworkbench.core.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check every command with several outputs runs before any work: no two of its outputs (a
 * model, its sidecar, a report, logits, tables, checkpoints) are the same file, and no output is
 * one of its inputs. Paths are compared as real paths (symbolic links and {@code ..} resolved),
 * also when the file does not exist yet: then its nearest existing parent is resolved. An output's
 * directory must exist (unless the command creates it), so a typo in it fails before the work,
 * not after it.
 */
public final class OutputPaths {
    private record Named(String label, Path path, Path key, boolean output, boolean dirMustExist) {
    }

    private final List<Named> paths = new ArrayList<>();

    private OutputPaths() {
    }

    public static OutputPaths check() {
        return new OutputPaths();
    }

    /** An output named {@code label} (e.g. "--report", "the sidecar of --out") in an existing directory; null is ignored. */
    public OutputPaths output(String label, Path path) {
        return add(label, path, true, true);
    }

    /** An output whose directory the command creates; null is ignored. */
    public OutputPaths outputInNewDirectory(String label, Path path) {
        return add(label, path, true, false);
    }

    /** An input that no output may overwrite; null is ignored. */
    public OutputPaths input(String label, Path path) {
        return add(label, path, false, false);
    }

    private OutputPaths add(String label, Path path, boolean output, boolean dirMustExist) {
        if (path != null) {
            paths.add(new Named(label, path, key(path), output, dirMustExist));
        }
        return this;
    }

    /**
     * @throws IllegalArgumentException naming both options and the file when an output is another
     *                                  output or an input, or naming the option and the directory
     *                                  when an output's directory is missing
     */
    public void verify() {
        for (int i = 0; i < paths.size(); i++) {
            Named a = paths.get(i);
            Path dir = a.path.toAbsolutePath().getParent();
            if (a.dirMustExist && dir != null && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException(a.label + " " + a.path + ": the directory " + dir
                        + (Files.exists(dir) ? " is not a directory" : " does not exist"));
            }
            for (int j = 0; j < i; j++) {
                Named b = paths.get(j);
                if ((a.output || b.output) && a.key.equals(b.key)) {
                    Named out = a.output ? a : b;
                    Named other = out == a ? b : a;
                    throw new IllegalArgumentException(out.label + " " + out.path + " and " + other.label + " "
                            + other.path + " are the same file (" + out.key + "): "
                            + (other.output ? "give every output its own file" : "an output must not overwrite an input"));
                }
            }
        }
    }

    /** The real path of {@code p}, or of its nearest existing parent with the rest appended (as the kernel would). */
    static Path key(Path p) {
        Path abs = p.toAbsolutePath();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            if (parent == null) {
                return abs.normalize();
            }
            Path base = key(parent);
            String name = abs.getFileName().toString();
            if (name.equals(".")) {
                return base;
            }
            if (name.equals("..")) {
                return base.getParent() == null ? base : base.getParent();
            }
            return base.resolve(name);
        }
    }
}
