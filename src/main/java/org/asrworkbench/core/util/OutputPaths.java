package org.asrworkbench.core.util;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The check every command with several outputs runs before any work: no two of its outputs (a
 * model, its sidecar, a report, logits, tables, checkpoints) are the same file, and no output is
 * one of its inputs. Paths are compared as real paths (symbolic links and {@code ..} resolved),
 * also when the file does not exist yet: then its nearest existing parent is resolved.
 */
public final class OutputPaths {
    private record Named(String label, Path path, Path key, boolean output) {
    }

    private final List<Named> paths = new ArrayList<>();

    private OutputPaths() {
    }

    public static OutputPaths check() {
        return new OutputPaths();
    }

    /** An output named {@code label} (e.g. "--report", "the sidecar of --out"); null is ignored. */
    public OutputPaths output(String label, Path path) {
        return add(label, path, true);
    }

    /** An input that no output may overwrite; null is ignored. */
    public OutputPaths input(String label, Path path) {
        return add(label, path, false);
    }

    private OutputPaths add(String label, Path path, boolean output) {
        if (path != null) {
            paths.add(new Named(label, path, key(path), output));
        }
        return this;
    }

    /**
     * @throws IllegalArgumentException naming both options and the file when an output is another
     *                                  output or an input
     */
    public void verify() {
        for (int i = 0; i < paths.size(); i++) {
            Named a = paths.get(i);
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
