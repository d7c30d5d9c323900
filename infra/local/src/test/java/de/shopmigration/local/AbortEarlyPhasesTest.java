package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

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

    /**
     * A permanent failure (Route 53 refuses the first read of the zone: access denied) ends the
     * execution through the abort path, which keeps the failure in the record; the cleanup state
     * machine then tells staff what failed and the customer only that a technical problem stopped
     * the migration.
     */
    @Test
    void aPermanentFailureInPhase1IsKeptForStaffAndCleanedUpWithoutShowingTheCustomerItsDetails() throws Exception {
        String id = "M-ABORT-FAIL";
        String zoneId = shared.zone("abort-fail");
        AtomicBoolean refused = new AtomicBoolean();
        String arn;
        try (AutoCloseable faults = cloud.front().inject((method, path, auth, body) ->
                method.equals("GET") && path.startsWith("/2013-04-01/hostedzone/" + zoneId + "/rrset") && refused.compareAndSet(false, true)
                        ? new LambdaFront.Reply(403, "text/xml", ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                                + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not allowed on this zone (injected)</Message></Error>"
                                + "<RequestId>injected</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8))
                        : null)) {
            arn = cloud.startMigration(id, input("abort-fail", FAST, null));
            DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
            assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(end.error()).isEqualTo("de.shopmigration.core.PermanentAwsFailure");
        }
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail toStaff = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(STAFF),
                WAIT, "abort notice to staff");
        Mailbox.Mail toCustomer = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                WAIT, "abort notice to the customer");
        assertThat(toStaff.plain()).contains("PermanentAwsFailure", "AccessDenied");
        assertThat(toCustomer.plain()).contains("ein technisches Problem").doesNotContain("AccessDenied", "PermanentAwsFailure");

        MigrationRecord record = record(id);
        assertThat(record.status()).isEqualTo("ABORTED");
        assertThat(record.abort().by()).isEqualTo("system");
        assertThat(record.failure().error()).isEqualTo("de.shopmigration.core.PermanentAwsFailure");
        assertThat(record.failure().cause()).contains("AccessDenied");

        // Exactly one cleanup ran for this migration, and it finished (the emails are its last
        // step, so it may still be moving to its end state when they arrive).
        try (SfnClient sfn = cloud.sfn()) {
            List<DescribeExecutionResponse> cleanups = sfn.listExecutionsPaginator(b -> b.stateMachineArn(cloud.stateMachineArn("CleanupStateMachine")))
                    .executions().stream().map(e -> sfn.describeExecution(b -> b.executionArn(e.executionArn())))
                    .filter(d -> d.input().contains(arn)).toList();
            assertThat(cleanups).singleElement().satisfies(c -> {
                assertThat(c.name()).as("staff find the cleanup by the migration's id").matches(id + "-cleanup-[0-9a-z]+");
                assertThat(cloud.awaitEnd(c.executionArn(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            });
        }
    }
    /**
     * A cleanup that cannot put the DNS records back (Route 53 refuses every change to the zone)
     * does not end silently: staff get an email naming each record with the values and TTL to put
     * back and how to redrive the cleanup, and the cleanup execution fails (its alarm fires).
     */
    @Test
    void aCleanupThatCannotPutTheRecordsBackTellsStaffWhatIsLeftAndFails() throws Exception {
        String id = "M-ABORT-STUCK";
        String zoneId = shared.zone("abort-stuck");
        String arn = cloud.startMigration(id, input("abort-stuck", FAST, null));
        cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        awaitLowered(id);
        try (AutoCloseable faults = cloud.front().inject((method, path, auth, body) ->
                method.equals("POST") && path.startsWith("/2013-04-01/hostedzone/" + zoneId + "/rrset")
                        ? new LambdaFront.Reply(403, "text/xml", ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                                + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not allowed on this zone (injected)</Message></Error>"
                                + "<RequestId>injected</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8))
                        : null)) {
            try (SfnClient sfn = cloud.sfn()) {
                sfn.stopExecution(b -> b.executionArn(arn).cause("Stopped in the console"));
            }
            Mailbox.Mail toStaff = cloud.mailbox().await(m -> id.equals(m.migrationId()) && m.kind().equals("CLEANUP_FAILED"), WAIT,
                    "the cleanup's failure, to staff");
            assertThat(toStaff.to()).contains(STAFF);
            assertThat(toStaff.subject()).contains("Abbruch nicht abgeschlossen");
            String domain = SharedCloud.domain("abort-stuck");
            assertThat(toStaff.plain()).contains(domain + " (A, ", "www." + domain + " (A, ", SharedCloud.OLD_IP, "TTL 3600 Sekunden",
                    "PermanentAwsFailure", "ABORTING", "Redrive").doesNotContain("injected");
            try (SfnClient sfn = cloud.sfn()) {
                List<DescribeExecutionResponse> cleanups = sfn.listExecutionsPaginator(b -> b.stateMachineArn(cloud.stateMachineArn("CleanupStateMachine")))
                        .executions().stream().map(e -> sfn.describeExecution(b -> b.executionArn(e.executionArn())))
                        .filter(d -> d.input().contains(arn)).toList();
                assertThat(cleanups).singleElement().satisfies(c -> {
                    DescribeExecutionResponse end = cloud.awaitEnd(c.executionArn(), WAIT);
                    assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
                    assertThat(end.error()).isEqualTo("CleanupFailed");
                });
            }
        }
        assertThat(cloud.mailbox().forMigration(id)).as("the customer is not told the migration was rolled back").noneMatch(m -> m.kind().equals("ABORTED"));
        assertThat(cloud.mailbox().forMigration(id)).filteredOn(m -> m.kind().equals("CLEANUP_FAILED")).hasSize(1);
    }
}
