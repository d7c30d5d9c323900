package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The 24-hour window after the go-live (compressed here): a report just inside it is free, one
 * just after it billable, and the page says which before the customer sends it. The delayed
 * close-out runs when the window ends.
 */
class ErrorWindowTest extends CloudTest {

    @Test
    void aReportJustInsideTheWindowIsFreeAndJustAfterItBillable() throws Exception {
        String id = "M-WINDOW-1";
        String arn = cloud.startMigration(id, input("window", FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 12"), null));
        Mailbox mail = cloud.mailbox();
        throughTheTestRun(id);
        confirm(upToTheGoLiveCheck(id), "Alles funktioniert", Map.of());
        String report = mail.await(id, "GO_LIVE_DONE", WAIT).link("Fehler melden");

        Instant windowEnd;
        try (var dynamo = cloud.dynamoDb()) {
            windowEnd = new MigrationStore(dynamo, cloud.tableName()).record(id).errorWindowEndsAt();
        }
        sleepUntil(windowEnd.minusSeconds(5));
        LinkClient.Page inside = browser.get(report);
        assertThat(inside.document().getElementById("notice").text()).contains("kostenlos");
        assertThat(browser.submit(inside, Map.of("description", "Bilder fehlen im Warenkorb")).status()).isEqualTo(200);

        sleepUntil(windowEnd.plusSeconds(2));
        LinkClient.Page after = browser.get(report);
        assertThat(after.document().getElementById("notice").text()).contains("normalen Dienstleistungspreisen");
        assertThat(browser.submit(after, Map.of("description", "Newsletter-Anmeldung geht nicht")).status()).isEqualTo(200);

        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        MigrationRecord record;
        List<MigrationRecord.ErrorReport> reports;
        try (var dynamo = cloud.dynamoDb()) {
            record = new MigrationStore(dynamo, cloud.tableName()).record(id);
            reports = new MigrationStore(dynamo, cloud.tableName()).errorReports().list(id);
        }
        assertThat(reports).extracting(MigrationRecord.ErrorReport::billable).containsExactly(false, true);
        assertThat(reports.get(0).at()).isBefore(windowEnd);
        assertThat(reports.get(1).at()).isAfter(windowEnd);
        // moto's Wait cuts the timestamp to whole seconds and truncates the difference: it may wake up to a second early.
        assertThat(record.closedAt()).as("the close-out ran when the window ended").isAfterOrEqualTo(windowEnd.minusSeconds(1));
        // Awaited, not read once: a missing email then fails listing the emails that were sent.
        for (String regime : java.util.List.of("innerhalb des 24-Stunden-Fensters", "nach dem 24-Stunden-Fenster")) {
            mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ERROR_REPORT") && m.plain().contains(regime), WAIT,
                    "ERROR_REPORT \"" + regime + "\" for " + id);
        }
        Mailbox.Mail summary = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("CLOSE_OUT_SUMMARY") && m.to().contains(CUSTOMER),
                WAIT, "summary");
        // The summary goes out at the close-out, when the window ends; the late report may or may not be in yet.
        assertThat(summary.plain()).contains("Fehlermeldungen: 1 im 24-Stunden-Fenster");
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long ms = at.toEpochMilli() - System.currentTimeMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
