package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Json;
import de.shopmigration.core.MigrationStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * One migration from the first state to the close-out on the emulator. The test is customer
 * and staff at once, and acts only through the emails read back from the emulator and the
 * links in them, over HTTP.
 */
class MigrationEndToEndTest {

    static final String CUSTOMER = "erika@muster-shop.example";
    static final String STAFF = "team@hosting.example";
    static final Duration WAIT = Duration.ofSeconds(60);

    static LocalCloud cloud;
    static String zoneId;

    @BeforeAll
    static void startCloud() throws Exception {
        cloud = LocalCloud.start(Repo.root(), line -> { });
        Map<String, String> records = new LinkedHashMap<>();
        records.put("muster-shop.example.", "203.0.113.10");
        records.put("www.muster-shop.example.", "203.0.113.10");
        records.put("mail.muster-shop.example.", "203.0.113.25");
        zoneId = cloud.createZone("muster-shop.example.", records, 3600);
        cloud.deploy(TestDeployment.parameters(List.of(zoneId)));
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void migrationRunsFromQuestionnaireToCloseOutThroughEmailedLinks() {
        String id = "M-E2E-1";
        String arn = cloud.startMigration(id, input(id));
        LinkClient browser = new LinkClient();
        Mailbox mail = cloud.mailbox();

        // Phase 1: the questionnaire, answered by the customer.
        Mailbox.Mail questionnaire = mail.await(id, "QUESTIONNAIRE", WAIT);
        LinkClient.Page form = browser.get(questionnaire.link("Fragebogen ausfüllen"));
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.title()).isEqualTo("Fragebogen zu Ihrem Umzug");
        LinkClient.Page done = browser.submit(form, Map.ofEntries(
                Map.entry("currentProvider", "Alt-Hosting AG"), Map.entry("shopSystem", "SHOPWARE"),
                Map.entry("shopVersion", "6.5.8"), Map.entry("phpVersion", "8.2"), Map.entry("databaseEngine", "MARIADB"),
                Map.entry("databaseSizeGb", "3,5"), Map.entry("fileSizeGb", "12"), Map.entry("emailHosting", "EXTERNAL"),
                Map.entry("tlsCertificates", "LETS_ENCRYPT"), Map.entry("contactPhone", "+49 30 1234567"),
                Map.entry("interfaces", "JTL-Wawi über REST")));
        assertThat(done.status()).as(done.text()).isEqualTo(200);

        // Phase 2: staff prepare the cluster, the copy is reported done by staff (no webhook here).
        confirm(browser, mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
        mail.await(id, "CODE_FREEZE", WAIT);
        confirm(browser, mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen",
                Map.of("files", "48213", "bytes", "12884901888", "tables", "312", "databaseBytes", "3758096384", "durationSeconds", "1260"));

        // Phase 3: the customer tests and reports success.
        mail.await(id, "COPY_DONE", WAIT);
        confirm(browser, mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());

        // Phase 5: the customer books the first offered slot.
        Mailbox.Mail booking = mail.await(id, "SLOT_BOOKING", WAIT);
        LinkClient.Page slots = browser.get(booking.link("Termin wählen"));
        String slot = slots.document().selectFirst("input[name=slot]").attr("value");
        assertThat(browser.submit(slots, Map.of("slot", slot)).status()).isEqualTo(200);
        mail.await(id, "GO_LIVE_CONFIRMED", WAIT);

        // Phase 6: maintenance on, final copy, maintenance off, check, DNS switch.
        confirm(browser, mail.await(id, "MAINTENANCE_ON", WAIT), "Wartungsmodus ist aktiv", Map.of());
        confirm(browser, mail.await(id, "FINAL_COPY", WAIT), "Kopie abgeschlossen", Map.of("files", "211", "durationSeconds", "95"));
        confirm(browser, mail.await(id, "MAINTENANCE_OFF", WAIT), "Wartungsmodus ist aus", Map.of());
        confirm(browser, mail.await(id, "GO_LIVE_CHECK", WAIT), "Alles funktioniert", Map.of());
        mail.await(id, "GO_LIVE_DONE", WAIT);

        // Phase 7: the error window passes, the close-out restores the TTLs and sums up.
        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).as(String.valueOf(end.cause())).isEqualTo(ExecutionStatus.SUCCEEDED);

        try (Route53Client r53 = cloud.route53()) {
            Map<String, ResourceRecordSet> zone = r53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets()
                    .stream().filter(r -> r.typeAsString().equals("A")).collect(Collectors.toMap(ResourceRecordSet::name, r -> r));
            assertThat(zone.get("muster-shop.example.").resourceRecords().get(0).value()).isEqualTo("198.51.100.20");
            assertThat(zone.get("www.muster-shop.example.").resourceRecords().get(0).value()).isEqualTo("198.51.100.20");
            assertThat(zone.get("muster-shop.example.").ttl()).isEqualTo(3600L);
            assertThat(zone.get("www.muster-shop.example.").ttl()).isEqualTo(3600L);
            assertThat(zone.get("mail.muster-shop.example.").resourceRecords().get(0).value()).isEqualTo("203.0.113.25");
        }

        List<String> sent = mail.forMigration(id).stream().map(m -> m.kind() + "->" + m.to().get(0)).toList();
        assertThat(sent).containsExactly(
                "QUESTIONNAIRE->" + CUSTOMER,
                "CLUSTER_PREPARATION->" + STAFF,
                "CODE_FREEZE->" + CUSTOMER,
                "INITIAL_COPY->" + STAFF,
                "COPY_DONE->" + CUSTOMER,
                "TEST_RESULTS->" + CUSTOMER,
                "SLOT_BOOKING->" + CUSTOMER,
                "GO_LIVE_CONFIRMED->" + CUSTOMER,
                "GO_LIVE_BOOKED->" + STAFF,
                "MAINTENANCE_ON->" + CUSTOMER,
                "FINAL_COPY->" + STAFF,
                "MAINTENANCE_OFF->" + STAFF,
                "GO_LIVE_CHECK->" + CUSTOMER,
                "GO_LIVE_DONE->" + CUSTOMER,
                "CLOSE_OUT_SUMMARY->" + CUSTOMER,
                "CLOSE_OUT_SUMMARY->" + STAFF);

        JsonNode record;
        try (var dynamo = cloud.dynamoDb()) {
            record = new MigrationStore(dynamo, cloud.tableName()).rawRecord(id);
        }
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
        assertThat(record.path("dns").path("originals").path("muster-shop.example|A").path("ttl").asLong()).isEqualTo(3600L);
        for (String field : List.of("loweredAt", "switchedAt", "restoredAt")) {
            assertThat(record.path("dns").path(field).asText()).as(field).isNotEmpty();
        }
        assertThat(record.path("decisions").findValues("decision").stream().map(JsonNode::asText).toList())
                .containsExactly("ANSWERED", "DONE", "SUCCEEDED", "PASSED", "BOOKED", "MAINTENANCE_ON", "SUCCEEDED",
                        "MAINTENANCE_OFF", "ALL_GOOD");
    }

    private static void confirm(LinkClient browser, Mailbox.Mail mail, String label, Map<String, String> values) {
        LinkClient.Page page = browser.get(mail.link(label));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        LinkClient.Page result = browser.submit(page, values);
        assertThat(result.status()).as(label + ": " + result.text()).isEqualTo(200);
    }

    static String input(String id) {
        return """
                {
                  "customer": {"name": "Erika Mustermann", "company": "Muster GmbH", "email": "%s", "language": "de"},
                  "staff": {"name": "Max Admin", "email": "%s"},
                  "shopName": "Muster-Shop",
                  "domains": [{"name": "muster-shop.example", "hostedZoneId": "%s"}],
                  "newIp": "198.51.100.20",
                  "timing": {"customerReminderSeconds": 600, "staffReminderSeconds": 600, "goLiveReminderSeconds": 600,
                             "dnsPollSeconds": 1, "errorWindowSeconds": 3, "slotLeadSeconds": 0, "slotWaitCapSeconds": 2}
                }
                """.formatted(CUSTOMER, STAFF, zoneId);
    }
}
