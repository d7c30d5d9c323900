package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The 24-hour window after the go-live (compressed here): a report just inside it is free, one
 * just after it billable, and the page says which before the customer sends it. Staff take on
 * and fix each report through the links in their email, the customer is told both times, and
 * the close-out waits a bounded time for open reports before it says which are still open.
 */
class ErrorWindowTest extends CloudTest {

    @Test
    void aReportJustInsideTheWindowIsFreeAndJustAfterItBillable() throws Exception {
        String id = "M-WINDOW-1";
        Live live = liveWithErrorWindow(id, "window", 12, 3);
        String report = live.reportLink();
        Mailbox mail = cloud.mailbox();

        Instant windowEnd = record(id).errorWindowEndsAt();
        sleepUntil(windowEnd.minusSeconds(5));
        LinkClient.Page inside = browser.get(report);
        assertThat(inside.document().getElementById("notice").text()).contains("kostenlos");
        assertThat(browser.submit(inside, Map.of("description", "Bilder fehlen im Warenkorb")).status()).isEqualTo(200);

        sleepUntil(windowEnd.plusSeconds(2));
        LinkClient.Page after = browser.get(report);
        assertThat(after.document().getElementById("notice").text()).contains("normalen Dienstleistungspreisen");
        assertThat(browser.submit(after, Map.of("description", "Newsletter-Anmeldung geht nicht")).status()).isEqualTo(200);

        assertThat(cloud.awaitEnd(live.arn(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        MigrationRecord record = record(id);
        List<ErrorReports.Report> reports = reports(id);
        assertThat(reports).extracting(ErrorReports.Report::billable).containsExactly(false, true);
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
        // The close-out waits a moment (FAST: 3 s) for the open reports; the late report may or may not be in yet.
        assertThat(summary.plain()).contains("Fehlermeldungen: 1 im 24-Stunden-Fenster");
    }

    /**
     * The whole life of a report as customer and staff live it: reported inside the window,
     * taken on and fixed by staff through the links of their email (each click a page and a
     * button, a second click "already done"), the customer told both times with their own
     * words quoted; the close-out waits for the fix, and the summary lists the report as fixed.
     */
    @Test
    void staffTakeOnAndFixAReportTheCustomerIsToldAndTheCloseOutWaitsForTheFix() throws Exception {
        String id = "M-REPORTS-FIXED";
        Live live = liveWithErrorWindow(id, "reports-fixed", 20, 120);
        Mailbox mail = cloud.mailbox();
        LinkClient.Page form = browser.get(live.reportLink());
        String description = "Der Warenkorb leert sich nach dem Login.\nSeite: /checkout";
        assertThat(browser.submit(form, Map.of("description", description)).status()).isEqualTo(200);

        Mailbox.Mail toStaff = mail.await(id, "ERROR_REPORT", WAIT);
        assertThat(toStaff.to()).containsExactly(STAFF);
        assertThat(toStaff.plain()).contains("Meldung 1", "offen, noch nicht in Bearbeitung", "> Der Warenkorb leert sich nach dem Login.",
                "> Seite: /checkout", "wartet bis");
        // Inside the window an abort still rolls the DNS back: offered, and saying so.
        assertThat(toStaff.link("Migration abbrechen (DNS zurück auf den bisherigen Server)")).isNotBlank();

        LinkClient.Page take = browser.get(toStaff.link("Fehler wird bearbeitet"));
        assertThat(take.status()).isEqualTo(200);
        assertThat(take.title()).isEqualTo("Fehlermeldung übernehmen");
        assertThat(take.document().getElementById("notice").text()).contains("Meldung 1", "offen, noch nicht in Bearbeitung");
        assertThat(browser.submit(take, Map.of()).status()).isEqualTo(200);
        Mailbox.Mail acknowledged = mail.await(id, "REPORT_ACKNOWLEDGED", WAIT);
        assertThat(acknowledged.to()).containsExactly(CUSTOMER);
        assertThat(acknowledged.subject()).contains("Wir arbeiten an Ihrer Fehlermeldung");
        assertThat(acknowledged.plain()).contains("Erika Mustermann schrieb (Meldung 1):", "> Der Warenkorb leert sich nach dem Login.");
        // The link is used: a second click is "already done", and the customer is not told twice.
        assertThat(browser.get(toStaff.link("Fehler wird bearbeitet")).title()).isEqualTo("Bereits erledigt");
        assertThat(browser.post(toStaff.link("Fehler wird bearbeitet"), Map.of()).status()).isEqualTo(409);

        // The window ends with the report open: the close-out waits and says so to staff, with a "fixed" link.
        Mailbox.Mail waiting = mail.await(id, "CLOSE_OUT_WAITING", WAIT);
        assertThat(waiting.to()).containsExactly(STAFF);
        assertThat(waiting.plain()).contains("Meldung 1 vom", "in Bearbeitung seit", "> Der Warenkorb leert sich nach dem Login.");
        assertThat(waiting.link("Meldung 1 behoben")).isEqualTo(toStaff.link("Fehler behoben"));
        assertThat(record(id).status()).as("no close-out while the report is open").isEqualTo(MigrationRecord.RUNNING);
        assertThat(cloud.describe(live.arn()).status()).isEqualTo(ExecutionStatus.RUNNING);

        LinkClient.Page fix = browser.get(waiting.link("Meldung 1 behoben"));
        assertThat(fix.title()).isEqualTo("Fehler als behoben melden");
        assertThat(fix.text()).contains("Nachricht an Erika Mustermann (freiwillig)");
        String note = "Der Sitzungs-Cache war veraltet.\nWir haben ihn geleert.";
        assertThat(browser.submit(fix, Map.of("note", note)).status()).isEqualTo(200);
        Mailbox.Mail fixed = mail.await(id, "REPORT_FIXED", WAIT);
        assertThat(fixed.to()).containsExactly(CUSTOMER);
        assertThat(fixed.subject()).contains("Der gemeldete Fehler ist behoben");
        assertThat(fixed.plain()).contains("Max Admin schrieb (Hinweis zur Behebung):", "> Der Sitzungs-Cache war veraltet.",
                "> Wir haben ihn geleert.", "Erika Mustermann schrieb (Meldung 1):");
        assertThat(browser.get(toStaff.link("Fehler behoben")).title()).isEqualTo("Bereits erledigt");

        assertThat(cloud.awaitEnd(live.arn(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        ErrorReports.Report report = reports(id).get(0);
        assertThat(report.state()).isEqualTo(ErrorReports.State.FIXED);
        assertThat(report.note()).isEqualTo(note);
        assertThat(record(id).closedAt()).as("the close-out waited for the fix").isAfter(report.fixedAt());
        for (String to : List.of(CUSTOMER, STAFF)) {
            Mailbox.Mail summary = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("CLOSE_OUT_SUMMARY") && m.to().contains(to),
                    WAIT, "summary to " + to);
            assertThat(summary.plain()).contains("Meldung 1 vom", "(im 24-Stunden-Fenster): behoben am", "Erika Mustermann schrieb (Meldung 1):")
                    .doesNotContain("Noch offen", "in Bearbeitung");
        }
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).containsOnlyOnce("REPORT_ACKNOWLEDGED", "REPORT_FIXED",
                "CLOSE_OUT_WAITING");
    }

    /**
     * A report nobody fixes: the close-out waits its bound, then runs and names the report as
     * open to customer and staff. What is sent after the close-out offers no link that could
     * only answer 410: the report's "fixed" link still works, and a report filed then gets
     * staff links but no abort.
     */
    @Test
    void aReportLeftOpenIsNamedOpenWhenTheCloseOutStopsWaiting() throws Exception {
        String id = "M-REPORTS-OPEN";
        Live live = liveWithErrorWindow(id, "reports-open", 12, 6);
        String reportLink = live.reportLink();
        Mailbox mail = cloud.mailbox();
        assertThat(browser.submit(browser.get(reportLink), Map.of("description", "Rechnungs-PDFs fehlen")).status()).isEqualTo(200);
        Mailbox.Mail toStaff = mail.await(id, "ERROR_REPORT", WAIT);

        assertThat(cloud.awaitEnd(live.arn(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        MigrationRecord record = record(id);
        assertThat(record.closedAt()).as("the close-out waited its bound for the open report")
                .isAfterOrEqualTo(ErrorReports.closeOutWaitEnds(record).minusSeconds(1));
        assertThat(mail.await(id, "CLOSE_OUT_WAITING", WAIT).plain()).contains("Meldung 1 vom", "offen, noch nicht in Bearbeitung");
        Mailbox.Mail toCustomer = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("CLOSE_OUT_SUMMARY") && m.to().contains(CUSTOMER),
                WAIT, "summary to the customer");
        assertThat(toCustomer.plain()).contains("Noch offen: 1 (siehe unten). Wir arbeiten weiter daran",
                "Meldung 1 vom", "(im 24-Stunden-Fenster): offen, noch nicht in Bearbeitung", "> Rechnungs-PDFs fehlen");
        Mailbox.Mail summaryToStaff = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("CLOSE_OUT_SUMMARY") && m.to().contains(STAFF),
                WAIT, "summary to staff");
        assertThat(summaryToStaff.plain()).contains("Noch offen: 1 beim Abschluss nicht behoben");
        assertThat(summaryToStaff.link("Meldung 1 behoben")).isEqualTo(toStaff.link("Fehler behoben"));
        assertThat(summaryToStaff.links()).as("no abort after the close-out").doesNotContain(toStaff.link(
                "Migration abbrechen (DNS zurück auf den bisherigen Server)"));
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).audit().trail(id)).extracting(AuditEntry::action)
                    .contains("close-out with open error reports");
        }

        // After the close-out: staff still fix it, the customer is told.
        assertThat(browser.submit(browser.get(summaryToStaff.link("Meldung 1 behoben")), Map.of()).status()).isEqualTo(200);
        Mailbox.Mail fixed = mail.await(id, "REPORT_FIXED", WAIT);
        assertThat(fixed.plain()).contains("> Rechnungs-PDFs fehlen").doesNotContain("Hinweis zur Behebung");
        // A report filed after the close-out: billable, staff links, no abort (it no longer applies).
        Thread.sleep(ErrorReports.PER_LINK_PAUSE.toMillis());
        assertThat(browser.submit(browser.get(reportLink), Map.of("description", "Suche langsam")).status()).isEqualTo(200);
        Mailbox.Mail late = walk.awaitAfter(id, "ERROR_REPORT", toStaff);
        assertThat(late.plain()).contains("Meldung 2", "nach dem 24-Stunden-Fenster", "bereits abgeschlossen").doesNotContain("abbrechen");
        assertThat(late.links()).hasSize(2);
        for (Mailbox.Mail sentAfterCloseOut : List.of(toCustomer, summaryToStaff, fixed, late)) {
            for (String link : sentAfterCloseOut.links()) {
                assertThat(browser.get(link).status()).as(sentAfterCloseOut.kind() + " " + link).isEqualTo(200);
            }
        }
        assertThat(browser.submit(browser.get(late.link("Fehler wird bearbeitet")), Map.of()).status()).isEqualTo(200);
        assertThat(mail.await(id, "REPORT_ACKNOWLEDGED", WAIT).plain()).contains("Erika Mustermann schrieb (Meldung 2):");
    }

    /** A migration just gone live: its execution and the customer's report link. */
    private record Live(String arn, String reportLink) {
    }

    private Live liveWithErrorWindow(String id, String zone, int windowSeconds, int openReportsWaitSeconds) {
        String timing = FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": " + windowSeconds)
                .replace("\"openReportsWaitSeconds\": 3", "\"openReportsWaitSeconds\": " + openReportsWaitSeconds);
        String arn = cloud.startMigration(id, input(zone, timing, null));
        throughTheTestRun(id);
        confirm(upToTheGoLiveCheck(id), "Alles funktioniert", Map.of());
        return new Live(arn, cloud.mailbox().await(id, "GO_LIVE_DONE", WAIT).link("Fehler melden"));
    }

    private List<ErrorReports.Report> reports(String id) {
        try (var dynamo = cloud.dynamoDb()) {
            return new MigrationStore(dynamo, cloud.tableName()).errorReports().list(id);
        }
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long ms = at.toEpochMilli() - System.currentTimeMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
