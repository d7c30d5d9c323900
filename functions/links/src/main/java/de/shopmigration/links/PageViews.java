package de.shopmigration.links;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.Messages;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the link pages show and in which language: the message pages, the frame around every
 * page, a form's view, and whose language a page speaks (the customer's for customer links,
 * the staff language for staff links, the browser's where no migration is known).
 */
final class PageViews {

    private final Collaborators services;

    PageViews(Collaborators services) {
        this.services = services;
    }

    Views.FormView formView(Purpose purpose, MigrationRecord record, Texts t, Links links, List<Field> fields, String errorSummary,
                            String notice) {
        String important = t.find("page.important." + purpose.name(), Map.of()).orElse(null);
        if (purpose.form() == Purpose.Form.SLOTS && important == null) {
            // Before choosing a date: how long the shop will be down, as a range, clearly an estimate.
            de.shopmigration.core.DowntimeEstimate estimate = de.shopmigration.core.DowntimeEstimate.of(record);
            important = t.get("page.estimate", Map.of("downtime", estimate.range(t.language()),
                    "estimateBasis", t.get(estimate.fromCopy() ? "estimate.basis.copy" : "estimate.basis.plan")));
        }
        String info = notice;
        if (purpose == Purpose.REPORT_ERROR && info == null) {
            Instant end = record.errorWindowEndsAt();
            boolean billable = end != null && !services.clock().instant().isBefore(end);
            info = t.get(billable ? "page.report.billable" : "page.report.free",
                    Map.of("windowEnd", end == null ? "–" : TimeFormats.human(end, t.language())));
        }
        String statusUrl = purpose.audience() == Audience.CUSTOMER && record.standingLinks().containsKey(Purpose.STATUS.name())
                ? links.url(record.migrationId(), record.standingLinks().get(Purpose.STATUS.name())) : null;
        Views.Frame frame = frame(t, record, purpose, "page.title." + purpose.name(), statusUrl);
        Map<String, String> introValues = new HashMap<>(values(record));
        if (purpose.form() == Purpose.Form.SLOTS) {
            introValues.putAll(services.officeHours().values(t.language()));
        }
        return new Views.FormView(frame, t.numbered("page.intro." + purpose.name(), introValues), important, info,
                errorSummary, fields, t.get("page.submit." + purpose.name()), purpose == Purpose.ABORT);
    }

    Views.Frame frame(Texts t, MigrationRecord record, Purpose purpose, String titleKey, String statusUrl) {
        Map<String, String> values = values(record);
        String provider = services.mailer().settings().providerName();
        String lead = record == null ? "" : t.get("page.lead." + (purpose == null ? Audience.CUSTOMER : purpose.audience()).name(), values);
        return new Views.Frame(t.language().code(), provider, lead, t.get(titleKey, values),
                record == null ? provider : t.get("page.footer", values), statusUrl, t.get("page.statusLink"), t.get("page.required"));
    }

    private Map<String, String> values(MigrationRecord record) {
        return record == null ? Map.of() : Messages.values(record.request(), services.mailer().settings().providerName());
    }

    HttpResult message(int status, Language language, String key, MigrationRecord record, String kind, Link link) {
        return message(status, language, key, record, kind, link, Map.of());
    }

    HttpResult message(int status, Language language, String key, MigrationRecord record, String kind, Link link,
                       Map<String, String> extra) {
        Purpose purpose = link == null ? null : link.purpose();
        Audience audience = purpose == null ? Audience.CUSTOMER : purpose.audience();
        Texts t = Texts.of(language, audience);
        Map<String, String> values = new HashMap<>(values(record));
        values.putAll(extra);
        boolean done = key.startsWith("page.done.") && purpose != null;
        String title = done ? t.get("page.doneTitle." + purpose.name(), values) : t.get(key + ".title", values);
        List<String> text = List.of(done ? t.get(key, values) : t.get(key + ".text", values));
        String provider = services.mailer().settings().providerName();
        // The customer can always go on to the overview; its link sits beside this one under the migration.
        String statusLink = record != null && audience == Audience.CUSTOMER && purpose != Purpose.STATUS
                && record.standingLinks().containsKey(Purpose.STATUS.name())
                ? services.links().token(record.migrationId(), record.standingLinks().get(Purpose.STATUS.name())) : null;
        Views.Frame frame = new Views.Frame(language.code(), provider,
                record == null ? "" : t.get("page.lead." + audience.name(), values),
                title, record == null ? provider : t.get("page.footer", values), statusLink, t.get("page.statusLink"), t.get("page.required"));
        return HttpResult.html(status, Pages.message(new Views.MessageView(frame, kind, text)));
    }

    Texts texts(Purpose purpose, MigrationRecord record) {
        Language language = purpose.audience() == Audience.CUSTOMER ? record.request().language()
                : services.mailer().settings().staffLanguage();
        return Texts.of(language, purpose.audience());
    }

    Language languageFor(Link link, Optional<MigrationRecord> record, Language fallback) {
        return record.isPresent() ? texts(link.purpose(), record.get()).language() : fallback;
    }

    static Language acceptLanguage(LinkPages.Request request) {
        String header = request.header("Accept-Language");
        return header != null && header.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? Language.EN : Language.DE;
    }

    /** Whom a customer writes to or calls: the responsible staff member (or the provider) and the reply-to address. */
    String contact(MigrationRecord record) {
        return Messages.values(record.request(), provider()).get("staffName") + " (" + services.mailer().settings().replyTo() + ")";
    }

    String provider() {
        return services.mailer().settings().providerName();
    }
}
