package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Link;
import de.shopmigration.core.links.LinkSigner;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Purpose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A whole migration clicked through in the browser, customer and staff, so every kind of page
 * is seen once (and screenshotted): decisions, the problem report, the slot booking, the
 * go-live steps, the error report with its free-window notice, and the error pages.
 */
class EveryPageInTheBrowserTest extends CloudTest {

    static final String MARKUP = "<script>alert('x')</script><b onmouseover=alert(2)>fett</b>";

    Browser browser;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = new Browser("pages");
        html = Files.createDirectories(Browser.SCREENSHOTS.resolve("pages-html"));
        try (var old = Files.list(html)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    /** What axe-core found (serious or critical), per page or email, over the whole walk. */
    final List<String> violations = new ArrayList<>();
    /** Every page and email HTML as served or mailed, for the Nu HTML checker at the end. */
    final List<Path> served = new ArrayList<>();
    private final AtomicInteger pages = new AtomicInteger();
    private Path html;

    private void follow(Mailbox.Mail mail, String label, String shot) throws Exception {
        browser.openEmail(mail, "mail-" + shot);
        judge("email " + shot);
        keep("mail-" + shot, mail.html());
        browser.click(label);
        assertThat(browser.alertShown()).isFalse();
        judge(shot);
        browser.screenshot(shot);
    }

    private void send(String shot) throws Exception {
        browser.submit();
        assertThat(browser.alertShown()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector(".box.success"))).as(browser.mainText()).hasSize(1);
        judge(shot + "-done");
        browser.screenshot(shot + "-done");
    }

    private void judge(String what) throws Exception {
        PageChecks.axe(browser.driver).forEach(v -> violations.add(what + ": " + v));
    }

    private synchronized void keep(String name, String text) throws IOException {
        Path file = html.resolve(String.format("%03d-%s.html", pages.incrementAndGet(), name.replaceAll("[^A-Za-z0-9-]", "_")));
        Files.writeString(file, text);
        served.add(file);
    }

    /** Sees every page the links function serves for this migration, exactly as sent. */
    private AutoCloseable keepPagesOf(String id) {
        return cloud.api().watch(page -> {
            if (page.path().startsWith("/m/" + id + "/") && page.contentType().startsWith("text/html") && page.body().length > 0) {
                try {
                    keep(page.method() + "-" + page.status(), new String(page.body(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    @Test
    void everyPageOfAMigrationWorksInTheBrowserAndMarkupStaysInert() throws Exception {
        String id = "M-PAGES-1";
        try (AutoCloseable watching = keepPagesOf(id)) {
            walk(id);
        }
        assertThat(violations).as("axe-core: serious or critical violations on pages and emails").isEmpty();
        assertThat(PageChecks.vnu(served)).as("W3C Nu HTML checker over " + served.size() + " pages and emails").isEmpty();
        assertThat(served.size()).as("pages and emails checked").isGreaterThan(30);
    }

    private void walk(String id) throws Exception {
        // The error window must still be open when the report page is opened after GO_LIVE_DONE
        // (it says "kostenlos" inside it); 10 s was not enough under a CI run's load.
        String arn = cloud.startMigration(id, input("pages", FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 30"), null));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of("notes", "Zeile eins\nZeile zwei"));
        Mailbox.Mail prepare = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        // Staff read the answers as the customer gave them: labels and names, not field names and codes.
        assertThat(prepare.plain()).contains("Shopsystem: Shopware", "Datenbank: MariaDB", "Größe der Datenbank (GB): 3,5",
                        "Ich bestelle die Performance-Optimierung (Phase 4): nein")
                .doesNotContain("shopSystem", "SHOPWARE", "MARIADB", "interfacesAllowlist", "true", "false");
        assertThat(prepare.html()).as("lines typed by the customer stay lines in the HTML part").contains("Zeile eins<br>Zeile zwei");
        follow(prepare, "Cluster ist vorbereitet", "staff-cluster-prepared");
        assertThat(browser.mainText()).contains("Danach erhält Erika Mustermann den Hinweis zum Code-Freeze");
        send("staff-cluster-prepared");
        assertThat(browser.title()).isEqualTo("Cluster als vorbereitet bestätigt");

        follow(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", "staff-copy-figures");
        browser.type("files", "48213");
        browser.type("bytes", "viel");
        browser.submit();
        judge("staff-copy-figures-error");
        assertThat(browser.errorOf("bytes")).startsWith("Bitte eine Zahl");
        assertThat(browser.driver.findElement(By.id("errors")).getText()).as("staff are addressed as colleagues")
                .startsWith("Bitte prüfe die markierten Felder.").doesNotContain("Sie ", "Ihre");
        browser.screenshot("staff-copy-figures-error");
        browser.type("bytes", "12884901888");
        browser.type("databaseBytes", "3,5 GB");
        browser.type("durationSeconds", "1260");
        send("staff-copy-figures");

        Mailbox.Mail firstTest = mail.await(id, "TEST_RESULTS", WAIT);
        follow(firstTest, "Probleme melden", "problems-found");
        browser.type("description", MARKUP);
        send("problems-found");
        Mailbox.Mail fix = mail.await(id, "PROBLEM_FIX", WAIT);
        assertThat(fix.html()).doesNotContain("<script>", "<b onmouseover").contains("&lt;script&gt;");
        follow(fix, "Probleme behoben", "staff-problems-fixed");
        send("staff-problems-fixed");

        Mailbox.Mail retest = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("TEST_RESULTS") && m.subject().contains("behoben"),
                WAIT, "retest");
        // The first test email's links belong to a finished round: the page points to the newer email.
        browser.openEmail(firstTest, "mail-first-test");
        browser.click("Alle Tests bestanden");
        assertThat(browser.title()).isEqualTo("Es gibt eine neuere E-Mail zu diesem Schritt");
        judge("superseded");
        browser.screenshot("superseded");
        follow(retest, "Alle Tests bestanden", "tests-passed");
        send("tests-passed");
        assertThat(browser.title()).as("the heading states the decision taken").isEqualTo("Testlauf bestanden");
        assertThat(browser.mainText()).as("what really happens next").contains("Als Nächstes prüfen wir, ob Ihre Domains");
        assertThat(browser.driver.findElements(By.linkText("Stand des Umzugs ansehen"))).as("the status page is one click away").hasSize(1);

        follow(mail.await(id, "SLOT_BOOKING", WAIT), "Termin wählen", "book-slot");
        // The expected downtime from the initial copy's figures, before the customer chooses: a range, clearly an estimate.
        assertThat(browser.driver.findElement(By.cssSelector(".box.important")).getText())
                .contains("Voraussichtliche Ausfallzeit des Shops beim Going-Live: 15 Min. – 50 Min. (eine Schätzung");
        assertThat(browser.mainText()).as("the deployment's office hours").contains("Montag bis Donnerstag zwischen 9:00 und 16:00 Uhr");
        assertThat(browser.driver.findElements(By.cssSelector("input[type=radio][name=slot]"))).isNotEmpty();
        assertThat(browser.driver.findElements(By.cssSelector(".badge"))).isNotEmpty();
        browser.submit();
        assertThat(browser.driver.findElement(By.id("errors")).getText()).contains("Bitte wählen Sie einen der angebotenen Termine.");
        var radios = browser.driver.findElements(By.cssSelector("input[type=radio][name=slot]"));
        radios.get(RANDOM.nextInt(radios.size() - 1)).click();
        browser.submit();
        while (!browser.driver.findElements(By.cssSelector(".box.notice")).isEmpty()) {
            // Another test took that slot a moment earlier: choose again from the fresh list, as a customer would.
            radios = browser.driver.findElements(By.cssSelector("input[type=radio][name=slot]"));
            radios.get(RANDOM.nextInt(radios.size() - 1)).click();
            browser.submit();
        }
        assertThat(browser.driver.findElements(By.cssSelector(".box.success"))).hasSize(1);
        browser.screenshot("book-slot-done");

        follow(mail.await(id, "MAINTENANCE_ON", WAIT), "Wartungsmodus ist aktiv", "maintenance-on");
        send("maintenance-on");
        confirm(mail.await(id, "FINAL_COPY", WAIT), "Kopie abgeschlossen", Map.of());
        confirm(mail.await(id, "MAINTENANCE_OFF", WAIT), "Wartungsmodus ist aus", Map.of());
        follow(mail.await(id, "GO_LIVE_CHECK", WAIT), "Alles funktioniert", "go-live-check");
        send("go-live-check");

        Mailbox.Mail live = mail.await(id, "GO_LIVE_DONE", WAIT);
        follow(live, "Fehler melden", "report-error");
        assertThat(browser.driver.findElement(By.id("notice")).getText()).contains("kostenlos");
        browser.type("description", MARKUP);
        send("report-error");
        Mailbox.Mail report = mail.await(id, "ERROR_REPORT", WAIT);
        assertThat(report.html()).doesNotContain("<script>").contains("&lt;script&gt;");
        // Staff take the report on and fix it from their email; the customer hears of each.
        follow(report, "Fehler wird bearbeitet", "staff-report-acknowledged");
        send("staff-report-acknowledged");
        assertThat(browser.title()).isEqualTo("Fehlermeldung übernommen");
        follow(report, "Fehler behoben", "staff-report-fixed");
        browser.type("note", "Der Cache war veraltet.");
        send("staff-report-fixed");
        assertThat(browser.title()).isEqualTo("Fehler als behoben gemeldet");
        keep("mail-report-acknowledged", mail.await(id, "REPORT_ACKNOWLEDGED", WAIT).html());
        assertThat(mail.await(id, "REPORT_FIXED", WAIT).plain()).contains("Der Cache war veraltet.");

        // The error pages a person may meet.
        String link = live.link("Fehler melden");
        browser.open(link.substring(0, link.length() - 2) + "xx");
        assertThat(browser.title()).isEqualTo("Dieser Link ist nicht gültig");
        browser.screenshot("error-forged");
        LinkSigner signer = new LinkSigner(cloud.linkSecret());
        String expiredId = signer.newId();
        try (var dynamo = cloud.dynamoDb()) {
            new MigrationStore(dynamo, cloud.tableName()).links().put(new Link(id, expiredId, Purpose.REPORT_ERROR, null,
                    Instant.now().minusSeconds(7200), Instant.now().minusSeconds(60), null, null));
        }
        browser.open(cloud.apiBaseUrl() + "/m/" + id + "/" + signer.token(id, expiredId));
        assertThat(browser.title()).isEqualTo("Dieser Link ist abgelaufen");
        browser.screenshot("error-expired");
        browser.open(cloud.apiBaseUrl() + "/somewhere");
        browser.screenshot("error-not-found");

        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        browser.open(live.link("Stand des Umzugs ansehen"));
        assertThat(browser.mainText()).contains("Der Umzug ist abgeschlossen.");
        judge("status-completed");
        browser.screenshot("status-completed");
        // On a 375 px phone every column of the status page is there, and nothing scrolls sideways.
        assertThat(browser.overflowAt(375)).as("horizontal overflow at 375 px").isZero();
        assertThat(browser.mainText()).contains("Geplant", "Tatsächlich", "abgeschlossen");
        browser.screenshot("status-completed-375", 375);
        Mailbox.Mail summary = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("CLOSE_OUT_SUMMARY") && m.to().contains(STAFF),
                WAIT, "staff summary");
        assertThat(summary.subject()).contains("Zusammenfassung");
        assertThat(summary.plain()).as("the estimate told at booking, next to the measured downtime")
                .contains("Erwartete Ausfallzeit (Schätzung bei der Buchung)", "15 Min. – 50 Min.");
        assertThat(summary.plain()).contains("Hallo Max Admin, der Umzug von Muster-Shop für Erika Mustermann ist abgeschlossen").doesNotContain("Vielen Dank für die gute Zusammenarbeit", "Ihr Umzug");
    }
}
