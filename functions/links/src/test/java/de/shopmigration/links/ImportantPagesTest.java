package de.shopmigration.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.SitePages;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.mail.AnswerFacts;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Texts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The questionnaire's fields for the site check: the important pages (paths, or full addresses
 * on the migration's host names; at most ten) and the marker text; their messages name the line
 * in the page's language, the value stays, and what is stored is what the site check reads.
 */
class ImportantPagesTest {

    static final Texts DE = Texts.of(Language.DE);
    static final Texts EN = Texts.of(Language.EN);
    static final MigrationRecord RECORD = CopyFormTest.record(null);

    /** A questionnaire every other field of which is right. */
    static Map<String, String> questionnaire(String pages, String marker) {
        Map<String, String> posted = new HashMap<>(Map.ofEntries(Map.entry("currentProvider", "Alt-Hosting"),
                Map.entry("shopSystem", "SHOPWARE"), Map.entry("shopVersion", "6.5"), Map.entry("phpVersion", "8.2"),
                Map.entry("databaseEngine", "MARIADB"), Map.entry("databaseSizeGb", "3,5"), Map.entry("fileSizeGb", "12"),
                Map.entry("dns0", "Muster Hosting (Route 53)"), Map.entry("emailHosting", "NONE"), Map.entry("tlsCertificates", "LETS_ENCRYPT"),
                Map.entry("contactName", "Erika Mustermann"), Map.entry("contactPhone", "+49 30 1234567")));
        if (pages != null) {
            posted.put("importantPages", pages);
        }
        if (marker != null) {
            posted.put("markerText", marker);
        }
        return posted;
    }

    static Forms.Checked check(Map<String, String> posted, Texts t) {
        return Forms.check(Forms.fields(Purpose.QUESTIONNAIRE, RECORD, t, "Muster Hosting"), posted, t);
    }

    static String pagesError(String pages, Texts t) {
        Forms.Checked checked = check(questionnaire(pages, null), t);
        assertThat(CopyFormTest.field(checked, "importantPages").value()).as("the value stays").isEqualTo(pages.strip());
        assertThat(checked.fields().stream().filter(f -> f.error() != null).map(Field::name)).as("only this field is wrong")
                .containsAnyOf("importantPages").hasSizeLessThanOrEqualTo(1);
        return CopyFormTest.field(checked, "importantPages").error();
    }

    @Test
    void theFieldsComeAfterTheCronJobsAndAreOptional() {
        List<Field> fields = Forms.fields(Purpose.QUESTIONNAIRE, RECORD, DE, "Muster Hosting");
        List<String> names = fields.stream().map(Field::name).toList();
        assertThat(names.subList(names.indexOf("cronJobs"), names.indexOf("cronJobs") + 3)).containsExactly("cronJobs", "importantPages", "markerText");
        Field pages = fields.get(names.indexOf("importantPages"));
        assertThat(pages.kind()).isEqualTo(Field.Kind.TEXTAREA);
        assertThat(pages.required()).isFalse();
        assertThat(pages.maxLength()).isEqualTo(2000);
        assertThat(pages.hosts()).containsExactly("shop.example", "www.shop.example");
        assertThat(pages.hint()).contains("Bis zu 10 Adressen", "/warenkorb", "Ihrer Domains");
        Field marker = fields.get(names.indexOf("markerText"));
        assertThat(marker.kind()).isEqualTo(Field.Kind.TEXT);
        assertThat(marker.required()).isFalse();
        assertThat(marker.maxLength()).isEqualTo(100);
        assertThat(check(questionnaire(null, null), DE).ok()).as("both may stay empty").isTrue();
    }

    @Test
    void pathsAndAddressesOnTheDomainsAreStoredOnePerLineAndReadByTheSiteCheck() {
        Forms.Checked checked = check(questionnaire("/warenkorb\r\n\r\n   /kategorie/schuhe?seite=2 \r\nhttps://www.shop.example/kasse\n\n",
                " Muster-Shop GmbH "), DE);
        assertThat(checked.ok()).as(checked.fields().toString()).isTrue();
        ObjectNode answers = Forms.answers(checked, RECORD);
        assertThat(answers.path("importantPages").asText()).isEqualTo("/warenkorb\n/kategorie/schuhe?seite=2\nhttps://www.shop.example/kasse");
        assertThat(answers.path("markerText").asText()).isEqualTo("Muster-Shop GmbH");

        MigrationRecord answered = Json.convert(((ObjectNode) Json.tree(RECORD)).set("answers", answers), MigrationRecord.class);
        assertThat(SitePages.importantPaths(answered)).containsExactly("/warenkorb", "/kategorie/schuhe?seite=2", "https://www.shop.example/kasse");
        assertThat(SitePages.marker(answered)).contains("Muster-Shop GmbH");
    }

    @Test
    void anAddressOnAnotherHostIsRefusedNamingTheLineAndTheDomainsInThePagesLanguage() {
        String pages = "/warenkorb\n\nhttps://evil.example/x";
        assertThat(pagesError(pages, DE)).isEqualTo(
                "Zeile 3: „https://evil.example/x“ liegt auf keiner der Domains dieses Umzugs (shop.example, www.shop.example).");
        assertThat(pagesError(pages, EN)).isEqualTo(
                "Line 3: \"https://evil.example/x\" is not on one of your domains (shop.example, www.shop.example).");
    }

    @Test
    void anotherServerBehindTwoSlashesAScriptAndACredentialAreRefusedEachWithItsOwnMessage() {
        String error = pagesError("//evil.example/x\njavascript:alert(document.cookie)\nhttps://admin:geheim@shop.example/\n/warenkorb", DE);
        assertThat(error).isEqualTo("Zeile 1: „//evil.example/x“ beginnt mit //, das würde einen anderen Server bezeichnen. "
                + "Bitte einen Pfad mit einem Schrägstrich angeben, wie /warenkorb. "
                + "Zeile 2: „javascript:alert(document.cookie)“ ist weder ein Pfad, der mit / beginnt (wie /warenkorb), "
                + "noch eine vollständige Adresse mit https://. "
                + "Zeile 3: Bitte die Adresse ohne Benutzernamen und Passwort angeben.");
        assertThat(error).as("a password typed by mistake is not shown again in the message").doesNotContain("geheim");
        assertThat(pagesError("https://shop.example:8080/\n/a b", EN)).isEqualTo(
                "Line 1: \"https://shop.example:8080/\" names a port; only the usual ports (80 and 443) are checked. Please leave the port out. "
                        + "Line 2: \"/a b\" contains spaces or characters an address cannot have.");
    }

    @Test
    void elevenPagesAreTooManyTenAreNot() {
        String ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "/seite-" + i).collect(Collectors.joining("\n\n"));
        assertThat(check(questionnaire(ten, null), DE).ok()).isTrue();
        assertThat(pagesError(ten + "\n/seite-11", DE)).isEqualTo("Bitte höchstens 10 Seiten angeben, eine pro Zeile (es sind 11).");
        assertThat(pagesError(ten + "\n/seite-11", EN)).isEqualTo("Please name at most 10 pages, one per line (there are 11).");
    }

    @Test
    void aLongLineIsQuotedShortened() {
        String line = "https://evil.example/" + "x".repeat(100);
        assertThat(pagesError(line, EN)).contains("\"" + line.substring(0, 59) + "…\"").doesNotContain(line.substring(0, 60));
        assertThat(pagesError("/" + "a".repeat(200), EN)).isEqualTo("Line 1: the path is longer than 200 characters.");
    }

    @Test
    void theMarkerTextIsOneLineOfAtMostAHundredCharacters() {
        Forms.Checked tooLong = check(questionnaire(null, "m".repeat(101)), DE);
        assertThat(CopyFormTest.field(tooLong, "markerText").error()).isEqualTo("Bitte höchstens 100 Zeichen.");
        assertThat(CopyFormTest.field(tooLong, "markerText").value()).isEqualTo("m".repeat(101));
        Forms.Checked twoLines = check(questionnaire(null, "Muster\nShop"), EN);
        assertThat(CopyFormTest.field(twoLines, "markerText").error()).isEqualTo("Please use one line, without line breaks.");
    }

    @Test
    void everyMessageExistsInGermanAndEnglish() {
        for (Texts t : List.of(DE, EN)) {
            for (SitePages.Problem p : SitePages.Problem.values()) {
                assertThat(t.get("validation.pages." + p.name(), Map.of("line", "1", "page", "x", "max", "200", "domains", "d")))
                        .as(t.language() + " " + p).startsWith(t.language() == Language.DE ? "Zeile 1" : "Line 1");
            }
            assertThat(t.has("validation.pages.tooMany")).isTrue();
        }
    }

    @Test
    void staffReadTheAnswersUnderTheFieldsLabels() {
        ObjectNode answers = Forms.answers(check(questionnaire("/warenkorb\nhttps://shop.example/kasse", "Muster-Shop"), DE), RECORD);
        Texts staff = Texts.of(Language.DE, Audience.STAFF);
        Map<String, EmailContent.Fact> facts = AnswerFacts.of(answers, staff, "Erika schrieb").stream()
                .collect(Collectors.toMap(EmailContent.Fact::label, f -> f));
        assertThat(facts.get("Wichtige Seiten des Shops (eine pro Zeile)").value()).isEqualTo("/warenkorb\nhttps://shop.example/kasse");
        assertThat(facts.get("Ein Text, der auf der Startseite des Shops stehen muss").value()).isEqualTo("Muster-Shop");
    }
}
