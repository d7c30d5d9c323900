package de.shopmigration.core.mail;

import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.TimeFormats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How emails show error reports: each one named by its number and time, with its state (open,
 * being worked on, fixed, with times), and what the customer typed quoted after the email's
 * actions, never part of a sentence.
 */
public final class ReportFacts {

    private ReportFacts() {
    }

    /** "Report 2 of Wed 3 Dec, 14:02 (inside the 24-hour window)". */
    public static String name(ErrorReports.Report report, Texts texts) {
        return texts.get("report.label", Map.of("number", Integer.toString(report.number()),
                "at", TimeFormats.brief(report.at(), texts.language()),
                "regime", texts.get(report.billable() ? "report.regime.billable" : "report.regime.free")));
    }

    /** Open, being worked on since when, or fixed when. */
    public static String state(ErrorReports.Report report, Texts texts) {
        return switch (report.state()) {
            case OPEN -> texts.get("report.state.OPEN");
            case ACKNOWLEDGED -> texts.get("report.state.ACKNOWLEDGED",
                    Map.of("acknowledgedAt", TimeFormats.brief(report.acknowledgedAt(), texts.language())));
            case FIXED -> texts.get("report.state.FIXED", Map.of("fixedAt", TimeFormats.brief(report.fixedAt(), texts.language())));
        };
    }

    /** The customer's own words for one report, quoted. */
    public static EmailContent.Fact description(ErrorReports.Report report, Texts texts, Map<String, String> values) {
        return EmailContent.Fact.quoted(texts.get("report.label.short", Map.of("number", Integer.toString(report.number()))),
                report.description(), texts.get("quote.customer", values));
    }

    /** Per report its state, then each description quoted (after the actions in the plain text). */
    public static List<EmailContent.Fact> list(List<ErrorReports.Report> reports, Texts texts, Map<String, String> values) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        reports.forEach(r -> facts.add(new EmailContent.Fact(name(r, texts), state(r, texts))));
        reports.forEach(r -> facts.add(description(r, texts, values)));
        return facts;
    }

    /**
     * A "fixed" button for each open report whose link is still unused: staff act from the
     * email in front of them. Links that can no longer act are not offered.
     */
    public static List<EmailContent.Action> fixActions(List<ErrorReports.Report> open, Texts texts, Links links, String migrationId,
                                                       Instant now) {
        List<EmailContent.Action> actions = new ArrayList<>();
        for (ErrorReports.Report r : open) {
            String id = r.linkIds().get(Purpose.REPORT_FIXED);
            if (id != null && links.acts(migrationId, id, now)) {
                actions.add(new EmailContent.Action(texts.get("report.action.fixed", Map.of("number", Integer.toString(r.number()))),
                        links.url(migrationId, id), false));
            }
        }
        return actions;
    }
}
