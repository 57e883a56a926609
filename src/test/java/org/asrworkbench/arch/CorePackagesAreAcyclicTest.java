package org.asrworkbench.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * No cycle between the core's packages (each {@code core.X} with its sub-packages is one slice):
 * for example the statistics pass takes the per-unit repair decision as an argument, so
 * {@code core.stats} does not depend on {@code core.repair}, which depends on it.
 */
class CorePackagesAreAcyclicTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.asrworkbench.core");

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("org.asrworkbench.core.(*)..").should().beFreeOfCycles().check(classes);
    }
}
