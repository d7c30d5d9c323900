package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Audience;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The way to the test system as the customer reads it, in both parts of the email and both languages. */
class TestAccessGuideTest {

    static MigrationRecord record(String testAccess, String language) {
        return Json.convert(Json.read("""
                {"migrationId": "M-ACCESS-1", "status": "RUNNING",
                 "request": {"migrationId": "M-ACCESS-1", "customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "%s"},
                   "staff": {"name": "Max Admin", "email": "max@hosting.example"},
                   "domains": [{"name": "shop.example", "records": ["shop.example", "www.shop.example"]},
                               {"name": "zweiter-shop.example", "records": ["zweiter-shop.example"]}],
                   "newIp": "198.51.100.20", "targetTtl": 300}%s}""".formatted(language,
                testAccess == null ? "" : ", \"testAccess\": " + testAccess)), MigrationRecord.class);
    }

    static EmailContent email(MigrationRecord record, TestAccessGuide.Occasion occasion) {
        Texts t = Texts.of(record.request().language());
        Map<String, String> values = Messages.values(record.request(), "Muster Hosting");
        return Messages.compose(t, occasion == TestAccessGuide.Occasion.TEST_RUN ? "ask.TEST_RESULTS" : "ask.GO_LIVE_CHECK", Audience.CUSTOMER,
                values, List.of(), List.of(new EmailContent.Action("Alle Tests bestanden", "https://pages.example/m/M-ACCESS-1/a.b", true)),
                TestAccessGuide.of(record, t, values, occasion));
    }

    @Test
    void withTheNewServersAddressEveryMovingHostGetsAHostsLineWithInstructionsPerSystem() {
        EmailContent mail = email(record(null, "de"), TestAccessGuide.Occasion.TEST_RUN);
        String text = EmailRenderer.text(mail);
        assertThat(text).contains("So erreichen Sie das Testsystem", "IP-Adresse 198.51.100.20",
                "      198.51.100.20 shop.example\n      198.51.100.20 www.shop.example\n      198.51.100.20 zweiter-shop.example\n",
                "Windows:", "Als Administrator ausführen", "      C:\\Windows\\System32\\drivers\\etc\\hosts\n",
                "macOS und Linux:", "      sudo nano /etc/hosts\n", "entfernen Sie die Einträge");
        assertThat(text.indexOf("So erreichen Sie das Testsystem")).as("the guide comes before the actions")
                .isLessThan(text.indexOf("Alle Tests bestanden:"));
        assertThat(text).doesNotContain("Benutzername", "Passwort erhalten");
        String html = EmailRenderer.html(mail, "de", "Muster Hosting");
        assertThat(html).contains("<ol", "<pre", "198.51.100.20 www.shop.example", "C:\\Windows\\System32\\drivers\\etc\\hosts");
    }

    @Test
    void withAPreviewUrlTheCustomerJustOpensItAndTheUserNameComesWithoutPassword() {
        EmailContent mail = email(record("{\"url\": \"https://vorschau.hosting.example/m-access-1/\", \"user\": \"shoptest\"}", "de"),
                TestAccessGuide.Occasion.TEST_RUN);
        String text = EmailRenderer.text(mail);
        assertThat(text).contains("      https://vorschau.hosting.example/m-access-1/\n", "      shoptest\n");
        assertThat(text.replaceAll("\\s+", " ")).contains("das Passwort erhalten Sie separat von Max Admin, nie per E-Mail");
        assertThat(text).doesNotContain("hosts", "198.51.100.20", "sudo");
    }

    @Test
    void withBothTheUrlComesFirstAndTheHostsFileIsTheAlternative() {
        String text = EmailRenderer.text(email(record("{\"url\": \"https://vorschau.hosting.example/\", \"ip\": \"2001:db8::20\"}", "de"),
                TestAccessGuide.Occasion.TEST_RUN));
        assertThat(text.indexOf("https://vorschau.hosting.example/")).isLessThan(text.indexOf("2001:db8::20 shop.example"));
        assertThat(text).contains("auch unter Ihren eigenen Domains testen");
    }

    @Test
    void theGoLiveCheckExplainsTheSameWayBeforeTheDnsSwitchInEnglishToo() {
        String text = EmailRenderer.text(email(record("{\"ip\": \"198.51.100.30\"}", "en"), TestAccessGuide.Occasion.GO_LIVE_CHECK));
        assertThat(text).contains("How to check the new server before the DNS switch", "198.51.100.30 zweiter-shop.example",
                "C:\\Windows\\System32\\drivers\\etc\\hosts", "sudo nano /etc/hosts", "Remove the entries from the hosts file after the check");
        assertThat(Texts.of(Language.EN).get("access.hosts.remove.GO_LIVE_CHECK")).isNotBlank();
    }
}
