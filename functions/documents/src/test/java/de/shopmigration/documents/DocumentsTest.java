package de.shopmigration.documents;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Texts;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** What the documents function writes, read back by other libraries than the ones that wrote it. */
class DocumentsTest {

    static final Path OUT = Path.of("target/documents");

    static MigrationRecord record(String language, String shopSystem) {
        return Json.convert(Json.read("""
                {"migrationId": "M-DOC-1",
                 "request": {"migrationId": "M-DOC-1",
                   "customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "%s"},
                   "shopName": "Muster-Shop", "domains": [{"name": "shop.example", "records": ["shop.example"]}],
                   "newIp": "198.51.100.20", "targetTtl": 300},
                 "answers": {"shopSystem": "%s", "interfacesAllowlist": true,
                   "interfaces": "JTL-Wawi (Warenwirtschaft)\\nPayPal Checkout\\n\\nDHL Versand",
                   "cronJobs": "*/15 * * * * php bin/console scheduled-task:run\\n0 3 * * * export.sh"}}
                """.formatted(language, shopSystem)), MigrationRecord.class);
    }

    static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
    }

    @Test
    void theTestScenariosAreTailoredToTheQuestionnaireAndReadableAsPdf() throws Exception {
        MigrationRecord record = record("de", "SHOPWARE");
        Texts t = Texts.of(Language.DE);
        byte[] pdf = TestScenarioChecklist.pdf(record, t, Messages.values(record.request(), "Muster Hosting"));
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("Testszenarien-de.pdf"), pdf);
        String text = text(pdf);
        assertThat(text).contains("Testszenarien für Muster-Shop", "Umzug M-DOC-1",
                "Shopware-Administration: Anmeldung",
                "Schnittstelle prüfen: JTL-Wawi (Warenwirtschaft)", "Schnittstelle prüfen: PayPal Checkout",
                "Schnittstelle prüfen: DHL Versand",
                "Die neue Server-Adresse 198.51.100.20 ist bei allen Schnittstellen freigegeben",
                "Läuft auf dem neuen Cluster zur erwarteten Zeit: */15 * * * * php bin/console scheduled-task:run",
                "Jede angebotene Zahlart", "Jede Versandart", "Bestellbestätigung", "Muster Hosting · Umzug M-DOC-1 · Seite 1");
        assertThat(text).doesNotContain("Magento", "WordPress-Admin");
    }

    @Test
    void anEnglishMigrationGetsEnglishScenariosForItsShopSystem() throws Exception {
        MigrationRecord record = record("en", "MAGENTO");
        byte[] pdf = TestScenarioChecklist.pdf(record, Texts.of(Language.EN), Messages.values(record.request(), "Muster Hosting"));
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("Test-scenarios-en.pdf"), pdf);
        assertThat(text(pdf)).contains("Test scenarios for Muster-Shop", "Magento admin: log-in, indexer status",
                "Check the interface: DHL Versand", "Runs on the new cluster at the expected time: 0 3 * * * export.sh");
    }

    @Test
    void theChecklistOpensWithTheWayToTheTestSystem() throws Exception {
        MigrationRecord byAddress = record("de", "SHOPWARE");
        String text = text(TestScenarioChecklist.pdf(byAddress, Texts.of(Language.DE), Messages.values(byAddress.request(), "Muster Hosting")));
        assertThat(text).contains("So erreichen Sie das Testsystem", "IP-Adresse 198.51.100.20", "198.51.100.20 shop.example",
                "C:\\Windows\\System32\\drivers\\etc\\hosts", "Als Administrator ausführen", "sudo nano /etc/hosts",
                "entfernen Sie die Einträge");
        assertThat(text.indexOf("So erreichen Sie das Testsystem")).isLessThan(text.indexOf("Shop-Oberfläche"));

        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(record("en", "MAGENTO"));
        tree.putObject("testAccess").put("url", "https://preview.hosting.example/m-doc-1/").put("user", "shoptest");
        MigrationRecord byUrl = Json.convert(tree, MigrationRecord.class);
        byte[] pdf = TestScenarioChecklist.pdf(byUrl, Texts.of(Language.EN), Messages.values(byUrl.request(), "Muster Hosting"));
        Files.createDirectories(OUT);
        Files.write(OUT.resolve("Test-scenarios-preview-url-en.pdf"), pdf);
        assertThat(text(pdf)).contains("How to reach the test system", "https://preview.hosting.example/m-doc-1/", "shoptest",
                "you get the password separately").doesNotContain("hosts file", "sudo");
    }

    static VEvent event(byte[] ics) throws Exception {
        Calendar calendar = new CalendarBuilder().build(new ByteArrayInputStream(ics));
        return calendar.<VEvent>getComponent("VEVENT").orElseThrow();
    }

    static LocalDateTime berlin(String local) {
        return LocalDateTime.parse(local);
    }

    @Test
    void theInviteKeepsTheBerlinWallClockTimeOnBothSidesOfTheDaylightSavingSwitch() throws Exception {
        for (String local : List.of("2026-03-26T09:00", "2026-03-30T09:00", "2026-10-22T11:00", "2026-10-26T11:00")) {
            Instant start = berlin(local).atZone(TimeFormats.BERLIN).toInstant();
            byte[] ics = GoLiveInvite.ics("go-live-M-DOC-1@hosting.example", start, start.plusSeconds(4 * 3600),
                    "Going-Live Muster-Shop (Umzug M-DOC-1)", "Wartungsmodus zu Beginn", "Muster Hosting",
                    "umzug@hosting.example", "Erika Mustermann", "erika@shop.example", Instant.parse("2026-11-25T10:00:00Z"), 0);
            String text = new String(ics, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
                    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "METHOD:REQUEST",
                    "DTSTART;TZID=Europe/Berlin:" + local.replace("-", "").replace(":", "") + "00");
            VEvent event = event(ics);
            Temporal dtStart = event.getDateTimeStart().getDate();
            assertThat(ZonedDateTime.from(dtStart).toInstant()).as(local).isEqualTo(start);
            assertThat(ZonedDateTime.from(dtStart).withZoneSameInstant(TimeFormats.BERLIN).toLocalDateTime()).isEqualTo(berlin(local));
            assertThat(event.getSummary().getValue()).isEqualTo("Going-Live Muster-Shop (Umzug M-DOC-1)");
            assertThat(event.getUid().orElseThrow().getValue()).isEqualTo("go-live-M-DOC-1@hosting.example");
            Files.createDirectories(OUT);
            Files.write(OUT.resolve("Going-Live-" + local.substring(0, 10) + ".ics"), ics);
        }
    }

    @Test
    void aRebookingUpdatesTheSameEvent() {
        MigrationRecord twice = Json.convert(Json.tree(Map.of("migrationId", "M-1", "decisions", List.of(
                Map.of("step", "SLOT_BOOKING", "round", 1, "decision", "BOOKED"),
                Map.of("step", "GO_LIVE_WAIT", "round", 1, "decision", "REBOOKED"),
                Map.of("step", "SLOT_BOOKING", "round", 2, "decision", "BOOKED")))), MigrationRecord.class);
        assertThat(DocumentWriter.rebookings(twice)).isEqualTo(2);
    }
}
