package org.asrworkbench.core.repair;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The built-in methods are usable whichever class a run touches first. {@code RepairMethod}'s
 * constants, which name {@code BuiltinMethod}'s values, were null for the whole run when the enum
 * was initialised before the interface (the enum's initialisation initialised the interface, which
 * had default methods, while the enum's constants were not set yet): {@code auto}'s default
 * candidates then failed with "method" null, depending on test order.
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
            assertNotNull(Class.forName("org.asrworkbench.core.repair.RepairMethod", true, fresh).getField("ASR").get(null));
            for (Object c : candidates) {
                assertNotNull(c.getClass().getMethod("method").invoke(c), "a candidate without a method");
            }
        }
    }
}
