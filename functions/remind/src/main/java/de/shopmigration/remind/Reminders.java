package de.shopmigration.remind;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.Audience;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Overruns;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.ReminderSchedule;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.Wait;
import de.shopmigration.core.WaitLinks;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs when a wait for a person times out: reminds that person with the same links, and once
 * the configured number of reminders went unanswered, escalates to staff every further time.
 * The state machine then re-enters the wait, so no wait is ever silent; the answer says when
 * the wait times out next ({@link ReminderSchedule}: slower after each escalation). A customer
 * reminder that falls into their night is not sent: the wait is re-entered until the morning.
 */
public final class Reminders {

    private final Collaborators services;
    private final Notifier notifier;
    private final WaitLinks waits;
    private final Overruns overruns;

    public Reminders(Collaborators services) {
        this.services = services;
        this.notifier = new Notifier(services);
        this.waits = new WaitLinks(services);
        this.overruns = new Overruns(services);
    }

    /** SnapStart priming: what every reminder does, short of sending. */
    public void prime() {
        services.prime(true);
    }

    /** When the wait times out next: its usual interval and, for copy waits, the heartbeat interval. */
    public record Interval(long seconds, Long heartbeatSeconds) {
    }

    /**
     * @param nudgeKey the entry time of the reminder state: a retried reminder has the same key
     *                 and neither counts nor sends twice
     * @param usual    the wait's usual interval (its first timeout), as the state machine has it
     */
    public ObjectNode remind(String migrationId, Step step, int round, String variant, String nudgeKey, Interval usual) {
        MigrationRecord record = services.store().records().get(migrationId);
        Wait wait = services.store().waits().find(migrationId, Wait.key(step, round)).orElse(null);
        int maxReminders = record.request().timing().maxReminders();
        if (!MigrationRecord.RUNNING.equals(record.status()) || wait == null || wait.resolved()) {
            int nudges = wait == null ? 0 : wait.nudges();
            return next(Json.object().put("nudges", nudges).put("escalated", false), usual, maxReminders, nudges);
        }
        Instant now = services.clock().instant();
        overruns.check(record, step);
        if (wait.handedToTooling()) {
            // Silent copy tooling is escalated to staff at once (no reminders first): its wait backs off from the first nudge.
            ObjectNode silent = toolingSilent(record, wait, variant, nudgeKey, now);
            return next(silent, usual, 0, silent.path("nudges").asInt());
        }
        if (step.audience() == Audience.CUSTOMER && record.customerUnreachableNow().isPresent()) {
            // The customer's address bounced for good or reported us as spam: the reminder goes to staff, backing off from the first.
            ObjectNode told = customerUnreachable(record, wait, nudgeKey, record.customerUnreachableNow().get());
            return next(told, usual, 0, told.path("nudges").asInt());
        }
        boolean escalate = wait.nudges() + 1 > maxReminders;
        if (!escalate && step.audience() == Audience.CUSTOMER) {
            var zone = record.request().customer().zone();
            if (record.request().timing().quiet(now.atZone(zone).getHour())) {
                // Night where the customer lives: nothing is sent or counted; the wait is entered
                // again until the morning, when this reminder goes out.
                long untilMorning = ReminderSchedule.untilQuietHoursEnd(now, zone, record.request().timing());
                ObjectNode deferred = Json.object().put("nudges", wait.nudges()).put("escalated", false).put("deferred", true)
                        .put("nextReminderSeconds", untilMorning);
                if (usual.heartbeatSeconds() != null) {
                    deferred.put("nextHeartbeatSeconds", Math.max(1, Math.min(usual.heartbeatSeconds(), untilMorning - 1)));
                }
                return deferred;
            }
        }
        int nudges = services.store().waits().nudge(migrationId, wait.key(), nudgeKey);
        escalate = nudges > record.request().timing().maxReminders();
        String waitedFor = step.audience().name();
        boolean sent;
        if (!escalate) {
            Map<Purpose, String> urls = waits.links(record, wait, now);
            Texts texts = notifier.texts(record, step.audience());
            String key = step.audience() == Audience.CUSTOMER ? "remind.customer" : "remind.staff";
            sent = notifier.send(record, step.audience(), step.name() + "_REMINDER", "REMIND#" + wait.key() + "#" + nudges, key,
                    Map.of("stepTitle", texts.get("step." + step.name())), List.of(),
                    WaitLinks.actions(texts, WaitLinks.askKey(step, variant), urls), List.of());
        } else {
            Texts texts = notifier.texts(record, Audience.STAFF);
            sent = notifier.send(record, Audience.STAFF, step.name() + "_ESCALATION", "ESCALATE#" + wait.key() + "#" + nudges,
                    "escalate", Map.of("stepTitle", texts.get("step." + step.name()),
                            "since", TimeFormats.human(wait.openedAt(), texts.language()),
                            "nudges", Integer.toString(nudges - 1),
                            "who", texts.get("who." + waitedFor, notifier.values(record))), List.of(), List.of(), List.of());
        }
        // The email's own audit entry ("email sent: <step>_REMINDER" or "_ESCALATION", with the
        // reminder's number) is the trail's record of it, written once even when a retry gets here;
        // so are the metrics (only the attempt that sent the email writes them).
        if (sent) {
            services.metrics().waitOverdue(migrationId, step, nudges, escalate);
        }
        return next(Json.object().put("nudges", nudges).put("escalated", escalate), usual, maxReminders, nudges);
    }

    /** Adds when the wait times out next, after {@code nudges} reminders and escalations. */
    private static ObjectNode next(ObjectNode result, Interval usual, int maxReminders, int nudges) {
        long seconds = ReminderSchedule.nextSeconds(usual.seconds(), maxReminders, nudges);
        result.put("nextReminderSeconds", seconds);
        if (usual.heartbeatSeconds() != null) {
            result.put("nextHeartbeatSeconds", ReminderSchedule.nextHeartbeatSeconds(usual.heartbeatSeconds(), usual.seconds(), seconds));
        }
        return result;
    }

    /**
     * A customer step timed out while the customer's address is unreachable: no reminder goes to
     * the dead address; staff get one instead, each time, saying why and what to do.
     */
    private ObjectNode customerUnreachable(MigrationRecord record, Wait wait, String nudgeKey, MigrationRecord.Unreachable unreachable) {
        int nudges = services.store().waits().nudge(record.migrationId(), wait.key(), nudgeKey);
        Texts texts = notifier.texts(record, Audience.STAFF);
        Map<String, String> values = new java.util.HashMap<>(notifier.values(record));
        values.put("address", unreachable.address());
        notifier.send(record, Audience.STAFF, wait.step().name() + "_UNREACHABLE", "UNREACHABLE#" + wait.key() + "#" + nudges,
                "escalate.unreachable", Map.of("stepTitle", texts.get("step." + wait.step().name()),
                        "since", TimeFormats.human(wait.openedAt(), texts.language()),
                        "address", unreachable.address(),
                        "reason", texts.get("escalate.unreachable.reason." + (unreachable.bounced() ? "Bounce" : "Complaint"), values)),
                List.of(), List.of(), List.of());
        return Json.object().put("nudges", nudges).put("escalated", true).put("customerUnreachable", true);
    }

    /**
     * Copy tooling went quiet (no heartbeat in time) or overran the copy timeout: staff get
     * what they need to look at the tooling, and the links to report the result by hand. The
     * job is not sent again; when the tooling reports after all, the migration goes on.
     */
    private ObjectNode toolingSilent(MigrationRecord record, Wait wait, String variant, String nudgeKey, Instant now) {
        String migrationId = record.migrationId();
        int nudges = services.store().waits().nudge(migrationId, wait.key(), nudgeKey);
        Texts texts = notifier.texts(record, Audience.STAFF);
        Instant lastReport = wait.heartbeatAt() != null ? wait.heartbeatAt() : wait.jobSentAt();
        Map<Purpose, String> urls = waits.links(record, wait, now);
        boolean reported = wait.progress() != null && !wait.progress().isEmpty();
        boolean sent = notifier.send(record, Audience.STAFF, wait.step().name() + "_SILENT", "SILENT#" + wait.key() + "#" + nudges, "remind.copySilent",
                Map.of("stepTitle", texts.get("step." + wait.step().name()),
                        "since", TimeFormats.human(wait.jobSentAt(), texts.language()),
                        "lastReport", TimeFormats.human(lastReport, texts.language())),
                List.of(reported ? Notifier.quoted(texts, Map.of(), "quote.label.progress", wait.progress(), "quote.tooling")
                        : new de.shopmigration.core.mail.EmailContent.Fact(texts.get("quote.label.progress"), texts.get("copy.noProgress"))),
                WaitLinks.actions(texts, WaitLinks.askKey(wait.step(), variant), urls), List.of());
        if (sent) {
            services.metrics().waitOverdue(migrationId, wait.step(), nudges, true);
        }
        services.store().audit().add(migrationId, new AuditEntry(now, "system", "copy tooling silent, staff told: "
                + wait.step().name(), "last report " + lastReport + ", round " + wait.round(), null));
        return Json.object().put("nudges", nudges).put("escalated", true);
    }
}
