package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.TimeFormats;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.component.VEvent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The emails of an English migration as the emulator captured them (raw MIME): recipients,
 * sender and reply-to, language, subject with the migration id, the plain-text part, working
 * links, and the attachments (the tailored test scenarios PDF, the go-live calendar invite).
 */
class EmailsTest extends CloudTest {

    static final Path SENT = Repo.root().resolve("infra/local/target/emails-sent");

    @Test
    void anEnglishMigrationsEmailsCarryTheRightPartsLinksAndAttachments() throws Exception {
        String id = "M-MAIL-1";
        String input = input("mails", FAST, null).replace("\"language\": \"de\"", "\"language\": \"en\"");
        String arn = cloud.startMigration(id, input);
        Mailbox mail = cloud.mailbox();

        Mailbox.Mail questionnaire = mail.await(id, "QUESTIONNAIRE", WAIT);
        assertThat(questionnaire.to()).containsExactly(CUSTOMER);
        assertThat(questionnaire.from()).isEqualTo("\"Muster Hosting\" <umzug@hosting.example>");
        assertThat(questionnaire.replyTo()).isEqualTo("team@hosting.example");
        assertThat(questionnaire.language()).isEqualTo("en");
        assertThat(questionnaire.subject()).isEqualTo("[M-MAIL-1] Questionnaire about your migration");
        assertThat(questionnaire.text()).startsWith("Questionnaire about your migration").contains("Dear Erika Mustermann,");
        assertThat(questionnaire.html()).contains("<html lang=\"en\">");
        for (String link : questionnaire.links()) {
            assertThat(browser.get(link).status()).as(link).isEqualTo(200);
        }
        assertThat(browser.get(questionnaire.link("Fill in the questionnaire")).title()).isEqualTo("Questionnaire about your migration");
        save(questionnaire);

        answerQuestionnaireIn("Fill in the questionnaire", questionnaire, Map.of(
                "shopSystem", "MAGENTO", "interfaces", "SAP Business One\nAmazon Marketplace", "cronJobs", "*/5 * * * * bin/magento cron:run",
                "interfacesAllowlist", "true"));
        Mailbox.Mail cluster = mail.await(id, "CLUSTER_PREPARATION", WAIT);
        assertThat(cluster.to()).containsExactly(STAFF);
        assertThat(cluster.language()).as("staff read German").isEqualTo("de");
        assertThat(cluster.plain()).contains("SAP Business One");
        save(cluster);
        confirm(cluster, "Cluster ist vorbereitet", Map.of());
        save(mail.await(id, "CODE_FREEZE", WAIT));
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", Map.of());

        Mailbox.Mail tests = mail.await(id, "TEST_RESULTS", WAIT);
        assertThat(tests.subject()).isEqualTo("[M-MAIL-1] Your test system is ready: please test");
        assertThat(tests.attachments()).hasSize(1);
        Mailbox.Attachment pdf = tests.attachments().get(0);
        assertThat(pdf.filename()).isEqualTo("Test-scenarios-M-MAIL-1.pdf");
        assertThat(pdf.contentType()).startsWith("application/pdf");
        String scenarios;
        try (PDDocument doc = Loader.loadPDF(pdf.content())) {
            scenarios = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
        assertThat(scenarios).contains("Test scenarios for Muster-Shop", "Magento admin", "Check the interface: SAP Business One",
                "Check the interface: Amazon Marketplace", "Runs on the new cluster at the expected time: */5 * * * * bin/magento cron:run",
                "The new server address 198.51.100.20 is allowed");
        Files.createDirectories(SENT);
        Files.write(SENT.resolve(pdf.filename()), pdf.content());
        save(tests);
        confirm(tests, "All tests passed", Map.of());

        Mailbox.Mail booking = mail.await(id, "SLOT_BOOKING", WAIT);
        String slot = bookFreeSlot(booking.link("Choose a date"));
        Mailbox.Mail confirmed = mail.await(id, "GO_LIVE_CONFIRMED", WAIT);
        Mailbox.Mail booked = mail.await(id, "GO_LIVE_WAIT", WAIT);
        Instant start = Instant.parse(slot);
        assertThat(confirmed.subject()).startsWith("[M-MAIL-1] Your go-live date: ");
        for (Mailbox.Mail m : new Mailbox.Mail[] {confirmed, booked}) {
            assertThat(m.attachments()).hasSize(1);
            Mailbox.Attachment ics = m.attachments().get(0);
            assertThat(ics.contentType()).startsWith("text/calendar");
            VEvent event = new CalendarBuilder().build(new ByteArrayInputStream(ics.content())).<VEvent>getComponent("VEVENT").orElseThrow();
            ZonedDateTime dtStart = ZonedDateTime.from(event.getDateTimeStart().getDate());
            assertThat(dtStart.toInstant()).isEqualTo(start);
            assertThat(dtStart.withZoneSameInstant(TimeFormats.BERLIN).toLocalTime()).isEqualTo(start.atZone(TimeFormats.BERLIN).toLocalTime());
            assertThat(new String(ics.content(), java.nio.charset.StandardCharsets.UTF_8)).contains("TZID:Europe/Berlin", "BEGIN:VTIMEZONE");
            Files.write(SENT.resolve(m.kind() + "-" + ics.filename()), ics.content());
            save(m);
        }
        Mailbox.Mail reminder = mail.await(id, "GO_LIVE_REMINDER", WAIT);
        assertThat(reminder.subject()).startsWith("[M-MAIL-1] Reminder: go-live on ");
        save(reminder);

        abortToEnd(booked);
        Mailbox.Mail aborted;
        try {
            aborted = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                    WAIT, "abort notice");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + cloud.diagnose(arn), e);
        }
        assertThat(aborted.subject()).isEqualTo("[M-MAIL-1] The migration has been aborted");
        save(aborted);
    }

    private void answerQuestionnaireIn(String label, Mailbox.Mail mail, Map<String, String> overrides) {
        Map<String, String> values = new java.util.HashMap<>(ANSWERS);
        values.putAll(overrides);
        confirm(mail, label, values);
    }

    static void save(Mailbox.Mail mail) throws Exception {
        Files.createDirectories(SENT);
        Files.writeString(SENT.resolve(mail.kind() + "-" + mail.language() + ".html"), mail.html());
        Files.writeString(SENT.resolve(mail.kind() + "-" + mail.language() + ".txt"), mail.text());
    }
}
