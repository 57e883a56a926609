package org.asrworkbench.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The core (and the command line on top of it) never touches JavaFX; only the app does. */
class CoreIsUiFreeTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.asrworkbench");

    @Test
    void coreHasNoJavaFx() {
        noClasses().that().resideInAPackage("org.asrworkbench.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnCliOrApp() {
        noClasses().that().resideInAPackage("org.asrworkbench.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.asrworkbench.cli..", "org.asrworkbench.app..")
                .check(classes);
    }

    @Test
    void cliHasNoJavaFx() {
        noClasses().that().resideInAPackage("org.asrworkbench.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(classes);
    }
}
