package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A bounced or complained address is known at once. moto publishes no SES events, so the test
 * hands SES's documented events over as SNS would (the SNS event around the SES JSON, through
 * the Invoke front, so the function's own AWS calls are recorded for the IAM test), built from
 * what SES really received: each SendEmail request's tags and configuration set and SES's
 * message id, tapped at the front. What the function does is read back from the emulator: the
 * record, the audit trail, the staff email (parsed as MIME), the ops topic, the reminders, the
 * customer's status page.
 */
class BouncedEmailTest extends CloudTest {

    /** One SendEmail as SES received it: what its events would carry back. */
    record Sent(String messageId, String from, String to, String configurationSet, Map<String, String> tags) {
        SesEvents events(String subject) {
            Map<String, String> all = new LinkedHashMap<>(tags);
            all.put("ses:configuration-set", configurationSet);
            return new SesEvents(messageId, from, to, subject, all);
        }
    }

    /** Every SendEmail the functions make, with SES's answer (moto keeps no tags). */
    static final class SesTap implements LambdaFront.Faults {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public LambdaFront.Reply intercept(String method, String path, List<String> authorization, byte[] body) {
            return null;
        }

        @Override
        public byte[] answered(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
            if (method.equals("POST") && path.startsWith("/v2/email/outbound-emails") && status == 200) {
                JsonNode request = Json.read(new String(requestBody, StandardCharsets.UTF_8));
                Map<String, String> tags = new LinkedHashMap<>();
                request.path("EmailTags").forEach(t -> tags.put(t.path("Name").asText(), t.path("Value").asText()));
                sent.add(new Sent(Json.read(new String(responseBody, StandardCharsets.UTF_8)).path("MessageId").asText(),
                        request.path("FromEmailAddress").asText(), request.path("Destination").path("ToAddresses").path(0).asText(),
                        request.path("ConfigurationSetName").asText(null), tags));
            }
            return responseBody;
        }

        Sent await(String migrationId, String kind, String to) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (Sent s : sent) {
                    if (migrationId.equals(s.tags().get("migration-id")) && kind.equals(s.tags().get("message-kind")) && to.equals(s.to())) {
                        return s;
                    }
                }
                pause(100);
            }
            throw new AssertionError("SES was not asked to send " + kind + " of " + migrationId + " to " + to);
        }
    }

    private static final String CORRECTED = "erika.mustermann@muster-shop.example";
    private static final String TIMING = """
            {"customerReminderSeconds": 20, "staffReminderSeconds": 600, "goLiveReminderSeconds": 600, "maxReminders": 3,
             "dnsPollSeconds": 1, "quietFromHour": 0, "quietToHour": 0}""";

    @Test
    void aBouncedCustomerAddressIsKnownAtOnceRemindersGoToStaffAndStaffCorrectIt() throws Exception {
        SesTap tap = new SesTap();
        try (AutoCloseable tapped = cloud.front().inject(tap)) {
            String id = "M-BOUNCE-1";
            String arn = cloud.startMigration(id, input("bounce", TIMING, null));
            Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
            Sent sent = tap.await(id, "QUESTIONNAIRE", CUSTOMER);
            // Every email names the configuration set the stack created and carries the tags SES hands back in its events.
            assertThat(sent.configurationSet()).isEqualTo(LocalCloud.STACK + "-EmailConfigurationSet");
            assertThat(sent.tags()).containsEntry("migration-id", id).containsEntry("message-kind", "QUESTIONNAIRE")
                    .containsEntry("audience", "CUSTOMER");

            // SES's permanent bounce of the questionnaire (AWS's documented Bounce record: 550 5.1.1 user unknown).
            String bounce = sent.events(questionnaire.subject()).bounce("Permanent", "General", "5.1.1",
                    "smtp; 550 5.1.1 <" + CUSTOMER + ">: Recipient address rejected: User unknown", "0100-bounce-" + id, Instant.now());
            assertThat(cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", bounce)).contains("\"events\":1");

            MigrationRecord record = record(id);
            assertThat(record.customerUnreachable()).isNotNull();
            assertThat(record.customerUnreachable().address()).isEqualTo(CUSTOMER);
            assertThat(record.customerUnreachable().event()).isEqualTo("Bounce");
            assertThat(record.customerUnreachable().bounceType()).isEqualTo("Permanent");
            assertThat(record.customerUnreachable().bounceSubType()).isEqualTo("General");
            assertThat(record.customerUnreachable().diagnostic()).contains("550 5.1.1");
            assertThat(record.customerUnreachable().at()).isNotNull();
            assertThat(problems(id)).singleElement().satisfies(p -> {
                assertThat(p.audience()).isEqualTo("CUSTOMER");
                assertThat(p.kind()).isEqualTo("QUESTIONNAIRE");
                assertThat(p.address()).isEqualTo(CUSTOMER);
            });
            assertThat(audit(id)).anySatisfy(a -> {
                assertThat(a.actor()).isEqualTo("Amazon SES");
                assertThat(a.action()).isEqualTo("email bounced: QUESTIONNAIRE");
                assertThat(a.detail()).contains("customer address", "Permanent/General", "550 5.1.1");
            });

            // Staff know at once: the address, the migration, the shop, the server's words, what to do.
            Mailbox.Mail told = walk.await(id, "CUSTOMER_UNDELIVERABLE");
            assertThat(told.to()).containsExactly(STAFF);
            assertThat(told.subject()).isEqualTo("[" + id + "] E-Mail an Erika Mustermann unzustellbar: Muster-Shop");
            assertThat(told.plain()).contains(CUSTOMER, id, "Muster-Shop", "Recipient address rejected: User unknown", "Permanent/General",
                    "Erinnerungen an diese Adresse sind gestoppt", "A customer address bounced");
            assertThat(told.html()).contains(CUSTOMER, "550 5.1.1");

            // SNS delivers at least once: the same event again changes nothing (the reminder below may come meanwhile).
            assertThat(cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", bounce)).contains("\"events\":1");
            assertThat(problems(id)).hasSize(1);
            assertThat(record(id).customerUnreachable()).isEqualTo(record.customerUnreachable());
            assertThat(audit(id)).filteredOn(a -> a.actor().equals("Amazon SES")).hasSize(1);
            pause(500);
            assertThat(cloud.mailbox().forMigration(id)).filteredOn(m -> m.kind().equals("CUSTOMER_UNDELIVERABLE")).hasSize(1);

            // The customer's status page says it, in the customer's words, with whom to contact.
            LinkClient.Page status = browser.get(questionnaire.link("Stand des Umzugs ansehen"));
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.text()).contains("Unsere E-Mails an " + CUSTOMER + " konnten nicht zugestellt werden. Bitte melden Sie sich bei "
                    + "Max Admin (" + STAFF + ")");

            // The questionnaire times out: the reminder goes to staff, never to the dead address.
            Mailbox.Mail instead = walk.await(id, "QUESTIONNAIRE_UNREACHABLE");
            assertThat(instead.to()).containsExactly(STAFF);
            assertThat(instead.plain()).contains("Unsere E-Mails an " + CUSTOMER + " kommen als unzustellbar zurück", "Fragebogen");
            assertThat(cloud.mailbox().forMigration(id)).noneMatch(m -> m.kind().equals("QUESTIONNAIRE_REMINDER"))
                    .noneMatch(m -> m.kind().startsWith("QUESTIONNAIRE_") && m.to().contains(CUSTOMER));

            // A transient bounce of the same address is only noted: listed, audited, nobody told.
            String transientBounce = sent.events(questionnaire.subject()).bounce("Transient", "MailboxFull", "4.2.2",
                    "smtp; 452 4.2.2 Mailbox full", "0100-transient-" + id, Instant.now());
            cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", transientBounce);
            assertThat(problems(id)).hasSize(2).last().satisfies(p -> assertThat(p.bounceType()).isEqualTo("Transient"));
            assertThat(audit(id)).anySatisfy(a -> assertThat(a.detail()).contains("Transient/MailboxFull"));
            assertThat(cloud.mailbox().forMigration(id)).filteredOn(m -> m.kind().equals("CUSTOMER_UNDELIVERABLE")).hasSize(1);

            // An email someone else sent with the configuration set, and an invocation that is no SES event.
            Sent foreign = new Sent("foreign-1", "umzug@hosting.example", CUSTOMER, sent.configurationSet(), Map.of());
            assertThat(cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", foreign.events("Newsletter")
                    .bounce("Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown", "0100-foreign", Instant.now()))).contains("\"events\":1");
            assertThatThrownBy(() -> cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", "{\"eventType\": \"Bounce\"}"))
                    .hasMessageContaining("de.shopmigration.bounce.MalformedDeliveryEvent");
            assertThat(problems(id)).hasSize(2);

            // Staff correct the address (the runbook's command): checked as the intake checks it,
            // stored, audited, the questionnaire sent again to the new address with the same link.
            LambdaFront.Result refused = cloud.front().run("AskFunction",
                    ("{\"operation\":\"CORRECT_CUSTOMER_EMAIL\",\"migrationId\":\"" + id + "\",\"email\":\"erika@muster-shop\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(new String(refused.error(), StandardCharsets.UTF_8)).contains("InvalidMigrationRequest", "customer.email");
            LambdaFront.Result corrected = cloud.front().run("AskFunction",
                    ("{\"operation\":\"CORRECT_CUSTOMER_EMAIL\",\"migrationId\":\"" + id + "\",\"email\":\"" + CORRECTED + "\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(corrected.error()).as("the correction").isNull();
            assertThat(new String(corrected.output(), StandardCharsets.UTF_8)).contains("\"resent\":\"QUESTIONNAIRE\"");
            Mailbox.Mail again = cloud.mailbox().await(m -> id.equals(m.migrationId()) && m.kind().equals("QUESTIONNAIRE") && m.to().contains(CORRECTED),
                    WAIT, "the questionnaire to the corrected address");
            assertThat(again.link("Fragebogen ausfüllen")).isEqualTo(questionnaire.link("Fragebogen ausfüllen"));
            record = record(id);
            assertThat(record.request().customer().email()).isEqualTo(CORRECTED);
            assertThat(record.customerUnreachable()).isNull();
            assertThat(audit(id)).anySatisfy(a -> assertThat(a.action()).isEqualTo("customer address corrected"));
            assertThat(browser.get(questionnaire.link("Stand des Umzugs ansehen")).text()).doesNotContain("konnten nicht zugestellt werden");

            // The new address reports the questionnaire as spam: marked again, staff told, nothing shown to the customer.
            Sent resent = tap.await(id, "QUESTIONNAIRE", CORRECTED);
            cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", resent.events(again.subject()).complaint("abuse", "0100-complaint-" + id, Instant.now()));
            Mailbox.Mail complained = walk.await(id, "CUSTOMER_COMPLAINED");
            assertThat(complained.to()).containsExactly(STAFF);
            assertThat(complained.plain()).contains(CORRECTED, "als Spam gemeldet", "abuse", id, "Muster-Shop");
            assertThat(record(id).customerUnreachable().event()).isEqualTo("Complaint");
            assertThat(record(id).customerUnreachable().address()).isEqualTo(CORRECTED);
            assertThat(browser.get(questionnaire.link("Stand des Umzugs ansehen")).text()).doesNotContain("konnten nicht zugestellt werden");

            // The staff address bounces: no email goes to it about itself; operations hear of it through the ops topic, once.
            Sent toStaff = tap.await(id, "CUSTOMER_UNDELIVERABLE", STAFF);
            int staffMails = (int) cloud.mailbox().forMigration(id).stream().filter(m -> m.to().contains(STAFF)).count();
            String staffBounce = toStaff.events(told.subject()).bounce("Permanent", "NoEmail", "5.1.1", "smtp; 550 5.1.1 mailbox unavailable",
                    "0100-staff-" + id, Instant.now());
            cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", staffBounce);
            cloud.deliverSnsMessage("BounceFunction", "EmailEventsTopic", staffBounce);
            assertThat(record(id).staffUnreachable().address()).isEqualTo(STAFF);
            List<JsonNode> ops = cloud.published("OpsTopic").stream().filter(n -> n.path("subject").asText().contains(id)).toList();
            assertThat(ops).singleElement().satisfies(n -> {
                assertThat(n.path("subject").asText()).isEqualTo("Staff-Adresse nicht erreichbar: " + id);
                assertThat(n.path("message").asText()).contains(STAFF, "Muster-Shop", "Permanent/NoEmail", "mailbox unavailable", "Parameter StaffEmail");
            });
            pause(500);
            assertThat(cloud.mailbox().forMigration(id).stream().filter(m -> m.to().contains(STAFF)).count()).isEqualTo(staffMails);

            // The function's lines name the migration and what happened, never an address or the server's words.
            List<String> lines = new ArrayList<>();
            synchronized (shared.log) {
                shared.log.stream().filter(l -> l.startsWith("[BounceFunction] {")).forEach(lines::add);
            }
            List<JsonNode> mine = lines.stream().map(l -> Json.read(l.substring(l.indexOf("] {") + 2)))
                    .filter(n -> id.equals(n.path("migrationId").asText())).toList();
            assertThat(mine).extracting(n -> n.path("outcome").asText())
                    .contains("customer_unreachable", "already_known", "noted", "staff_unreachable");
            // The servers' words all start "smtp;" and carry a status code with dots (a bare "550" may be part of a metric line's timestamp).
            assertThat(lines).noneMatch(l -> l.contains("@") || l.contains("smtp;") || l.contains("5.1.1") || l.contains("Mailbox full"));

            abortToEnd(told);
            assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        }
    }

    /** The bounces and complaints noted for a migration (items of its own, next to the record). */
    private List<MigrationRecord.EmailProblem> problems(String id) {
        try (var dynamo = cloud.dynamoDb()) {
            return new MigrationStore(dynamo, cloud.tableName()).emails().problems(id);
        }
    }

    private List<AuditEntry> audit(String id) {
        try (var dynamo = cloud.dynamoDb()) {
            return new MigrationStore(dynamo, cloud.tableName()).audit().trail(id);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
