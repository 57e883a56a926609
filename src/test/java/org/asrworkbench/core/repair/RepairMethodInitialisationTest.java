package org.asrworkbench.core.repair;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * RepairMethod's constants are BuiltinMethod's values while BuiltinMethod initialises RepairMethod
 * first (default methods): reaching the built-ins through {@link RepairMethods} before any
 * constant was read once left every constant null for the rest of the JVM (a {@code select}
 * after a {@code repair} in one process failed with "method"). Each check runs on the package
 * loaded afresh, so the test does not depend on what other tests initialised.
 */
class RepairMethodInitialisationTest {
    private static final String PACKAGE = "org.asrworkbench.core.repair.";

    /** Loads this package's classes itself (everything else from the test's loader). */
    private static final class FreshPackage extends URLClassLoader {
        FreshPackage() {
            super(new URL[] {RepairMethods.class.getProtectionDomain().getCodeSource().getLocation()},
                    RepairMethodInitialisationTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    @Test
    void constantsAreSetWhenTheRegistryIsReachedFirst() throws Exception {
        for (String first : new String[] {"builtin", "builtins", "parse"}) {
            try (FreshPackage fresh = new FreshPackage()) {
                Class<?> registry = Class.forName(PACKAGE + "RepairMethods", true, fresh);
                if (first.equals("builtins")) {
                    registry.getMethod(first).invoke(null);
                } else {
                    registry.getMethod(first, String.class).invoke(null, "asr");
                }
                Class<?> method = Class.forName(PACKAGE + "RepairMethod", true, fresh);
                for (String constant : new String[] {"NONE", "BN_RECAL", "ASR", "STAT_CORR"}) {
                    assertNotNull(method.getField(constant).get(null), constant + " after RepairMethods." + first);
                }
            }
        }
    }
}
