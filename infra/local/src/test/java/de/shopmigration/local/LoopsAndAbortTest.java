package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.MigrationStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The plan's loops and its way out: a failed copy is retried, problems found send the test run
 * round again, an ordered optimisation demands a full retest, and staff abort with a reason,
 * after which everything the migration changed is undone.
 */
class LoopsAndAbortTest extends CloudTest {

    @Test
    void copyRetryProblemLoopAndOptimisationRetestThenStaffAbortUndoesEverything() {
        String id = "M-LOOP-1";
        String arn = cloud.startMigration(id, input("loop", FAST, null));
        Mailbox mail = cloud.mailbox();

        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of("optimisationOrdered", "true"));
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());

        // The first copy fails; staff are told and the job goes out again.
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie fehlgeschlagen", Map.of("reason", "rsync: connection refused"));
        Mailbox.Mail failed = mail.await(id, "COPY_FAILED", WAIT);
        assertThat(failed.plain()).contains("rsync: connection refused");
        Mailbox.Mail second = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("INITIAL_COPY")
                && m.index() > failed.index(), WAIT, "second copy job");
        confirm(second, "Kopie abgeschlossen", Map.of());

        // Test run, round 1: problems found; staff fix them; round 2 asks for a retest.
        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Probleme melden", Map.of("description", "Warenkorb leert sich nach Login"));
        Mailbox.Mail fix = mail.await(id, "PROBLEM_FIX", WAIT);
        assertThat(fix.plain()).contains("Warenkorb leert sich nach Login");
        confirm(fix, "Probleme behoben", Map.of());
        Mailbox.Mail retest = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("TEST_RESULTS")
                && m.subject().contains("behoben"), WAIT, "retest after fix");
        confirm(retest, "Alle Tests bestanden", Map.of());

        // Ordered optimisation, then the full retest the plan insists on.
        confirm(mail.await(id, "OPTIMISATION", WAIT), "Optimierung abgeschlossen", Map.of());
        Mailbox.Mail optimised = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("TEST_RESULTS")
                && m.subject().contains("Optimierung abgeschlossen"), WAIT, "retest after optimisation");
        assertThat(optimised.text()).contains("WICHTIG");
        confirm(optimised, "Alle Tests bestanden", Map.of());

        // Go-live preparation: staff abort instead, from the link every staff email carries.
        Mailbox.Mail booking = mail.await(id, "SLOT_BOOKING", WAIT);
        LinkClient.Page abort = browser.get(fix.link("Migration abbrechen"));
        assertThat(abort.title()).isEqualTo("Migration abbrechen");
        assertThat(browser.submit(abort, Map.of("reason", "Kunde hat den Umzug verschoben")).status()).isEqualTo(200);

        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).as("a staff abort stops the execution, like a stop in the console").isEqualTo(ExecutionStatus.ABORTED);
        Mailbox.Mail toCustomer = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                WAIT, "abort notice to the customer");
        assertThat(toCustomer.plain()).as("without a message for the customer, the internal reason is not theirs to read")
                .doesNotContain("Kunde hat den Umzug verschoben").contains("besprechen wir gern persönlich");
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(STAFF), WAIT, "abort notice to staff");

        try (Route53Client r53 = cloud.route53()) {
            List<ResourceRecordSet> a = r53.listResourceRecordSets(b -> b.hostedZoneId(shared.zone("loop"))).resourceRecordSets()
                    .stream().filter(r -> r.typeAsString().equals("A")).toList();
            assertThat(a).hasSize(3).allSatisfy(r -> assertThat(r.ttl()).as(r.name()).isEqualTo(3600L));
            assertThat(a).filteredOn(r -> !r.name().startsWith("mail."))
                    .allSatisfy(r -> assertThat(r.resourceRecords().get(0).value()).isEqualTo(SharedCloud.OLD_IP));
        }
        LinkClient.Page revoked = browser.get(booking.link("Termin wählen"));
        assertThat(revoked.status()).isEqualTo(410);

        JsonNode record;
        try (var dynamo = cloud.dynamoDb()) {
            record = new MigrationStore(dynamo, cloud.tableName()).records().raw(id);
        }
        assertThat(record.path("status").asText()).isEqualTo("ABORTED");
        assertThat(record.path("abort").path("reason").asText()).isEqualTo("Kunde hat den Umzug verschoben");
        assertThat(record.path("abort").path("by").asText()).isEqualTo("staff");
        assertThat(record.path("phaseLog").findValues("phase").stream().map(JsonNode::asInt).toList())
                .containsExactly(1, 2, 3, 4, 3, 5);
        assertThat(record.path("decisions").findValues("decision").stream().map(JsonNode::asText).toList())
                .containsExactly("ANSWERED", "DONE", "FAILED", "SUCCEEDED", "PROBLEMS", "FIXED", "PASSED", "DONE", "PASSED");
    }
}
