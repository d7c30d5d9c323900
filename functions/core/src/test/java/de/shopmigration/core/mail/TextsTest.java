package de.shopmigration.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Step;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TextsTest {

    static Properties load(String lang) throws Exception {
        Properties p = new Properties();
        p.load(new InputStreamReader(TextsTest.class.getResourceAsStream("/texts/" + lang + ".properties"), StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void germanAndEnglishHaveTheSameTexts() throws Exception {
        assertThat(new TreeSet<>(load("en").stringPropertyNames())).isEqualTo(new TreeSet<>(load("de").stringPropertyNames()));
    }

    @Test
    void everyStepAndEveryLinkPurposeHasItsTexts() {
        for (Language language : Language.values()) {
            Texts t = Texts.of(language);
            for (Step step : Step.values()) {
                assertThat(t.has("step." + step.name())).as(language + " step." + step).isTrue();
                assertThat(t.has("ask." + step.name() + ".subject")).as(language + " ask." + step).isTrue();
                for (Purpose p : step.answers()) {
                    assertThat(t.has("ask." + step.name() + ".action." + p.name()) || t.has("action." + p.name()))
                            .as(language + " button for " + p + " in " + step).isTrue();
                }
            }
            for (Purpose p : Purpose.values()) {
                assertThat(t.has("page.title." + p.name())).as(language + " page.title." + p).isTrue();
                if (p.form() != Purpose.Form.NONE) {
                    assertThat(t.has("page.submit." + p.name())).as(language + " page.submit." + p).isTrue();
                    assertThat(t.has("page.done." + p.name())).as(language + " page.done." + p).isTrue();
                }
            }
        }
    }

    @Test
    void placeholdersAreFilledByNameAndAMissingValueIsAnError() {
        Texts t = Texts.of(Language.DE);
        assertThat(t.get("greeting.customer", java.util.Map.of("customerName", "Erika"))).isEqualTo("Guten Tag Erika,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.get("greeting.customer"))
                .hasMessageContaining("{customerName}");
    }

    @Test
    void everyConfirmationNamesTheDecisionTaken() {
        for (Language language : Language.values()) {
            Texts t = Texts.of(language);
            for (Purpose p : Purpose.values()) {
                if (p.form() != Purpose.Form.NONE) {
                    String title = t.get("page.doneTitle." + p.name(), java.util.Map.of("customerName", "X"));
                    assertThat(title).as(language + " page.doneTitle." + p).doesNotEndWith("?");
                }
            }
        }
    }

    /** Formal address ("Sie", "Ihr") anywhere but at the start of a sentence, where "Sie" may mean "they". */
    private static final java.util.regex.Pattern FORMAL =
            java.util.regex.Pattern.compile("(?<![.!?:;]\\s|^)\\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\\b");
    private static final java.util.regex.Pattern INFORMAL =
            java.util.regex.Pattern.compile("\\b([Dd]u|[Dd]ich|[Dd]ir|[Dd]ein|[Dd]eine|[Dd]einen|[Dd]einem|[Dd]einer)\\b");
    /** "der Kunde Erika Mustermann": a named customer is named. */
    private static final java.util.regex.Pattern GENERIC_CUSTOMER = java.util.regex.Pattern.compile("\\b(der|den|dem|des) Kunden?\\b");

    /**
     * One register per reader in German: the team addresses colleagues with "du", customers
     * with "Sie". Every text a staff member reads, through the staff view, and every text only
     * customers read.
     */
    @Test
    void germanStaffTextsSayDuAndCustomerTextsSaySie() throws Exception {
        Properties german = load("de");
        java.util.Set<String> staffPrefixes = new java.util.TreeSet<>(java.util.List.of("staff.", "remind.staff.", "escalate.",
                "remind.copySilent.", "notice.COPY_FAILED.", "notice.COPY_REPORT.", "notice.DOWNTIME_ALERT.", "notice.OVERRUN.",
                "notice.ERROR_REPORT.", "notice.CLEANUP_FAILED.", "notice.CLOSE_OUT_WAITING.", "notice.UNDELIVERABLE.", "notice.COMPLAINED.", "notice.SITE_WATCH_ALERT.", "notice.SITE_WATCH_RECOVERED.", "notice.DNS_ROLLED_BACK_STAFF.", "watch.", "sitecheck.fact.finding", "sitecheck.fact.warning", "finding.", "field.rollbackNote.", "field.overrideReason.", "error.rollback.", "bounce.", "summary.reports.open.STAFF", "report.free", "report.billable", "who.", "copy.mode."));
        for (Step step : Step.values()) {
            if (step.audience() == Audience.STAFF) {
                staffPrefixes.add("ask." + step.name() + ".");
            }
        }
        for (Purpose p : Purpose.values()) {
            if (p.audience() == Audience.STAFF) {
                for (String kind : java.util.List.of("title", "intro", "submit", "done", "doneTitle", "important")) {
                    staffPrefixes.add("page." + kind + "." + p.name());
                }
            }
        }
        java.util.Set<String> shared = new java.util.TreeSet<>();
        for (String key : german.stringPropertyNames()) {
            if (key.startsWith("validation.") || key.startsWith("error.") || key.equals("note.links") || key.equals("page.errors")) {
                shared.add(key);
            }
        }
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String key : german.stringPropertyNames()) {
            boolean staffKey = staffPrefixes.stream().anyMatch(key::startsWith);
            if (staffKey || shared.contains(key)) {
                // What the staff view of the texts shows for this key.
                String text = staffKey ? german.getProperty(key) : german.getProperty("staff." + key, german.getProperty(key));
                if (FORMAL.matcher(text).find()) {
                    wrong.add("staff reads Sie: " + key + "=" + text);
                }
                if (GENERIC_CUSTOMER.matcher(text).find()) {
                    wrong.add("customer not named: " + key + "=" + text);
                }
            }
            if (!staffKey && INFORMAL.matcher(german.getProperty(key)).find()) {
                wrong.add("customer reads du: " + key + "=" + german.getProperty(key));
            }
        }
        assertThat(wrong).isEmpty();
    }
}
