package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationStore;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * At night in the customer's time zone a reminder waits for the morning (the reminder step
 * retries on QuietHours). Stopping the execution in the console then runs the same cleanup as
 * a staff abort, through the EventBridge rule.
 */
class QuietHoursTest extends CloudTest {

    @Test
    void noReminderGoesToTheCustomerAtNightAndAConsoleStopCleansUp() throws Exception {
        String id = "M-QUIET-1";
        int hour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        String timing = """
                {"customerReminderSeconds": 1, "maxReminders": 2, "dnsPollSeconds": 1,
                 "quietFromHour": %d, "quietToHour": %d}""".formatted(hour, (hour + 2) % 24);
        String arn = cloud.startMigration(id, input("quiet", timing, null)
                .replace("\"language\": \"de\"", "\"language\": \"de\", \"timeZone\": \"UTC\""));
        Mailbox mail = cloud.mailbox();
        mail.await(id, "QUESTIONNAIRE", WAIT);

        boolean deferred = false;
        for (int i = 0; i < 100 && !deferred; i++) {
            Thread.sleep(100);
            try (SfnClient sfn = cloud.sfn()) {
                for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events()) {
                    deferred |= e.type() == HistoryEventType.TASK_FAILED
                            && e.taskFailedEventDetails().error().equals("de.shopmigration.remind.QuietHours");
                }
            }
        }
        assertThat(deferred).as("the reminder step was deferred for the night").isTrue();
        Thread.sleep(2000);
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).containsExactly("QUESTIONNAIRE");

        try (SfnClient sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(arn).cause("Stopped in the console"));
        }
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        Mailbox.Mail aborted = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                WAIT, "abort notice after the console stop");
        assertThat(aborted.plain()).contains("abgebrochen");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            assertThat(store.record(id).status()).isEqualTo("ABORTED");
            assertThat(store.record(id).abort().by()).isEqualTo("staff (console)");
        }
        try (Route53Client r53 = cloud.route53()) {
            assertThat(r53.listResourceRecordSets(b -> b.hostedZoneId(shared.zone("quiet"))).resourceRecordSets())
                    .filteredOn(r -> r.typeAsString().equals("A")).allSatisfy(r -> assertThat(r.ttl()).isEqualTo(3600L));
        }
    }
}
