package de.shopmigration.links;

import de.shopmigration.core.Audience;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.store.ErrorReports.Handling;
import de.shopmigration.core.store.ErrorReports.Report;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.ReportFacts;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 7's pages: the customer reports an error (stored with the regime that applies, staff
 * told with an "acknowledged" and a "fixed" link for that report), and staff act on a report
 * through those links (the customer is told each time). The links of a report keep working
 * after the close-out, so a report that comes or stays open past it can still be handled.
 */
final class ReportPages {

    private final PageViews views;
    private final PageAudit audit;
    private final Collaborators services;

    ReportPages(PageViews views, PageAudit audit, Collaborators services) {
        this.views = views;
        this.audit = audit;
        this.services = services;
    }

    /** Emails with links under the base URL the request came by (the function has no other). */
    private Notifier notifier(Links links) {
        return new Notifier(services.withLinks(links));
    }

    /** Whether a link acts on an error report (its pages are served here). */
    static boolean handles(Purpose purpose) {
        return ErrorReports.STAFF_ACTIONS.contains(purpose);
    }

    /**
     * Stored with the regime that applies, staff told; the link stays usable, for one report
     * every few seconds and {@link ErrorReports#PER_MIGRATION} in all.
     */
    HttpResult report(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Links links, Instant now,
                      Texts t) {
        String description = checked.values().get("description");
        boolean billable = record.errorWindowEndsAt() != null && !now.isBefore(record.errorWindowEndsAt());
        Map<Purpose, String> staffLinks = new EnumMap<>(Purpose.class);
        ErrorReports.STAFF_ACTIONS.forEach(p -> staffLinks.put(p, services.links().newId()));
        ErrorReports.Filing filing = services.store().errorReports().file(record.migrationId(), link.id(),
                new MigrationRecord.ErrorReport(description, now, billable), now, staffLinks,
                now.plusSeconds(record.request().timing().linkValiditySeconds()));
        switch (filing.outcome()) {
            case TOO_SOON -> {
                return views.message(429, t.language(), "report.tooSoon", record, "info", link)
                        .withHeader("Retry-After", Long.toString(ErrorReports.PER_LINK_PAUSE.toSeconds()));
            }
            case LIMIT_REACHED -> {
                return views.message(429, t.language(), "report.limit", record, "info", link,
                        Map.of("limit", Integer.toString(ErrorReports.PER_MIGRATION)));
            }
            case STORED -> {
            }
        }
        audit.audit(record, "customer", "error reported (" + (billable ? "billable" : "free, inside 24 h") + ")", description, request, now);
        Report report = filing.report().orElseThrow();
        Notifier notifier = notifier(links);
        Texts staff = notifier.texts(record, Audience.STAFF);
        Map<String, String> values = notifier.values(record);
        values.put("number", Integer.toString(report.number()));
        values.put("regime", staff.get(billable ? "report.billable" : "report.free"));
        Instant waitEnds = ErrorReports.closeOutWaitEnds(record);
        values.put("closeOut", MigrationRecord.RUNNING.equals(record.status()) && waitEnds != null
                ? staff.get("report.closeOut.running", Map.of("until", TimeFormats.human(waitEnds, staff.language())))
                : staff.get("report.closeOut.done"));
        List<EmailContent.Action> actions = new ArrayList<>();
        report.linkIds().forEach((purpose, id) -> actions.add(new EmailContent.Action(
                Notifier.actionLabel(staff, "notice.ERROR_REPORT", purpose), links.url(record.migrationId(), id),
                actions.isEmpty())));
        notifier.send(record, Audience.STAFF, "ERROR_REPORT", "REPORT#" + TimeFormats.sortable(now), "notice.ERROR_REPORT", values,
                List.of(new EmailContent.Fact(ReportFacts.name(report, staff), ReportFacts.state(report, staff)),
                        ReportFacts.description(report, staff, values)),
                actions, List.of());
        return views.message(200, t.language(), "page.done.REPORT_ERROR", record, "success", link);
    }

    /** The staff page of a report action: which report, where it stands; "already fixed" once nothing is left to do. */
    HttpResult show(Link link, MigrationRecord record, Links links, Texts t) {
        Optional<Report> report = services.store().errorReports().find(record.migrationId(), link.reportKey());
        if (report.isEmpty()) {
            return views.message(410, t.language(), "error.closed", record, "info", link);
        }
        if (!report.get().open()) {
            return views.message(200, t.language(), "report.alreadyFixed", record, "info", link);
        }
        String where = ReportFacts.name(report.get(), t) + ": " + ReportFacts.state(report.get(), t);
        return HttpResult.html(200, Pages.form(views.formView(link.purpose(), record, t, links,
                Forms.fields(link.purpose(), record, t, services.mailer().settings().providerName()), null, where)));
    }

    /** Acknowledges or fixes the report (once, with using the link), then tells the customer. */
    HttpResult act(Link link, MigrationRecord record, Forms.Checked checked, LinkPages.Request request, Links links, Instant now,
                   Texts t) {
        String note = checked.values().get("note");
        Handling handling = services.store().errorReports().handle(link, note, request.sourceIp(), now);
        return switch (handling) {
            case Handling.Done done -> {
                Report report = done.report();
                audit.audit(record, "staff", "error report " + (link.purpose() == Purpose.REPORT_FIXED ? "fixed" : "acknowledged")
                        + " (report " + report.number() + ")", note, request, now);
                tellCustomer(link.purpose(), record, report, links);
                yield views.message(200, t.language(), "page.done." + link.purpose().name(), record, "success", link);
            }
            case Handling.LinkUsed used -> {
                resend(link, links);
                yield views.message(409, t.language(), "error.used", record, "info", link);
            }
            case Handling.AlreadyFixed fixed -> views.message(409, t.language(), "report.alreadyFixed", record, "info", link);
            case Handling.Gone gone -> views.message(410, t.language(), "error.expired", record, "error", link);
        };
    }

    /**
     * A used link sent again: the customer's notice may not have gone out (the first click's
     * email failed after the action was stored). Sent now unless it was; a notice that no
     * longer fits (acknowledged, but fixed since) is not.
     */
    void resend(Link link, Links links) {
        services.store().records().find(link.migrationId()).ifPresent(record -> services.store().errorReports()
                .find(link.migrationId(), link.reportKey())
                .filter(r -> link.purpose() == Purpose.REPORT_FIXED ? !r.open() : r.state() == ErrorReports.State.ACKNOWLEDGED)
                .ifPresent(r -> tellCustomer(link.purpose(), record, r, links)));
    }

    /** Once per report and action: the customer's words quoted, and what staff wrote to them when it is fixed. */
    private void tellCustomer(Purpose action, MigrationRecord record, Report report, Links links) {
        Notifier notifier = notifier(links);
        Texts customer = notifier.texts(record, Audience.CUSTOMER);
        Map<String, String> values = notifier.values(record);
        List<EmailContent.Fact> facts = new ArrayList<>();
        if (action == Purpose.REPORT_FIXED && report.note() != null) {
            facts.add(Notifier.quoted(customer, values, "report.label.note", report.note(), "report.quote.staff"));
        }
        facts.add(ReportFacts.description(report, customer, values));
        notifier.send(record, Audience.CUSTOMER, action.name(), action.name() + "#" + report.key(), "notice." + action.name(),
                Map.of("reportedAt", TimeFormats.human(report.at(), customer.language())), facts, List.of(), List.of());
    }
}
