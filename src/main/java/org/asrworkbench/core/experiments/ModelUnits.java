package org.asrworkbench.core.experiments;

import org.asrworkbench.core.model.ModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a sweep model's units differ between {@code --units all} and {@code bn}, that is
 * whether its graph has virtual units: this decides if its cells' ids record the units
 * ({@link SweepCell#canonical()}). The answer is read from the model's graph once per file
 * version (path, size, modification time) and kept for the JVM's life. A model that cannot be
 * opened counts as having none (its cells fail when the sweep opens it, under the same ids).
 */
final class ModelUnits {
    private static final Map<List<Object>, Boolean> KNOWN = new ConcurrentHashMap<>();

    private ModelUnits() {
    }

    static boolean selectionsDiffer(SweepModel m) {
        Path p = Path.of(m.path());
        List<Object> key;
        try {
            key = List.of(m, Files.size(p), Files.getLastModifiedTime(p).toMillis());
        } catch (Exception e) {
            return false;
        }
        return KNOWN.computeIfAbsent(key, k -> {
            try {
                return !ModelLoader.load(p, m.arch(), m.norm()).graph().unitSelectionsAgree();
            } catch (Exception e) {
                return false;
            }
        });
    }
}
