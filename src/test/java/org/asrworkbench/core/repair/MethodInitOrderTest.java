package org.asrworkbench.core.repair;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The built-in methods are usable whichever class a run touches first. Interface constants that
 * named {@code BuiltinMethod}'s values were null for the whole run when the enum was initialised
 * before the interface (the enum's initialisation initialises the interface, since it has default
 * methods, while the enum's constants are not set yet): {@code auto}'s default candidates then
 * failed with "method" null, depending on test order.
 */
class MethodInitOrderTest {

    @Test
    void theEnumFirstThenTheCandidatesThatNameIt() throws Exception {
        URL classes = Path.of("target/classes").toUri().toURL();
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                // the project's own classes anew, everything else (Jackson, DJL...) from the test's class path
                if (name.startsWith("org.asrworkbench.")) {
                    return super.loadClass(name, resolve);
                }
                return MethodInitOrderTest.class.getClassLoader().loadClass(name);
            }
        }) {
            Class<?> builtin = Class.forName("org.asrworkbench.core.repair.BuiltinMethod", true, fresh);
            assertNotNull(builtin.getEnumConstants()[0]);
            Class<?> auto = Class.forName("org.asrworkbench.core.experiments.AutoSelect", true, fresh);
            List<?> candidates = (List<?>) auto.getField("DEFAULT_CANDIDATES").get(null);
            assertEquals(9, candidates.size());
            for (Object c : candidates) {
                assertNotNull(c.getClass().getMethod("method").invoke(c), "a candidate without a method");
            }
        }
    }
}
