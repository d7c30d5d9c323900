package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Staff confirm the initial copy on the real page with figures as people write them ("48.213"
 * files, "12 GB", "1,5 GB") and the way to the test system; the customer's test email and its
 * checklist PDF explain that way step by step; with the final copy staff correct the access,
 * and the go-live check email explains the corrected way. A refused figure gets its message
 * (HTTP 422) and every field keeps what was typed.
 */
class TestSystemAccessTest extends CloudTest {

    static final String PREVIEW = "https://vorschau.hosting.example/m-access-1/";
    static final String HOST = SharedCloud.domain("access");

    Browser chromium;

    @BeforeEach
    void startBrowser() throws Exception {
        chromium = new Browser("access");
    }

    @AfterEach
    void stopBrowser() {
        chromium.close();
    }

    @Test
    void figuresAsWrittenAndTheWayToTheTestSystemReachTheRecordTheEmailsAndTheChecklist() throws Exception {
        String id = "M-ACCESS-1";
        cloud.startMigration(id, input("access", FAST, null));
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());

        // What staff type, one figure ambiguous and the address a private one: refused, nothing lost.
        Map<String, String> typed = new HashMap<>(Map.of("files", "48.213", "bytes", "1.500 GB", "tables", "312",
                "databaseBytes", "1,5 GB", "durationSeconds", "1.260", "testUrl", PREVIEW, "testIp", "10.0.0.5", "testUser", "shoptest"));
        LinkClient.Page refused = browser.submit(browser.get(copy.link("Kopie abgeschlossen")), typed);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.document().select("#errors").text()).contains("Mehrdeutig", "öffentliche IPv4-Adresse");
        typed.forEach((name, value) -> assertThat(refused.document().select("[name=" + name + "]").val()).as(name).isEqualTo(value));
        assertThat(record(id).copies()).as("a refused form stores nothing").isEmpty();

        // The same form in Chromium: the hints say how to write figures; the address is the request's new server.
        chromium.openEmail(copy, "mail-staff-copy");
        chromium.click("Kopie abgeschlossen");
        assertThat(chromium.mainText()).contains("48.213 ist 48213", "z. B. 12 GB, 1,5 GB oder 800 MB", "Ohne Einheit in Bytes",
                "„1.500 GB“ ist mehrdeutig", "Vorschau-URL", "hosts-Datei");
        assertThat(chromium.valueOf("testIp")).isEqualTo("198.51.100.20");
        typed.put("bytes", "12 GB");
        typed.put("testIp", "198.51.100.30");
        typed.forEach(chromium::type);
        chromium.submit();
        assertThat(chromium.driver.findElements(org.openqa.selenium.By.cssSelector(".box.success"))).as(chromium.mainText()).hasSize(1);
        chromium.screenshot("staff-copy-done");

        MigrationRecord stored = record(id);
        assertThat(stored.copies()).singleElement().satisfies(c -> {
            assertThat(c.files()).isEqualTo(48_213L);
            assertThat(c.bytes()).isEqualTo(12_000_000_000L);
            assertThat(c.tables()).isEqualTo(312L);
            assertThat(c.databaseBytes()).isEqualTo(1_500_000_000L);
            assertThat(c.durationSeconds()).isEqualTo(1_260L);
        });
        assertThat(stored.testAccess()).extracting(MigrationRecord.TestAccess::url, MigrationRecord.TestAccess::ip, MigrationRecord.TestAccess::user)
                .containsExactly(PREVIEW, "198.51.100.30", "shoptest");

        // The customer's test email: the preview URL first, the hosts-file way as the alternative, the user name without a password.
        Mailbox.Mail tests = mail.await(id, "TEST_RESULTS", WAIT);
        assertThat(tests.to()).containsExactly(CUSTOMER);
        assertThat(tests.text()).contains("So erreichen Sie das Testsystem", "      " + PREVIEW + "\n",
                "      198.51.100.30 " + HOST + "\n      198.51.100.30 www." + HOST + "\n",
                "Als Administrator ausführen", "      C:\\Windows\\System32\\drivers\\etc\\hosts\n",
                "macOS und Linux", "      sudo nano /etc/hosts\n", "      shoptest\n");
        assertThat(tests.plain()).contains("das Passwort erhalten Sie separat von Max Admin, nie per E-Mail",
                "Wenn Sie mit dem Test fertig sind, entfernen Sie die Einträge");
        assertThat(tests.text().indexOf(PREVIEW)).as("the URL comes first").isLessThan(tests.text().indexOf("198.51.100.30 " + HOST));
        assertThat(tests.text().indexOf("So erreichen Sie das Testsystem")).as("the way in comes before the buttons")
                .isLessThan(tests.text().indexOf("Alle Tests bestanden:"));
        assertThat(tests.html()).contains("<pre", "198.51.100.30 www." + HOST);

        String checklist;
        try (PDDocument doc = Loader.loadPDF(tests.attachments().get(0).content())) {
            checklist = new PDFTextStripper().getText(doc);
        }
        assertThat(checklist).contains(PREVIEW, "198.51.100.30 " + HOST, "198.51.100.30 www." + HOST,
                "C:\\Windows\\System32\\drivers\\etc\\hosts", "sudo nano /etc/hosts", "shoptest");
        assertThat(checklist.replaceAll("\\s+", " ")).contains("So erreichen Sie das Testsystem", "Als Administrator ausführen",
                "das Passwort erhalten Sie separat", "entfernen Sie die Einträge");
        assertThat(checklist.indexOf("So erreichen Sie das Testsystem")).as("the way in opens the checklist")
                .isLessThan(checklist.indexOf("Shop-Oberfläche"));

        // Through the test run to the final copy; staff correct the access there: the address only, no password protection.
        confirm(tests, "Alle Tests bestanden", Map.of());
        bookFreeSlot(walk.slotOffer(id).link("Termin wählen"));
        confirm(walk.await(id, "MAINTENANCE_ON"), "Wartungsmodus ist aktiv", Map.of());
        LinkClient.Page finalCopy = browser.get(walk.await(id, "FINAL_COPY").link("Kopie abgeschlossen"));
        assertThat(finalCopy.document().select("[name=testUrl]").val()).as("the stored access, to correct").isEqualTo(PREVIEW);
        assertThat(finalCopy.document().select("[name=testIp]").val()).isEqualTo("198.51.100.30");
        LinkClient.Page done = browser.submit(finalCopy, Map.of("files", "211", "bytes", "800 MB", "durationSeconds", "95",
                "testUrl", "", "testIp", "198.51.100.20", "testUser", ""));
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        confirm(walk.await(id, "MAINTENANCE_OFF"), "Wartungsmodus ist aus", Map.of());

        Mailbox.Mail check = walk.await(id, "GO_LIVE_CHECK");
        assertThat(check.to()).containsExactly(CUSTOMER);
        assertThat(check.text()).contains("So prüfen Sie den neuen Server vor der DNS-Umstellung",
                "      198.51.100.20 " + HOST + "\n      198.51.100.20 www." + HOST + "\n",
                "      C:\\Windows\\System32\\drivers\\etc\\hosts\n", "      sudo nano /etc/hosts\n")
                .doesNotContain(PREVIEW, "198.51.100.30", "shoptest");
        assertThat(check.plain()).contains("Entfernen Sie die Einträge nach der Prüfung wieder aus der hosts-Datei");
        assertThat(record(id).copies()).extracting(MigrationRecord.CopyResult::bytes).containsExactly(12_000_000_000L, 800_000_000L);
        confirm(check, "Alles funktioniert", Map.of());
        walk.await(id, "GO_LIVE_DONE");
    }
}
