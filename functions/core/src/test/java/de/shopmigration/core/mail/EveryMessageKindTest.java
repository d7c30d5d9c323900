package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.Step;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Renders every message the workflow can send, in both languages, and saves each as HTML and
 * plain text under target/emails for review. Every placeholder must be filled and every
 * subject must carry the migration id.
 */
class EveryMessageKindTest {

    static final Path OUT = Path.of("target/emails");
    static final List<String> STAFF = List.of("escalate", "remind.staff", "notice.COPY_FAILED", "notice.GO_LIVE_BOOKED",
            "notice.DOWNTIME_ALERT", "notice.ERROR_REPORT", "notice.OVERRUN", "notice.COPY_REPORT", "remind.copySilent", "notice.CLEANUP_FAILED",
            "notice.CLOSE_OUT_WAITING", "notice.UNDELIVERABLE", "notice.COMPLAINED", "escalate.unreachable");

    static Map<String, String> sample() {
        Map<String, String> v = new HashMap<>();
        v.put("migrationId", "M-2026-0042");
        v.put("customerName", "Erika Mustermann");
        v.put("shop", "Muster-Shop");
        v.put("domains", "muster-shop.de, muster-shop.at");
        v.put("provider", "Muster Hosting");
        v.put("staffName", "Max Admin");
        v.put("stepTitle", "Fragebogen zum Umzug");
        v.put("since", "Montag, 23. November 2026, 09:00 Uhr");
        v.put("nudges", "3");
        v.put("who", "den Kunden");
        v.put("ttl", "300");
        v.put("deadline", "Dienstag, 24. November 2026, 09:00 Uhr");
        v.put("mode", "initial");
        v.put("reason", "rsync: connection refused <b>");
        v.put("slot", "Montag, 30. November 2026, 09:00 Uhr");
        v.put("windowEnd", "Dienstag, 1. Dezember 2026, 12:00 Uhr");
        v.put("downtime", "2 Std. 14 Min.");
        v.put("estimateBasis", "aus der Dauer der Kopie für das Testsystem");
        v.putAll(de.shopmigration.core.OfficeHours.DEFAULT.values(de.shopmigration.core.Language.DE));
        v.put("regime", "Die Meldung kam innerhalb des 24-Stunden-Fensters.");
        v.put("phase", "3. Testlauf");
        v.put("plannedEnd", "Donnerstag, 26. November 2026, 17:00 Uhr");
        v.put("limit", "2 Std.");
        v.put("answer", "HTTP 400: target.files is not below a target root");
        v.put("lastReport", "Montag, 23. November 2026, 09:40 Uhr");
        v.put("progress", "Dateien: rsync läuft");
        v.put("number", "2");
        v.put("closeOut", "Der Abschluss der Migration wartet bis Mittwoch, 2. Dezember 2026, 12:00 Uhr.");
        v.put("reportedAt", "Dienstag, 1. Dezember 2026, 10:15 Uhr");
        v.put("until", "Mittwoch, 2. Dezember 2026, 12:00 Uhr");
        v.put("address", "erika@muster-shpo.de");
        v.put("reason", "Unsere E-Mails an erika@muster-shpo.de kommen als unzustellbar zurück.");
        v.put("event", "Bounce");
        v.put("type", "Permanent/General");
        v.put("time", "Montag, 23. November 2026, 09:00 Uhr");
        v.put("diagnostic", "smtp; 550 5.1.1 user unknown");
        v.put("staffEmail", "team@hosting.example");
        v.put("at", "Donnerstag, 3. Dezember 2026, 10:15 Uhr");
        v.put("since", "Donnerstag, 3. Dezember 2026, 09:45 Uhr");
        v.put("checks", "2");
        return v;
    }

    static TreeSet<String> messageKeys() throws Exception {
        Properties p = new Properties();
        p.load(new InputStreamReader(EveryMessageKindTest.class.getResourceAsStream("/texts/de.properties"), StandardCharsets.UTF_8));
        TreeSet<String> keys = new TreeSet<>();
        for (String k : p.stringPropertyNames()) {
            if (k.endsWith(".subject")) {
                keys.add(k.substring(0, k.length() - ".subject".length()));
            }
        }
        return keys;
    }

    static Audience audience(String key) {
        if (STAFF.contains(key)) {
            return Audience.STAFF;
        }
        for (Step step : Step.values()) {
            if (key.equals("ask." + step.name()) || key.startsWith("ask." + step.name() + ".")) {
                return step.audience();
            }
        }
        return Audience.CUSTOMER;
    }

    @Test
    void everyMessageRendersInBothLanguagesWithEveryPlaceholderFilled() throws Exception {
        Files.createDirectories(OUT);
        TreeSet<String> keys = messageKeys();
        assertThat(keys).contains("ask.QUESTIONNAIRE", "notice.TTL_INSTRUCTIONS", "notice.CODE_FREEZE", "notice.COPY_DONE",
                "ask.TEST_RESULTS", "notice.PROBLEMS_RECEIVED", "ask.TEST_RESULTS.PROBLEMS_FIXED", "ask.TEST_RESULTS.OPTIMISED",
                "ask.SLOT_BOOKING", "notice.GO_LIVE_CONFIRMED", "notice.GO_LIVE_REMINDER", "ask.MAINTENANCE_ON",
                "notice.GO_LIVE_DONE", "notice.CLOSE_OUT_SUMMARY", "notice.ABORTED", "escalate", "notice.DOWNTIME_ALERT",
                "ask.GO_LIVE_WAIT", "notice.OVERRUN", "notice.COPY_REPORT", "remind.copySilent",
            "notice.CLOSE_OUT_WAITING", "notice.UNDELIVERABLE", "notice.COMPLAINED", "escalate.unreachable");
        for (Language language : Language.values()) {
            Texts texts = Texts.of(language);
            for (String key : keys) {
                Audience audience = audience(key);
                List<EmailContent.Action> actions = List.of(new EmailContent.Action("Los geht's", "https://links.example/m/M-2026-0042/abc.def", true));
                EmailContent content = Messages.compose(texts, key, audience, sample(),
                        List.of(new EmailContent.Fact("Kunde", "Erika <erika@muster-shop.de>")), actions);
                assertThat(content.subject()).startsWith("[M-2026-0042] ");
                String html = EmailRenderer.html(content, language.code(), "Muster Hosting");
                String text = EmailRenderer.text(content);
                assertThat(html).doesNotContain("{", "<b>").contains("lang=\"" + language.code() + "\"");
                assertThat(text).doesNotContain("{").contains("https://links.example/m/M-2026-0042/abc.def");
                String file = key.replace('.', '-') + "-" + language.code();
                Files.writeString(OUT.resolve(file + ".html"), html);
                Files.writeString(OUT.resolve(file + ".txt"), text);
            }
        }
    }
}
