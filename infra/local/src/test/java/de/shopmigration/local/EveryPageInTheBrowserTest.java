package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Link;
import de.shopmigration.core.LinkSigner;
import de.shopmigration.core.MigrationStore;
import de.shopmigration.core.Purpose;
import java.time.Instant;
import java.util.Map;
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
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    private void follow(Mailbox.Mail mail, String label, String shot) throws Exception {
        browser.openEmail(mail, "mail-" + shot);
        browser.click(label);
        assertThat(browser.alertShown()).isFalse();
        browser.screenshot(shot);
    }

    private void send(String shot) throws Exception {
        browser.submit();
        assertThat(browser.alertShown()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector(".box.success"))).as(browser.mainText()).hasSize(1);
        browser.screenshot(shot + "-done");
    }

    @Test
    void everyPageOfAMigrationWorksInTheBrowserAndMarkupStaysInert() throws Exception {
        String id = "M-PAGES-1";
        String arn = cloud.startMigration(id, input("pages", FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 10"), null));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());

        follow(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", "staff-copy-figures");
        browser.type("files", "48213");
        browser.type("bytes", "viel");
        browser.submit();
        assertThat(browser.errorOf("bytes")).startsWith("Bitte eine Zahl");
        browser.screenshot("staff-copy-figures-error");
        browser.type("bytes", "12884901888");
        send("staff-copy-figures");

        follow(mail.await(id, "TEST_RESULTS", WAIT), "Probleme melden", "problems-found");
        browser.type("description", MARKUP);
        send("problems-found");
        Mailbox.Mail fix = mail.await(id, "PROBLEM_FIX", WAIT);
        assertThat(fix.html()).doesNotContain("<script>", "<b onmouseover").contains("&lt;script&gt;");
        follow(fix, "Probleme behoben", "staff-problems-fixed");
        send("staff-problems-fixed");

        Mailbox.Mail retest = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("TEST_RESULTS") && m.subject().contains("behoben"),
                WAIT, "retest");
        follow(retest, "Alle Tests bestanden", "tests-passed");
        send("tests-passed");

        follow(mail.await(id, "SLOT_BOOKING", WAIT), "Termin wählen", "book-slot");
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
        assertThat(mail.await(id, "ERROR_REPORT", WAIT).html()).doesNotContain("<script>").contains("&lt;script&gt;");

        // The error pages a person may meet.
        String link = live.link("Fehler melden");
        browser.open(link.substring(0, link.length() - 2) + "xx");
        assertThat(browser.title()).isEqualTo("Dieser Link ist nicht gültig");
        browser.screenshot("error-forged");
        LinkSigner signer = new LinkSigner(TestDeployment.LINK_SECRET);
        String expiredId = signer.newId();
        try (var dynamo = cloud.dynamoDb()) {
            new MigrationStore(dynamo, cloud.tableName()).putLink(new Link(id, expiredId, Purpose.REPORT_ERROR, null,
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
        browser.screenshot("status-completed");
    }
}
