package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.store.MigrationStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * One migration from the first state to the close-out on the emulator. The test is customer
 * and staff at once, and acts only through the emails read back from the emulator and the
 * links in them, over HTTP.
 */
class MigrationEndToEndTest extends CloudTest {

    @Test
    void migrationRunsFromQuestionnaireToCloseOutThroughEmailedLinks() {
        String id = "M-E2E-1";
        String arn = cloud.startMigration(id, input("e2e", FAST, null));
        String zoneId = shared.zone("e2e");
        String domain = SharedCloud.domain("e2e") + ".";
        Mailbox mail = cloud.mailbox();

        // Phase 1: the questionnaire, answered by the customer.
        Mailbox.Mail questionnaire = mail.await(id, "QUESTIONNAIRE", WAIT);
        assertThat(holders()).as("the migration holds its names while it runs").containsExactly(id, id);
        assertThat(browser.get(questionnaire.link("Fragebogen ausfüllen")).title()).isEqualTo("Fragebogen zu Ihrem Umzug");
        answerQuestionnaire(questionnaire, Map.of());

        // Phase 2: staff prepare the cluster, the copy is reported done by staff (no webhook here).
        Mailbox.Mail prepare = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        try (Route53Client r53 = cloud.route53()) {
            // Phase 1 is over: both moving records carry the lowered TTL, the mail record is untouched.
            Map<String, Long> ttls = r53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                    .filter(r -> r.typeAsString().equals("A")).collect(Collectors.toMap(ResourceRecordSet::name, ResourceRecordSet::ttl));
            assertThat(ttls).containsEntry(domain, 300L).containsEntry("www." + domain, 300L).containsEntry("mail." + domain, 3600L);
        }
        confirm(prepare, "Cluster ist vorbereitet", Map.of());
        mail.await(id, "CODE_FREEZE", WAIT);
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen",
                Map.of("files", "48213", "bytes", "12884901888", "tables", "312", "databaseBytes", "3758096384", "durationSeconds", "1260"));

        // Phase 3: the customer tests and reports success.
        mail.await(id, "COPY_DONE", WAIT);
        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());

        // Phase 5: the customer books the first offered slot.
        String slot = bookFreeSlot(mail.await(id, "SLOT_BOOKING", WAIT).link("Termin wählen"));
        mail.await(id, "GO_LIVE_CONFIRMED", WAIT);

        // Phase 6: maintenance on, final copy, maintenance off, check, DNS switch.
        confirm(mail.await(id, "MAINTENANCE_ON", WAIT), "Wartungsmodus ist aktiv", Map.of());
        confirm(mail.await(id, "FINAL_COPY", WAIT), "Kopie abgeschlossen", Map.of("files", "211", "durationSeconds", "95"));
        confirm(mail.await(id, "MAINTENANCE_OFF", WAIT), "Wartungsmodus ist aus", Map.of());
        confirm(mail.await(id, "GO_LIVE_CHECK", WAIT), "Alles funktioniert", Map.of());
        mail.await(id, "GO_LIVE_DONE", WAIT);

        // Phase 7: the error window passes, the close-out restores the TTLs and sums up.
        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).as(String.valueOf(end.cause())).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(holders()).as("the close-out gave the names back for other migrations").isEmpty();
        try (var sfn = cloud.sfn()) {
            // What Step Functions bills: every state entered (retries would count too). The plan's budget is 200.
            long transitions = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events().stream()
                    .filter(e -> e.typeAsString().endsWith("StateEntered")).count();
            assertThat(transitions).isBetween(30L, 200L);
        }

        try (Route53Client r53 = cloud.route53()) {
            Map<String, ResourceRecordSet> zone = r53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets()
                    .stream().filter(r -> r.typeAsString().equals("A")).collect(Collectors.toMap(ResourceRecordSet::name, r -> r));
            assertThat(zone.get(domain).resourceRecords().get(0).value()).isEqualTo("198.51.100.20");
            assertThat(zone.get("www." + domain).resourceRecords().get(0).value()).isEqualTo("198.51.100.20");
            assertThat(zone.get(domain).ttl()).isEqualTo(3600L);
            assertThat(zone.get("www." + domain).ttl()).isEqualTo(3600L);
            assertThat(zone.get("mail." + domain).resourceRecords().get(0).value()).isEqualTo("203.0.113.25");
        }

        List<String> sent = mail.forMigration(id).stream().map(m -> m.kind() + "->" + m.to().get(0)).toList();
        // The staff email of the countdown and the (compressed) day-before reminder may come in either order.
        int reminder = sent.indexOf("GO_LIVE_REMINDER->" + CUSTOMER);
        int countdown = sent.indexOf("GO_LIVE_WAIT->" + STAFF);
        if (reminder >= 0 && countdown > reminder) {
            sent = new java.util.ArrayList<>(sent);
            java.util.Collections.swap(sent, reminder, countdown);
        }
        assertThat(sent).containsExactly(
                "QUESTIONNAIRE->" + CUSTOMER,
                "CLUSTER_PREPARATION->" + STAFF,
                "CODE_FREEZE->" + CUSTOMER,
                "INITIAL_COPY->" + STAFF,
                "COPY_DONE->" + CUSTOMER,
                "TEST_RESULTS->" + CUSTOMER,
                "SLOT_BOOKING->" + CUSTOMER,
                "GO_LIVE_CONFIRMED->" + CUSTOMER,
                "GO_LIVE_WAIT->" + STAFF,
                "GO_LIVE_REMINDER->" + CUSTOMER,
                "MAINTENANCE_ON->" + CUSTOMER,
                "FINAL_COPY->" + STAFF,
                "MAINTENANCE_OFF->" + STAFF,
                "GO_LIVE_CHECK->" + CUSTOMER,
                "GO_LIVE_DONE->" + CUSTOMER,
                "CLOSE_OUT_SUMMARY->" + CUSTOMER,
                "CLOSE_OUT_SUMMARY->" + STAFF);

        JsonNode record;
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            record = store.records().raw(id);
            // Task tokens stay server-side: none of them is in any email.
            List<String> tokens = store.table().query(id, "WAIT#").stream().map(w -> w.get("taskToken").s()).toList();
            assertThat(tokens).hasSize(10);
            for (Mailbox.Mail m : mail.forMigration(id)) {
                String raw = new String(m.raw(), java.nio.charset.StandardCharsets.UTF_8) + m.text() + m.html();
                tokens.forEach(token -> assertThat(raw).doesNotContain(token));
            }
        }
        // The audit trail: every action with time, actor and, for people, where the click came from.
        List<AuditEntry> trail;
        try (var dynamo = cloud.dynamoDb()) {
            trail = new MigrationStore(dynamo, cloud.tableName()).audit().trail(id);
        }
        assertThat(trail).isSortedAccordingTo(java.util.Comparator.comparing(AuditEntry::at));
        assertThat(trail).allSatisfy(e -> assertThat(e.actor()).as(e.toString()).isIn("system", "customer", "staff", "anonymous"));
        // Other tests send forged links for this migration id at the same time: rejected and recorded, with their source.
        assertThat(trail).filteredOn(e -> e.actor().equals("anonymous"))
                .allSatisfy(e -> assertThat(e.action()).startsWith("link rejected: "))
                .allSatisfy(e -> assertThat(e.sourceIp()).isNotBlank());
        assertThat(trail).filteredOn(e -> e.actor().equals("customer") || e.actor().equals("staff")).hasSize(9)
                .allSatisfy(e -> assertThat(e.sourceIp()).as(e.action()).isEqualTo("127.0.0.1"));
        assertThat(trail).filteredOn(e -> e.actor().equals("customer")).extracting(AuditEntry::action)
                .containsExactly("questionnaire (QUESTIONNAIRE round 1)", "tests passed (TEST_RESULTS round 1)",
                        "book slot (SLOT_BOOKING round 1)", "maintenance on (MAINTENANCE_ON round 1)", "go live ok (GO_LIVE_CHECK round 1)");
        assertThat(trail).filteredOn(e -> e.actor().equals("staff")).hasSize(4);
        assertThat(trail).extracting(AuditEntry::action).containsSubsequence("migration opened",
                "Route 53: lower the TTL to 300 s", "Route 53: switch to 198.51.100.20", "Route 53: restore the original TTLs");
        assertThat(trail).filteredOn(e -> e.action().startsWith("Route 53")).hasSize(3)
                .allSatisfy(e -> assertThat(e.detail()).startsWith("zone " + zoneId + ": "));
        // Every email sent is in the trail: each ask and each notice.
        // Every email sent is in the trail, once.
        assertThat(trail).filteredOn(e -> e.action().startsWith("email sent: "))
                .extracting(e -> e.action().substring("email sent: ".length()))
                .containsExactlyInAnyOrderElementsOf(mail.forMigration(id).stream().map(Mailbox.Mail::kind).toList());

        assertThat(record.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(record.path("closedAt").asText()).isNotEmpty();
        List<Integer> phases = Json.convert(record.path("phaseLog"), JsonNode.class).findValues("phase").stream()
                .map(JsonNode::asInt).toList();
        assertThat(phases).containsExactly(1, 2, 3, 5, 6, 7);
        assertThat(record.path("answers").path("shopSystem").asText()).isEqualTo("SHOPWARE");
        assertThat(record.path("answers").path("databaseSizeGb").decimalValue()).isEqualByComparingTo("3.5");
        assertThat(record.path("copies")).hasSize(2);
        assertThat(record.path("copies").get(0).path("files").asLong()).isEqualTo(48213L);
        assertThat(record.path("booking").path("start").asText()).isEqualTo(slot);
        assertThat(record.path("downtime").path("seconds").isIntegralNumber()).isTrue();
        assertThat(record.path("dns").path("originals")).hasSize(2);
        assertThat(record.path("dns").path("originals").path(SharedCloud.domain("e2e") + "|A").path("ttl").asLong()).isEqualTo(3600L);
        for (String field : List.of("loweredAt", "switchedAt", "restoredAt")) {
            assertThat(record.path("dns").path(field).asText()).as(field).isNotEmpty();
        }
        assertThat(record.path("decisions").findValues("decision").stream().map(JsonNode::asText).toList())
                .containsExactly("ANSWERED", "DONE", "SUCCEEDED", "PASSED", "BOOKED", "MAINTENANCE_ON", "SUCCEEDED",
                        "MAINTENANCE_OFF", "ALL_GOOD");
        // The close-out's last step: every item left behind has its deletion time.
        DataExpiryAssertions.everyItemExpires(cloud, id, java.time.Duration.ofSeconds(30));

        // docs/operations.md: a cleanup started by hand for an ended migration (one that ended on
        // a version without deletion times) changes nothing but gives back the missing times.
        try (var dynamo = cloud.dynamoDb(); var sfn = cloud.sfn()) {
            dynamo.updateItem(b -> b.tableName(cloud.tableName())
                    .key(Map.of("pk", AttributeValue.fromS(de.shopmigration.core.store.Items.pk(id)), "sk", AttributeValue.fromS(de.shopmigration.core.store.Items.RECORD)))
                    .updateExpression("REMOVE " + de.shopmigration.core.Retention.ATTRIBUTE));
            String backfill = sfn.startExecution(b -> b.stateMachineArn(cloud.stateMachineArn("CleanupStateMachine"))
                    .name(id + "-cleanup-backfill").input("{\"detail\": {\"name\": \"" + id + "\", \"status\": \"SUCCEEDED\"}}"))
                    .executionArn();
            assertThat(cloud.awaitEnd(backfill, WAIT).status()).as(cloud.diagnose(backfill))
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(new MigrationStore(dynamo, cloud.tableName()).records().raw(id).path("status").asText()).isEqualTo("COMPLETED");
        }
        DataExpiryAssertions.everyItemExpires(cloud, id, java.time.Duration.ofSeconds(5));
    }

    /** Who holds the names this migration moves (the domain and www.), as the table says. */
    private List<String> holders() {
        String domain = SharedCloud.domain("e2e");
        try (var dynamo = cloud.dynamoDb()) {
            var holds = new MigrationStore(dynamo, cloud.tableName()).domainHolds();
            return java.util.stream.Stream.of(domain, "www." + domain)
                    .flatMap(n -> holds.hold(n).stream()).map(de.shopmigration.core.store.DomainHolds.Hold::holder).toList();
        }
    }
}
