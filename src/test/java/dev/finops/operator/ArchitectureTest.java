package dev.finops.operator;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md §4, enforced: packages never depend on each other in a circle, the domain model is a
 * leaf, and the pure core (model, pricing, cost, the capacity planner) does no Kubernetes or framework I/O.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.finops.operator";
    /** Packages of plain Java: computed from their inputs, tested without a cluster. */
    private static final String[] PURE = {ROOT + ".model..", ROOT + ".pricing..", ROOT + ".cost..",
        ROOT + ".pool.plan.."};
    /** What the pure core must never touch: the Kubernetes client, the operator framework, CDI, Quarkus. */
    private static final String[] IO = {"io.fabric8.kubernetes.client..", "io.javaoperatorsdk..",
        "io.quarkus..", "jakarta.enterprise..", "jakarta.inject..", "io.micrometer.."};

    private static JavaClasses operator;

    @BeforeAll
    static void importOperator() {
        operator = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(operator);
    }

    @Test
    void theModelIsALeaf() {
        noClasses().that().resideInAPackage(ROOT + ".model..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAPackage(ROOT + ".model.."))))
                .check(operator);
    }

    @Test
    void thePureCoreDoesNoKubernetesOrFrameworkIo() {
        noClasses().that().resideInAnyPackage(PURE)
                .should().dependOnClassesThat(resideInAnyPackage(IO))
                .check(operator);
    }

    @Test
    void theWorkloadVerdictIsPure() {
        noClasses().that().haveFullyQualifiedName(ROOT + ".workload.WorkloadVerdict")
                .or().haveFullyQualifiedName(ROOT + ".idle.IdleFindings")
                .should().dependOnClassesThat(resideInAnyPackage(IO))
                .check(operator);
    }

    @Test
    void thePureCoreDoesNotReachIntoTheIoLayers() {
        noClasses().that().resideInAnyPackage(PURE)
                .should().dependOnClassesThat(resideInAnyPackage(ROOT + ".cluster..", ROOT + ".budget..",
                        ROOT + ".pool", ROOT + ".pool.provider..", ROOT + ".idle..", ROOT + ".workload..",
                        ROOT + ".status..", ROOT + ".metrics..", ROOT + ".config.."))
                .check(operator);
    }
}
