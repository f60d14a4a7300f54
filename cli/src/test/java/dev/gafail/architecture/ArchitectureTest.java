package dev.gafail.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules between packages as tests, over the main classes of cli, the lab and servers
 * (everything on this module's class path that is gafail's own): one room per concern, no cycles.
 * The direction between modules needs no rule here: Maven compiles each against only what it names.
 */
class ArchitectureTest {

    private static JavaClasses gafail;

    @BeforeAll
    static void importClasses() {
        gafail = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.gafail");
    }

    @Test
    void theEngineKnowsNeitherCommandsNorAwsNorStepTypesNorNotificationChannels() {
        noClasses().that().resideInAPackage("dev.gafail.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.cli..", "dev.gafail.aws..",
                        "dev.gafail.actions..", "dev.gafail.notify..")
                .check(gafail);
    }

    @Test
    void notificationChannelsKnowNeitherCommandsNorUseCasesNorStepTypes() {
        noClasses().that().resideInAPackage("dev.gafail.notify..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.cli..", "dev.gafail.app..",
                        "dev.gafail.actions..")
                .check(gafail);
    }

    @Test
    void stepTypesNeverReachIntoTheCommands() {
        noClasses().that().resideInAPackage("dev.gafail.actions..")
                .should().dependOnClassesThat().resideInAPackage("dev.gafail.cli..")
                .check(gafail);
    }

    @Test
    void theUseCasesKnowNoCommandLine() {
        noClasses().that().resideInAPackage("dev.gafail.app..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.cli..", "picocli..")
                .check(gafail);
    }

    @Test
    void theRunbookLanguageStandsOnItsOwn() {
        noClasses().that().resideInAPackage("dev.gafail.runbook..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.engine..", "dev.gafail.cli..",
                        "dev.gafail.actions..", "dev.gafail.aws..")
                .check(gafail);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.gafail.(**)").should().beFreeOfCycles().check(gafail);
    }

    @Test
    void theYamlToolkitIsALeaf() {
        noClasses().that().resideInAPackage("dev.gafail.yaml..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.cli..", "dev.gafail.app..",
                        "dev.gafail.engine..", "dev.gafail.runbook..", "dev.gafail.topology..", "dev.gafail.actions..",
                        "dev.gafail.aws..", "dev.gafail.lab..")
                .check(gafail);
    }

    @Test
    void theAwsWireProtocolLayerServesTheLabAndTheTestsAlikeAndKnowsNeither() {
        noClasses().that().resideInAPackage("dev.gafail.lab.aws.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.gafail.lab", "dev.gafail.lab.aws",
                        "dev.gafail.lab.edge..", "dev.gafail.lab.postgres..", "dev.gafail.cli..", "dev.gafail.engine..",
                        "dev.gafail.aws..", "dev.gafail.actions..", "dev.gafail.app..")
                .check(gafail);
    }

    @Test
    void theLabsControlPlaneSeesTheLabOnlyThroughItsInterface() {
        noClasses().that().resideInAPackage("dev.gafail.lab.aws..")
                .should().dependOnClassesThat().resideInAPackage("dev.gafail.lab")
                .check(gafail);
    }
}
