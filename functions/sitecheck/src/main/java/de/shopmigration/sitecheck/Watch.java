package de.shopmigration.sitecheck;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.Audience;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import de.shopmigration.core.store.AuditEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The watch over the shop through the 24-hour error window. Started after the go-live, it
 * looks at the home and important pages on the new cluster at every tick of its schedule; two
 * failures in a row alert staff with what failed, since when, and a staff-only link that
 * switches the DNS back to the old server. A later pass is noted as the recovery. It stops
 * itself when the window is over or the migration has ended.
 */
public final class Watch {

    /** How long after the window a stray tick still counts (Scheduler's last one lands near its end date). */
    static final Duration GRACE = Duration.ofMinutes(5);

    private final Collaborators services;
    private final SiteSettings settings;
    private final SiteCheckSteps steps;
    private final WatchSchedule schedule;
    private final Notifier notifier;

    public Watch(Collaborators services, SiteSettings settings, SiteCheckSteps steps, WatchSchedule schedule) {
        this.services = services;
        this.settings = settings;
        this.steps = steps;
        this.schedule = schedule;
        this.notifier = new Notifier(services);
    }

    public ObjectNode start(String migrationId, Instant endsAt) {
        if (!settings.enabled()) {
            return Json.object().put("watching", false);
        }
        Instant now = services.clock().instant();
        Instant first = now.plus(Duration.ofMinutes(settings.watchMinutes()));
        String name = schedule.start(migrationId, settings.watchMinutes(), first, endsAt);
        if (services.store().siteChecks().watch(migrationId).isEmpty()) {
            services.store().siteChecks().saveWatch(migrationId, SiteWatch.started(name, now, endsAt));
            services.store().audit().add(migrationId, new AuditEntry(now, "system", "site watch started",
                    "every " + settings.watchMinutes() + " min until " + endsAt + " (schedule " + name + ")", null));
        }
        return Json.object().put("watching", true).put("schedule", name).put("intervalMinutes", settings.watchMinutes());
    }

    /** One tick of the schedule. */
    public ObjectNode tick(String migrationId) {
        Instant now = services.clock().instant();
        MigrationRecord record = services.store().records().get(migrationId);
        SiteWatch watch = services.store().siteChecks().watch(migrationId).orElse(null);
        if (watch == null || watch.stoppedAt() != null || !MigrationRecord.RUNNING.equals(record.status())
                || now.isAfter(watch.endsAt().plus(GRACE))) {
            stop(migrationId);
            return Json.object().put("checked", false);
        }
        SiteCheck.Report report = steps.watch(record);
        List<String> problems = SiteCheckSteps.lines(report.blocking(), notifier.texts(record, Audience.STAFF));
        SiteWatch.Next next = watch.after(report.passed(), problems, now);
        services.store().siteChecks().saveWatch(migrationId, next.watch());
        services.store().audit().add(migrationId, new AuditEntry(now, "system", "site watch: " + (report.passed() ? "pass" : "fail"),
                report.now().size() + " pages" + (problems.isEmpty() ? "" : ", " + problems.size() + " failing: " + problems.get(0)), null));
        switch (next.change()) {
            case ALERT -> alert(record, next.watch(), now);
            case RECOVERED -> recovered(record, next.watch());
            case NONE -> { }
        }
        return Json.object().put("checked", true).put("passed", report.passed()).put("change", next.change().name());
    }

    public ObjectNode stop(String migrationId) {
        boolean deleted = schedule.stop(migrationId);
        services.store().siteChecks().watch(migrationId).filter(w -> w.stoppedAt() == null).ifPresent(w -> {
            Instant now = services.clock().instant();
            services.store().siteChecks().saveWatch(migrationId, w.stopped(now));
            services.store().audit().add(migrationId, new AuditEntry(now, "system", "site watch stopped",
                    w.checks() + " checks, " + w.outages() + " outages", null));
        });
        return Json.object().put("stopped", deleted);
    }

    /** Staff hear once per outage, with the way back: the rollback link (staff only, until the window ends). */
    private void alert(MigrationRecord record, SiteWatch watch, Instant now) {
        Texts staff = notifier.texts(record, Audience.STAFF);
        String rollback = services.links().mint(record.migrationId(), Purpose.ROLLBACK_DNS, null, now,
                watch.endsAt().plus(Duration.ofHours(24)));
        List<EmailContent.Fact> facts = new ArrayList<>();
        watch.problems().forEach(p -> facts.add(new EmailContent.Fact(staff.get("watch.fact.failing"), p)));
        notifier.send(record, Audience.STAFF, "SITE_WATCH_ALERT", "SITE_WATCH_ALERT#" + watch.outages(), "notice.SITE_WATCH_ALERT",
                Map.of("since", TimeFormats.human(watch.failingSince(), staff.language()), "checks", Integer.toString(watch.failures())),
                facts, List.of(new EmailContent.Action(Notifier.actionLabel(staff, "notice.SITE_WATCH_ALERT", Purpose.ROLLBACK_DNS),
                        rollback, true)), List.of());
        services.metrics().siteWatchAlert(record.migrationId());
    }

    private void recovered(MigrationRecord record, SiteWatch watch) {
        Texts staff = notifier.texts(record, Audience.STAFF);
        notifier.send(record, Audience.STAFF, "SITE_WATCH_RECOVERED", "SITE_WATCH_RECOVERED#" + watch.recoveries(),
                "notice.SITE_WATCH_RECOVERED", Map.of("at", TimeFormats.human(watch.recoveredAt(), staff.language())), List.of(), List.of(),
                List.of());
    }
}
