package de.shopmigration.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.Audience;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.core.mail.ReportFacts;
import de.shopmigration.core.mail.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Phase 7, after the error window: may the close-out run? Not while a report is open, unless
 * the wait for it is over ({@code timing.openReportsWaitSeconds} after the window, or
 * {@link ErrorReports#CLOSE_OUT_CHECKS} checks, whichever comes first). While the TTLs stay
 * lowered a rollback (abort) stays quick, which is what an open report may still need. Staff
 * are told once that the close-out waits, with a "fixed" link per open report.
 */
public final class CloseOutCheck {

    private final Collaborators services;
    private final Notifier notifier;

    public CloseOutCheck(Collaborators services) {
        this.services = services;
        this.notifier = new Notifier(services);
    }

    /**
     * @param checksSoFar how often the state machine has asked before (its loop's counter)
     * @return {checks, open, closeOut, nextCheckSeconds}
     */
    public ObjectNode check(String migrationId, int checksSoFar) {
        MigrationRecord record = services.store().records().get(migrationId);
        Instant now = services.clock().instant();
        List<ErrorReports.Report> open = services.store().errorReports().open(migrationId);
        Instant until = ErrorReports.closeOutWaitEnds(record);
        Verdict verdict = Verdict.of(checksSoFar, open.size(), now, until, record.request().timing().openReportsWaitSeconds());
        if (!verdict.closeOut()) {
            tellStaff(record, open, until);
        } else if (!open.isEmpty()) {
            services.store().audit().add(migrationId, new AuditEntry(now, "system", "close-out with open error reports",
                    open.size() + " open after " + verdict.checks() + " check(s)", null));
        }
        return Json.object().put("checks", verdict.checks()).put("open", open.size()).put("closeOut", verdict.closeOut())
                .put("nextCheckSeconds", verdict.nextCheckSeconds());
    }

    /**
     * One check's outcome. The close-out runs when nothing is open, when the wait is over, or
     * at the {@link ErrorReports#CLOSE_OUT_CHECKS}th check, whatever the clock says: the loop's
     * bound does not depend on how exactly the state machine's Wait keeps time.
     */
    record Verdict(int checks, boolean closeOut, long nextCheckSeconds) {
        static Verdict of(int checksSoFar, int open, Instant now, Instant until, long waitSeconds) {
            int checks = checksSoFar + 1;
            boolean timeUp = until == null || !now.isBefore(until) || checks >= ErrorReports.CLOSE_OUT_CHECKS;
            // The wait spread over the checks: a day's wait looks every 15 minutes.
            long pause = Math.max(1, (waitSeconds + ErrorReports.CLOSE_OUT_CHECKS - 1) / ErrorReports.CLOSE_OUT_CHECKS);
            long left = until == null ? 1 : Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
            return new Verdict(checks, open == 0 || timeUp, Math.min(pause, left));
        }
    }

    /** Once per migration: the close-out waits, until when, for which reports. */
    private void tellStaff(MigrationRecord record, List<ErrorReports.Report> open, Instant until) {
        Texts staff = notifier.texts(record, Audience.STAFF);
        Map<String, String> values = notifier.values(record);
        notifier.send(record, Audience.STAFF, "CLOSE_OUT_WAITING", "CLOSE_OUT_WAITING", "notice.CLOSE_OUT_WAITING",
                Map.of("until", TimeFormats.human(until, staff.language())), ReportFacts.list(open, staff, values),
                ReportFacts.fixActions(open, staff, services.links(), record.migrationId(), services.clock().instant()), List.of());
    }
}
