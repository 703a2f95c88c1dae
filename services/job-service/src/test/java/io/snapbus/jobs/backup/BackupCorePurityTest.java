package io.snapbus.jobs.backup;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backup core ({@code io.snapbus.jobs.backup}, not its shell), the job engine's core it shares with other job
 * types ({@code io.snapbus.jobs.engine}, not its shell) and the restore's core ({@code io.snapbus.jobs.restore}) stay a pure function of their inputs: they import no Spring,
 * Kafka, Thrift, file or network IO, read no clock (time arrives in their inputs), and keep no state in static fields.
 * The build fails when any of that creeps in.
 */
class BackupCorePurityTest {
    private static final String CORE = "io.snapbus.jobs.backup";
    private static final String ENGINE = "io.snapbus.jobs.engine";
    private static final String RESTORE = "io.snapbus.jobs.restore";

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CORE, ENGINE, RESTORE)
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("in the core packages themselves",
                    c -> c.getPackageName().equals(CORE) || c.getPackageName().equals(ENGINE)
                            || c.getPackageName().equals(RESTORE)));

    @Test
    void theEngineCoreIsCovered() {
        org.assertj.core.api.Assertions.assertThat(core.stream().map(c -> c.getPackageName()).distinct())
                .as("packages the purity rules check").containsExactlyInAnyOrder(CORE, ENGINE, RESTORE);
    }

    @Test
    void theCoreUsesNoFrameworkBrokerRpcOrIo() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.kafka..", "org.apache.thrift..", "io.snapbus.kafka..",
                        "io.snapbus.thrift..", "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..",
                        "software.amazon..", "io.micrometer..", "io.snapbus.jobs.observe..")
                .because("the core is (job, input) -> (job', effects); the shell does the IO (and meters it)")
                .check(core);
    }

    @Test
    void theCoreReadsNoClock() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("now")))
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .because("time reaches the core in its inputs (nowMs), so a replay or a simulation decides it")
                .check(core);
        // The names the rule above catches by "now": kept here so a rename in java.time is noticed.
        java.util.List.of(Instant.class, LocalDate.class, LocalDateTime.class, OffsetDateTime.class,
                ZonedDateTime.class).forEach(type -> {
                    try {
                        type.getMethod("now");
                    } catch (NoSuchMethodException e) {
                        throw new AssertionError(type + " has no now()", e);
                    }
                });
    }

    @Test
    void theCoreKeepsNoStateInStaticFields() {
        noFields().that().areStatic().should().notBeFinal()
                .because("a static field the machine writes is state outside the job")
                .check(core);
        noFields().that().areStatic().should().haveRawType(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a collection or map", t -> t.isAssignableTo(Collection.class) || t.isAssignableTo(Map.class)))
                .because("a static collection in the core is a cache shared by every job")
                .check(core);
    }
}
