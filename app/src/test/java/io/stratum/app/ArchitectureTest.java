package io.stratum.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layering (DESIGN.md §2): core never imports server, CLI, store or driver code; the CLI speaks only REST. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stratum");

    @Test
    void coreDependsOnNoServerCliStoreOrDriverCode() {
        noClasses().that().resideInAPackage("io.stratum.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.stratum.server..", "io.stratum.cli..", "io.stratum.store..", "io.stratum.app..",
                        "io.javalin..", "org.eclipse.jetty..", "picocli..", "org.jdbi..", "org.flywaydb..",
                        "org.sqlite..", "org.postgresql..", "com.zaxxer..", "java.sql..", "com.fasterxml.jackson..")
                .check(CLASSES);
    }

    @Test
    void theCliTalksOnlyToTheRestApi() {
        noClasses().that().resideInAPackage("io.stratum.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.stratum.server..", "io.stratum.store..",
                        "io.stratum.core.service..", "io.stratum.core.port..", "org.jdbi..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void theStoreKnowsNothingOfHttp() {
        noClasses().that().resideInAPackage("io.stratum.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.stratum.server..", "io.stratum.cli..", "io.javalin..")
                .check(CLASSES);
    }
}
