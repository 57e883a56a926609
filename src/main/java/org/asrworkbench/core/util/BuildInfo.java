package org.asrworkbench.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version numbers, from {@code org/asrworkbench/build.properties} (filled in by
 * Maven): the workbench's version and the DJL, PyTorch and JavaFX versions it was built with.
 * The command line's {@code --version} and the window's Help › About both read them here.
 */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    /** The workbench's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return get("version");
    }

    /** The engine line: DJL and PyTorch versions. */
    public static String engine() {
        return "DJL " + get("djl") + " with PyTorch " + get("pytorch");
    }

    /** The JavaFX version built against. */
    public static String javafx() {
        return get("javafx");
    }

    private static String get(String key) {
        String v = PROPS.getProperty(key);
        return v == null || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/asrworkbench/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("build.properties: " + e.getMessage(), e);
        }
        return p;
    }
}
