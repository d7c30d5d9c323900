package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.MigrationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The customer's first contact, in a real browser: the questionnaire email is opened as a mail
 * client shows it, its button followed, the form sent with mistakes (and markup in every text
 * field), the messages read, the values found kept, the form corrected and sent. Screenshots of
 * every page go to target/screenshots.
 */
class QuestionnaireInTheBrowserTest extends CloudTest {

    static final String SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    /** For fields whose maxlength is short (the browser would cut the long one). */
    static final String SHORT_SCRIPT = "<script>alert(1)</script>";
    static final String[] TEXT_FIELDS = {"currentProvider", "access", "shopVersion", "dns0", "interfaces", "cronJobs",
            "contactName", "preferredWindows", "notes", "markerText"};
    /** The second line is on another server: the site check fetches only the shop's own pages. */
    static final String FOREIGN_PAGE = "/warenkorb\nhttps://evil.example/x";

    Browser browser;

    static String markup(String field) {
        return field + " " + (field.equals("shopVersion") ? SHORT_SCRIPT : SCRIPT);
    }

    @BeforeEach
    void startBrowser() throws Exception {
        browser = new Browser("questionnaire");
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void mistakesGetAMessagePerFieldKeepTheValuesAndTheCorrectedAnswersAreStoredAndTheWorkflowMovesOn() throws Exception {
        String id = "M-BROWSER-1";
        cloud.startMigration(id, input("browser", FAST, null));
        Mailbox.Mail email = cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        browser.openEmail(email, "mail-questionnaire");
        browser.screenshot("email-questionnaire");
        browser.click("Fragebogen ausfüllen");
        assertThat(browser.title()).isEqualTo("Fragebogen zu Ihrem Umzug");
        browser.screenshot("questionnaire-empty");

        for (String name : TEXT_FIELDS) {
            browser.type(name, markup(name));
        }
        browser.type("phpVersion", "acht");
        browser.type("databaseSizeGb", "viel");
        browser.type("fileSizeGb", "12");
        browser.type("contactPhone", "ruf mich an");
        browser.type("importantPages", FOREIGN_PAGE);
        browser.submit();

        assertThat(browser.alertShown()).as("markup entered in a field never runs").isFalse();
        assertThat(browser.driver.findElement(By.id("errors")).getText()).contains("Bitte prüfen Sie die markierten Felder.");
        assertThat(browser.errorOf("phpVersion")).isEqualTo("Bitte eine Versionsnummer wie 8.2 eingeben.");
        assertThat(browser.errorOf("databaseSizeGb")).isEqualTo("Bitte eine Zahl eingeben, zum Beispiel 2,5.");
        assertThat(browser.errorOf("contactPhone")).startsWith("Bitte eine Telefonnummer");
        assertThat(browser.errorOf("shopSystem")).isEqualTo("Bitte wählen Sie einen der Einträge.");
        assertThat(browser.errorOf("fileSizeGb")).isNull();
        String domain = SharedCloud.domain("browser");
        assertThat(browser.errorOf("importantPages")).isEqualTo("Zeile 2: „https://evil.example/x“ liegt auf keiner der Domains dieses Umzugs ("
                + domain + ", www." + domain + ").");
        assertThat(browser.valueOf("importantPages")).isEqualTo(FOREIGN_PAGE);
        for (String name : TEXT_FIELDS) {
            assertThat(browser.valueOf(name)).as("kept " + name).isEqualTo(markup(name));
        }
        assertThat(browser.valueOf("phpVersion")).isEqualTo("acht");
        assertThat(browser.driver.findElements(By.tagName("script"))).isEmpty();
        browser.screenshot("questionnaire-errors");

        browser.type("phpVersion", "8.2");
        browser.type("databaseSizeGb", "3,5");
        browser.type("contactPhone", "+49 30 1234567");
        browser.select("shopSystem", "WOOCOMMERCE");
        browser.select("databaseEngine", "MYSQL");
        browser.select("emailHosting", "CURRENT_PROVIDER");
        browser.select("tlsCertificates", "PURCHASED");
        browser.field("interfacesAllowlist").click();
        browser.type("importantPages", "/warenkorb\n\nhttps://www." + domain + "/kasse");
        browser.submit();
        assertThat(browser.driver.findElements(By.cssSelector(".box.success"))).as(browser.mainText()).hasSize(1);
        assertThat(browser.driver.findElement(By.cssSelector(".box.success")).getText()).startsWith("Vielen Dank!");
        browser.screenshot("questionnaire-done");

        JsonNode answers;
        try (var dynamo = cloud.dynamoDb()) {
            answers = new MigrationStore(dynamo, cloud.tableName()).records().raw(id).path("answers");
        }
        assertThat(answers.path("currentProvider").asText()).isEqualTo(markup("currentProvider"));
        assertThat(answers.path("shopSystem").asText()).isEqualTo("WOOCOMMERCE");
        assertThat(answers.path("databaseSizeGb").decimalValue()).isEqualByComparingTo("3.5");
        assertThat(answers.path("interfacesAllowlist").asBoolean()).isTrue();
        assertThat(answers.path("dnsProviders").path(domain).asText()).isEqualTo(markup("dns0"));
        assertThat(answers.path("importantPages").asText()).isEqualTo("/warenkorb\nhttps://www." + domain + "/kasse");
        assertThat(answers.path("markerText").asText()).isEqualTo(markup("markerText"));

        // The workflow moved on: staff get the next task, with the customer's answers shown inert.
        Mailbox.Mail staff = cloud.mailbox().await(id, "CLUSTER_PREPARATION", WAIT);
        assertThat(staff.html()).doesNotContain("<script>").contains("&lt;script&gt;");
        browser.openEmail(staff, "mail-cluster-preparation");
        assertThat(browser.alertShown()).isFalse();
        browser.screenshot("email-cluster-preparation");
        browser.click("Cluster ist vorbereitet");
        assertThat(browser.title()).isEqualTo("Neuer Web-Cluster vorbereitet?");
        browser.screenshot("staff-cluster-prepared");

        browser.open(email.link("Stand des Umzugs ansehen"));
        assertThat(browser.title()).isEqualTo("Stand Ihres Umzugs");
        assertThat(browser.driver.findElement(By.cssSelector(".state-current")).getText()).isEqualTo("läuft");
        browser.screenshot("status");

        browser.open(email.link("Fragebogen ausfüllen"));
        assertThat(browser.title()).isEqualTo("Bereits erledigt");
        browser.screenshot("already-done");

        browser.open(staff.link("Migration abbrechen"));
        browser.screenshot("staff-abort");
        browser.type("reason", "Browsertest beendet");
        browser.submit();
        browser.screenshot("staff-abort-done");
    }
}
