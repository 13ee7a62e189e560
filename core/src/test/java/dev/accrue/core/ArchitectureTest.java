package dev.accrue.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps core a pure domain: JDK only, no I/O, and time passed in rather than read from a clock. Rules are checked
 * from plain Jupiter tests so they run (and fail the build) under the same engine as every other test here.
 */
class ArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.accrue.core");
        // Guards against a vacuous pass if the import ever finds nothing.
        assertThat(core.size()).isGreaterThan(10);
    }

    @Test
    void dependsOnlyOnTheJdk() {
        classes().that().resideInAPackage("dev.accrue.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.accrue.core..")
                .check(core);
    }

    @Test
    void doesNoIo() {
        noClasses().that().resideInAPackage("dev.accrue.core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.sql..")
                .check(core);
    }

    @Test
    void neverTouchesAClock() {
        noClasses().that().resideInAPackage("dev.accrue.core..")
                .should().dependOnClassesThat().areAssignableTo(Clock.class)
                .check(core);
    }

    // LocalDate.now(), Instant.now() and friends read the system clock implicitly.
    @Test
    void neverReadsTheSystemTime() {
        noClasses().that().resideInAPackage("dev.accrue.core..")
                .should().callMethodWhere(describe("a java.time now() or System time read",
                        call -> (call.getTargetOwner().getPackageName().equals("java.time") && call.getName().equals("now"))
                                || (call.getTargetOwner().isEquivalentTo(System.class)
                                && (call.getName().equals("currentTimeMillis") || call.getName().equals("nanoTime")))))
                .check(core);
    }
}
