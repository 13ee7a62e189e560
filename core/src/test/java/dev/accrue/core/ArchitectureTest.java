package dev.accrue.core;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.time.Clock;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps core a pure domain: JDK only, no I/O, and time passed in rather than read from a clock. */
@AnalyzeClasses(packages = "dev.accrue.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyJdkDependencies = classes().that().resideInAPackage("dev.accrue.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.accrue.core..");

    @ArchTest
    static final ArchRule noIo = noClasses().that().resideInAPackage("dev.accrue.core..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.sql..");

    @ArchTest
    static final ArchRule noClock = noClasses().that().resideInAPackage("dev.accrue.core..")
            .should().dependOnClassesThat().areAssignableTo(Clock.class);

    // LocalDate.now(), Instant.now() and friends read the system clock implicitly.
    @ArchTest
    static final ArchRule noImplicitClockReads = noClasses().that().resideInAPackage("dev.accrue.core..")
            .should().callMethodWhere(describe("a java.time now() or System time read",
                    call -> (call.getTargetOwner().getPackageName().equals("java.time") && call.getName().equals("now"))
                            || (call.getTargetOwner().isEquivalentTo(System.class)
                            && (call.getName().equals("currentTimeMillis") || call.getName().equals("nanoTime")))));
}
