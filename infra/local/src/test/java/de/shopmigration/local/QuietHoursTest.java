package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.MigrationStore;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * At night in the customer's time zone a reminder waits for the morning: the reminder step sends
 * nothing and the wait is entered again with its timeout at the end of the quiet hours, however
 * long they are (one cycle, no retries to run out of). Stopping the execution in the console
 * then runs the same cleanup as a staff abort, through the EventBridge rule.
 */
class QuietHoursTest extends CloudTest {

    @Test
    void noReminderGoesToTheCustomerAtNightAndAConsoleStopCleansUp() throws Exception {
        String id = "M-QUIET-1";
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        int hour = now.getHour();
        // A 20-hour night: longer than the 15 hours the earlier retry-based deferral could bridge.
        String timing = """
                {"customerReminderSeconds": 1, "maxReminders": 2, "dnsPollSeconds": 1,
                 "quietFromHour": %d, "quietToHour": %d}""".formatted(hour, (hour + 20) % 24);
        long untilMorning = java.time.Duration.between(now, now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusHours(20)).getSeconds();
        String arn = cloud.startMigration(id, input("quiet", timing, null)
                .replace("\"language\": \"de\"", "\"language\": \"de\", \"timeZone\": \"UTC\""));
        Mailbox mail = cloud.mailbox();
        mail.await(id, "QUESTIONNAIRE", WAIT);

        com.fasterxml.jackson.databind.JsonNode deferral = null;
        for (int i = 0; i < 100 && deferral == null; i++) {
            Thread.sleep(100);
            try (SfnClient sfn = cloud.sfn()) {
                for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events()) {
                    if (e.type() == HistoryEventType.TASK_STATE_EXITED
                            && e.stateExitedEventDetails().name().equals("Phase 1 · Questionnaire overdue: remind the customer")) {
                        deferral = de.shopmigration.core.json.Json.read(e.stateExitedEventDetails().output()).path("reminder");
                    }
                }
            }
        }
        assertThat(deferral).as("the reminder step ran and handed the wait its next timeout").isNotNull();
        assertThat(deferral.path("afterSeconds").asLong()).as("the wait sleeps until the quiet hours end")
                .isBetween(untilMorning - 120, untilMorning + 60);
        Thread.sleep(2000);
        assertThat(mail.forMigration(id)).as("nothing goes to the customer at night").extracting(Mailbox.Mail::kind).containsExactly("QUESTIONNAIRE");

        try (SfnClient sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(arn).cause("Stopped in the console"));
        }
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        Mailbox.Mail aborted = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                WAIT, "abort notice after the console stop");
        assertThat(aborted.plain()).contains("abgebrochen");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            assertThat(store.records().get(id).status()).isEqualTo("ABORTED");
            assertThat(store.records().get(id).abort().by()).isEqualTo("staff (console)");
        }
        try (Route53Client r53 = cloud.route53()) {
            assertThat(r53.listResourceRecordSets(b -> b.hostedZoneId(shared.zone("quiet"))).resourceRecordSets())
                    .filteredOn(r -> r.typeAsString().equals("A")).allSatisfy(r -> assertThat(r.ttl()).isEqualTo(3600L));
        }
    }
}
