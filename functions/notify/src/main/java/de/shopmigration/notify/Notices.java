package de.shopmigration.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.Audience;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.SiteCheckLines;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.CopyFigures;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.ReportFacts;
import de.shopmigration.core.mail.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The messages that tell rather than ask: code freeze, test system ready, DNS instructions,
 * go-live done with the 24-hour window, alerts to staff, and the close-out summary.
 */
public final class Notices {

    public enum Kind {
        TTL_INSTRUCTIONS, CODE_FREEZE, COPY_DONE, COPY_FAILED, PROBLEMS_RECEIVED, GO_LIVE_REMINDER, GO_LIVE_DONE,
        DOWNTIME_ALERT, CLOSE_OUT_SUMMARY, ABORTED, CLEANUP_FAILED
    }

    private final Collaborators services;
    private final Notifier notifier;

    public Notices(Collaborators services) {
        this.services = services;
        this.notifier = new Notifier(services);
    }

    /** SnapStart priming: what every notice does, short of sending. */
    public void prime() {
        services.prime(true);
    }

    /** @param round distinguishes repeated notices of one kind (a second failed copy) */
    public ObjectNode send(String migrationId, Kind kind, int round, JsonNode params) {
        MigrationRecord record = services.store().records().get(migrationId);
        Instant now = services.clock().instant();
        String dedup = kind.name() + "#" + round;
        int sent = 0;
        switch (kind) {
            case TTL_INSTRUCTIONS -> sent += ttlInstructions(record, dedup, now);
            case CODE_FREEZE -> sent += send(record, Audience.CUSTOMER, kind, dedup, Map.of(), List.of(), List.of());
            case COPY_DONE -> {
                sent += send(record, Audience.CUSTOMER, kind, dedup, Map.of(), List.of(), List.of());
                // Staff who reported the copy by hand typed the figures themselves; the tooling's they have not seen.
                if (record.lastDecidedBy(Step.INITIAL_COPY).filter(MigrationRecord.COPY_TOOLING::equals).isPresent()) {
                    Texts staff = notifier.texts(record, Audience.STAFF);
                    sent += notifier.send(record, Audience.STAFF, "COPY_REPORT", dedup + "#staff", "notice.COPY_REPORT",
                            Map.of("mode", staff.get("copy.mode.initial")), CopyFigures.facts(record.latestCopy("initial").orElse(null), staff),
                            List.of(), List.of()) ? 1 : 0;
                }
            }
            case COPY_FAILED -> {
                String mode = params.path("mode").asText("?");
                // The reason is what the copy tooling or a staff member typed.
                boolean byTooling = record.lastDecidedBy("final".equals(mode) ? Step.FINAL_COPY : Step.INITIAL_COPY)
                        .filter(MigrationRecord.COPY_TOOLING::equals).isPresent();
                Texts staff = notifier.texts(record, Audience.STAFF);
                sent += send(record, Audience.STAFF, kind, dedup, Map.of("mode", staff.get("copy.mode." + mode)), List.of(Notifier.quoted(staff, notifier.values(record),
                        "quote.label.reason", params.path("reason").asText("?"), byTooling ? "quote.tooling" : "quote.staff")), List.of());
            }
            case PROBLEMS_RECEIVED -> {
                Texts customer = notifier.texts(record, Audience.CUSTOMER);
                sent += send(record, Audience.CUSTOMER, kind, dedup, Map.of(), List.of(Notifier.quoted(customer, notifier.values(record),
                        "notice.PROBLEMS_RECEIVED.fact", params.path("description").asText(""), "quote.customer")), List.of());
            }
            case GO_LIVE_REMINDER -> {
                // Sent only when the booking planned one (not for a go-live booked less than a day ahead).
                if (record.booking().remindAt() != null) {
                    sent += send(record, Audience.CUSTOMER, kind, "GO_LIVE_REMINDER#" + record.goLiveBookings(),
                            Map.of("slot", TimeFormats.human(record.booking().start(), record.request().language())), List.of(), List.of());
                }
                return Json.object().put("sent", sent).put("secondsUntilGoLive",
                        Math.max(1, (java.time.Duration.between(now, record.booking().startGoLiveAt()).toMillis() + 999) / 1000));
            }
            case GO_LIVE_DONE -> {
                // The go-live is over: its hours are free for others (the staff calendar keeps the event).
                if (record.booking() != null) {
                    services.store().bookings().release(migrationId, record.booking().held());
                }
                sent += goLiveDone(record, dedup, now);
                if (sent > 0) {
                    services.metrics().goLiveCompleted(migrationId);
                }
                // The close-out waits until exactly this moment (stored once, so retries agree).
                return Json.object().put("sent", sent)
                        .put("errorWindowEndsAt", services.store().records().get(migrationId).errorWindowEndsAt().toString());
            }
            case DOWNTIME_ALERT -> sent += send(record, Audience.STAFF, kind, dedup,
                    Map.of("downtime", duration(Duration.ofSeconds(params.path("downtimeSeconds").asLong()),
                            services.mailer().settings().staffLanguage()),
                            "limit", duration(Duration.ofSeconds(record.request().timing().downtimeAlertSeconds()),
                                    services.mailer().settings().staffLanguage())), List.of(), List.of());
            case ABORTED -> sent += aborted(record);
            case CLEANUP_FAILED -> sent += cleanupFailed(record, params.path("error").asText("States.Runtime"), params.path("failedAt").asText("?"));
            case CLOSE_OUT_SUMMARY -> {
                List<ErrorReports.Report> reports = services.store().errorReports().list(migrationId);
                int toCustomer = send(record, Audience.CUSTOMER, kind, dedup + "#customer", Map.of(),
                        summary(record, Audience.CUSTOMER, reports, now), List.of());
                if (toCustomer > 0) {
                    // The record is COMPLETED (the state machine closed it before this step): counted with the summary, once.
                    services.metrics().migrationEnded(record);
                }
                sent += toCustomer;
                // Staff can still mark what is open as fixed: those links work after the close-out.
                sent += send(record, Audience.STAFF, kind, dedup + "#staff", Map.of(), summary(record, Audience.STAFF, reports, now),
                        ReportFacts.fixActions(reports.stream().filter(ErrorReports.Report::open).toList(),
                                notifier.texts(record, Audience.STAFF), services.links(), migrationId, now));
            }
        }
        return Json.object().put("sent", sent);
    }

    private int send(MigrationRecord record, Audience audience, Kind kind, String dedup, Map<String, String> values,
                     List<EmailContent.Fact> facts, List<EmailContent.Action> actions) {
        return notifier.send(record, audience, kind.name(), dedup, "notice." + kind.name(), values, facts, actions, List.of()) ? 1 : 0;
    }

    /**
     * The end of an aborted migration, after the cleanup: the customer learns the reason (a
     * generic one for a technical failure, whose details are for staff) and which records at
     * their own DNS provider are theirs to put back; staff get the reason as recorded.
     */
    private int aborted(MigrationRecord record) {
        MigrationRecord.Abort abort = record.abort();
        String reason = abort == null ? "?" : abort.reason();
        String message = abort == null ? null : abort.customerMessage();
        Map<String, String> values = notifier.values(record);
        Texts customer = notifier.texts(record, Audience.CUSTOMER);
        // The internal reason never reaches the customer: a technical failure is named as such, a
        // staff member's message (typed text) is quoted, and without one we say we will call.
        List<EmailContent.Fact> toCustomer = new ArrayList<>();
        if (abort == null || abort.technical()) {
            toCustomer.add(new EmailContent.Fact(customer.get("quote.label.reason"), customer.get("notice.ABORTED.technical")));
        } else if (message != null) {
            toCustomer.add(Notifier.quoted(customer, values, "notice.ABORTED.message", message, "quote.staff"));
        } else {
            toCustomer.add(new EmailContent.Fact(customer.get("notice.ABORTED.message"), customer.get("notice.ABORTED.noMessage")));
        }
        toCustomer.addAll(undoElsewhere(record, customer));
        int sent = send(record, Audience.CUSTOMER, Kind.ABORTED, "ABORTED#customer", Map.of(), toCustomer, List.of());
        Texts staff = notifier.texts(record, Audience.STAFF);
        List<EmailContent.Fact> toStaff = new ArrayList<>();
        if (abort != null && MigrationRecord.Abort.CONSOLE.equals(abort.by())) {
            // The record keeps the console's own words; staff read it in their language.
            toStaff.add(new EmailContent.Fact(staff.get("quote.label.reason"), staff.get("notice.ABORTED.console")));
        } else {
            toStaff.add(Notifier.quoted(staff, values, "quote.label.reason", reason, "quote.recorded"));
        }
        if (message != null) {
            toStaff.add(Notifier.quoted(staff, values, "quote.label.customerMessage", message, "quote.staff"));
        }
        return sent + send(record, Audience.STAFF, Kind.ABORTED, "ABORTED#staff", Map.of(), toStaff, List.of());
    }

    /**
     * The cleanup gave up: staff learn what it could not finish, so nothing is left half undone
     * without anyone knowing. The error's name only; its cause may quote personal data. Once per
     * failure (a retried send finds its email sent); a redriven cleanup that fails again tells again.
     */
    private int cleanupFailed(MigrationRecord record, String error, String failedAt) {
        Texts staff = notifier.texts(record, Audience.STAFF);
        List<EmailContent.Fact> facts = new ArrayList<>();
        facts.add(new EmailContent.Fact(staff.get("notice.CLEANUP_FAILED.error"), error));
        facts.add(new EmailContent.Fact(staff.get("notice.CLEANUP_FAILED.status"), record.status()));
        MigrationRecord.DnsState dns = record.dns();
        if (dns != null && dns.loweredAt() != null && dns.restoredAt() == null) {
            for (MigrationRecord.RecordOriginal o : dns.originals().values()) {
                facts.add(new EmailContent.Fact(o.name() + " (" + o.type() + ", " + o.zoneId() + ")", staff.get("notice.CLEANUP_FAILED.record",
                        Map.of("values", String.join(", ", o.values()), "ttl", Long.toString(o.ttl())))));
            }
        }
        if (record.booking() != null) {
            facts.add(new EmailContent.Fact(staff.get("notice.CLEANUP_FAILED.slot"), TimeFormats.human(record.booking().start(), staff.language())));
        }
        facts.addAll(undoElsewhere(record, staff));
        return send(record, Audience.STAFF, Kind.CLEANUP_FAILED, "CLEANUP_FAILED#" + failedAt,
                Map.of(), facts, List.of());
    }

    /**
     * Records at the customer's own DNS provider are theirs to put back: each one with the
     * values and TTL it had before the migration, as looked up in phase 1.
     */
    static List<EmailContent.Fact> undoElsewhere(MigrationRecord record, Texts texts) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        if (record.dns() == null) {
            return facts;
        }
        for (MigrationRecord.ExternalRecord e : record.dns().external().values()) {
            if (e.values() == null || e.values().isEmpty()) {
                continue;
            }
            String values = String.join(", ", e.values());
            facts.add(new EmailContent.Fact(e.name() + " (" + e.type() + ")", e.ttl() == null
                    ? texts.get("notice.ABORTED.undo", Map.of("values", values))
                    : texts.get("notice.ABORTED.undo.ttl", Map.of("values", values, "ttl", Long.toString(e.ttl())))));
        }
        return facts;
    }

    private int ttlInstructions(MigrationRecord record, String dedup, Instant now) {
        MigrationRequest request = record.request();
        Texts texts = notifier.texts(record, Audience.CUSTOMER);
        String ttl = Integer.toString(request.targetTtl());
        List<EmailContent.Fact> facts = new ArrayList<>();
        for (MigrationRequest.Domain d : request.externalDomains()) {
            for (String host : d.records()) {
                facts.add(new EmailContent.Fact(host + " (A/AAAA)", texts.get("notice.TTL_INSTRUCTIONS.fact", Map.of("ttl", ttl))));
            }
        }
        Instant deadline = now.plusSeconds(request.timing().customerReminderSeconds());
        return send(record, Audience.CUSTOMER, Kind.TTL_INSTRUCTIONS, dedup,
                Map.of("ttl", ttl, "deadline", TimeFormats.human(deadline, texts.language())), facts, List.of());
    }

    /**
     * The go-live is over: the 24-hour window for free error reports starts now. The window's
     * end is stored once, so the report page and the close-out agree on it.
     */
    private int goLiveDone(MigrationRecord record, String dedup, Instant now) {
        // Whole seconds, rounded up: the state machine waits until this moment and must not wake early.
        Instant windowEnd = now.plusSeconds(record.request().timing().errorWindowSeconds() + 1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String proposedId = services.links().newId();
        services.store().records().openErrorWindow(record.migrationId(), windowEnd, proposedId);
        MigrationRecord updated = services.store().records().get(record.migrationId());
        Instant end = updated.errorWindowEndsAt();
        String linkId = updated.standingLinks().get(Purpose.REPORT_ERROR.name());
        // Reports stay possible after the window (then billable) for as long as links live.
        services.links().ensure(new Link(record.migrationId(), linkId, Purpose.REPORT_ERROR, null, now,
                end.plusSeconds(record.request().timing().linkValiditySeconds()), null, null));
        Texts texts = notifier.texts(record, Audience.CUSTOMER);
        List<EmailContent.Action> actions = List.of(new EmailContent.Action(
                Notifier.actionLabel(texts, "notice.GO_LIVE_DONE", Purpose.REPORT_ERROR),
                services.links().url(record.migrationId(), linkId), true));
        return send(updated, Audience.CUSTOMER, Kind.GO_LIVE_DONE, dedup,
                Map.of("windowEnd", TimeFormats.human(end, texts.language())), List.of(), actions);
    }

    /** Planned versus actual per phase, the downtime, the reports with where each stands. */
    List<EmailContent.Fact> summary(MigrationRecord record, Audience audience, List<ErrorReports.Report> reports, Instant now) {
        Texts texts = notifier.texts(record, audience);
        List<EmailContent.Fact> facts = new ArrayList<>();
        Map<Integer, Duration> actual = record.actualDurations(record.closedAt() != null ? record.closedAt() : now);
        for (Phase phase : Phase.values()) {
            Duration spent = actual.get(phase.number());
            if (spent == null && phase == Phase.OPTIMISATION) {
                continue;
            }
            facts.add(new EmailContent.Fact(phase.number() + ". " + texts.get("phase." + phase.number()),
                    (texts.language() == Language.DE ? "geplant " : "planned ")
                            + texts.get(phase.planned().toHours() >= 8 ? "status.day" : "status.halfDay")
                            + (texts.language() == Language.DE ? ", tatsächlich " : ", actual ")
                            + (spent == null ? "–" : duration(spent, texts.language()))));
        }
        MigrationRecord.Downtime downtime = record.downtime();
        // What the customer was told at booking, against what was measured.
        de.shopmigration.core.DowntimeEstimate estimate = de.shopmigration.core.DowntimeEstimate.of(record);
        facts.add(new EmailContent.Fact(texts.get("summary.estimate"), estimate.range(texts.language())));
        facts.add(new EmailContent.Fact(texts.get("summary.downtime"), downtime == null || downtime.seconds() == null
                ? texts.get("summary.none") : texts.get("summary.downtime." + estimate.compare(Duration.ofSeconds(downtime.seconds())),
                        Map.of("measured", duration(Duration.ofSeconds(downtime.seconds()), texts.language())))));
        long billable = reports.stream().filter(ErrorReports.Report::billable).count();
        long free = reports.size() - billable;
        facts.add(new EmailContent.Fact(texts.get("summary.reports"), reports.isEmpty() ? texts.get("summary.none")
                : texts.get("summary.reports.value", Map.of("free", Long.toString(free), "billable", Long.toString(billable)))));
        long open = reports.stream().filter(ErrorReports.Report::open).count();
        if (open > 0) {
            // The close-out waited for them and does not pretend they are done.
            facts.add(new EmailContent.Fact(texts.get("summary.reports.open"),
                    texts.get("summary.reports.open." + audience.name(), Map.of("open", Long.toString(open),
                            "customerName", record.request().customer().name()))));
        }
        facts.addAll(ReportFacts.list(reports, texts, notifier.values(record)));
        facts.addAll(siteCheckFacts(services.store().siteChecks().runs(record.migrationId()), record.decisions(),
                audience == Audience.STAFF ? services.store().siteChecks().watch(record.migrationId()).orElse(null) : null,
                audience == Audience.STAFF ? services.store().siteChecks().rolledBackAt(record.migrationId()).orElse(null) : null, texts));
        return facts;
    }

    /**
     * The latest automatic check of each kind, and for staff ({@code watch} not null) the watch
     * through the error window with the DNS rollback if its link was used.
     */
    static List<EmailContent.Fact> siteCheckFacts(List<SiteCheckRun> runs, List<MigrationRecord.Decision> decisions, SiteWatch watch,
                                                  Instant rolledBackAt, Texts texts) {
        List<EmailContent.Fact> facts = new ArrayList<>();
        String title = texts.get("status.sitecheck.title");
        for (SiteCheckLines.Line line : SiteCheckLines.summary(runs, decisions, texts)) {
            facts.add(new EmailContent.Fact(title, texts.get("summary.sitecheck", Map.of("kind", line.label(), "verdict", line.verdict()))));
        }
        if (watch != null) {
            facts.add(new EmailContent.Fact(texts.get("status.sitecheck.watch.label"), SiteCheckLines.staffWatch(watch, rolledBackAt, texts)));
        }
        return facts;
    }

    static String duration(Duration d, Language language) {
        return TimeFormats.duration(d, language);
    }
}
