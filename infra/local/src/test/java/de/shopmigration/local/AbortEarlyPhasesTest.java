package de.shopmigration.local;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Aborts in phases 1 to 4 (planning, moving the application, test run, optimisation). */
class AbortEarlyPhasesTest extends AbortCloudTest {

    @Test
    void abortInPhase1PlanningFromTheConsole() throws InterruptedException {
        String id = "M-ABORT-P1";
        String arn = cloud.startMigration(id, input("abort-1", FAST, null));
        Mailbox.Mail questionnaire = cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        awaitLowered(id);
        stopInTheConsole(id, arn);
        assertCleanedUp(id, arn, "abort-1", false, questionnaire.link("Fragebogen ausfüllen"), null);
    }

    @Test
    void abortInPhase2MovingTheApplicationByStaffLink() {
        String id = "M-ABORT-P2";
        String arn = cloud.startMigration(id, input("abort-2", FAST, null));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        Mailbox.Mail prepare = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        abortByStaffLink(prepare);
        assertCleanedUp(id, arn, "abort-2", true, prepare.link("Cluster ist vorbereitet"), null);
    }

    @Test
    void abortInPhase3TestRunByStaffLink() {
        String id = "M-ABORT-P3";
        String arn = cloud.startMigration(id, input("abort-3", FAST, null));
        Mailbox.Mail copy = throughTheInitialCopy(id, Map.of());
        Mailbox.Mail tests = cloud.mailbox().await(id, "TEST_RESULTS", WAIT);
        abortByStaffLink(copy);
        assertCleanedUp(id, arn, "abort-3", true, tests.link("Alle Tests bestanden"), null);
    }

    @Test
    void abortInPhase4OptimisationByStaffLink() {
        String id = "M-ABORT-P4";
        String arn = cloud.startMigration(id, input("abort-4", FAST, null));
        throughTheTestRun(id, Map.of("optimisationOrdered", "true"));
        Mailbox.Mail optimise = cloud.mailbox().await(id, "OPTIMISATION", WAIT);
        abortByStaffLink(optimise);
        assertCleanedUp(id, arn, "abort-4", true, optimise.link("Optimierung abgeschlossen"), null);
    }
}
