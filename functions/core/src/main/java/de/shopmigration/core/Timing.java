package de.shopmigration.core;

import de.shopmigration.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Every delay of a migration, in seconds. Production defaults follow the provider's plan; an
 * execution may override any of them (the local sandbox and the tests compress time this way).
 */
public record Timing(
        long customerReminderSeconds,
        long staffReminderSeconds,
        long goLiveReminderSeconds,
        int maxReminders,
        long dnsPollSeconds,
        long copyTimeoutSeconds,
        long copyHeartbeatSeconds,
        long errorWindowSeconds,
        long linkValiditySeconds,
        long slotLeadSeconds,
        long slotWaitCapSeconds,
        int quietFromHour,
        int quietToHour,
        long halfDaySeconds,
        long downtimeAlertSeconds,
        long openReportsWaitSeconds) {

    public static final Timing DEFAULTS = new Timing(
            24 * 3600,      // a customer is reminded after a day without an answer
            4 * 3600,       // staff after half a working day
            30 * 60,        // on go-live day everyone is reminded after half an hour
            3,              // then staff are told (escalation)
            30,             // Route 53 usually reports INSYNC within a minute
            8 * 3600,       // a copy job that takes longer than a working day is escalated
            30 * 60,        // copy tooling on a webhook must report progress every half hour
            24 * 3600,      // the seed's 24-hour window for reporting migration errors
            30L * 24 * 3600, // links stay valid a month
            24 * 3600,      // a go-live slot must be at least a day ahead
            0,              // 0: wait for the booked slot itself (the sandbox caps this wait)
            20,             // no reminders to customers from 20:00 ...
            8,              // ... to 8:00 in their time zone (equal hours switch this off)
            0,              // 0: a plan's "½ Tag" is half a working day in office hours
            2 * 3600,       // the plan allows 15 minutes to 2 hours of downtime; staff are alerted past that
            24 * 3600);     // after the window, the close-out waits another day for open error reports to be fixed

    /** Records written before a field existed read it as 0; they get the default instead. */
    public Timing {
        copyHeartbeatSeconds = copyHeartbeatSeconds > 0 ? copyHeartbeatSeconds : 30 * 60;
        downtimeAlertSeconds = downtimeAlertSeconds > 0 ? downtimeAlertSeconds : 2 * 3600;
        openReportsWaitSeconds = openReportsWaitSeconds > 0 ? openReportsWaitSeconds : 24 * 3600;
    }

    /**
     * The heartbeat interval of a copy wait. Copy tooling on a webhook reports progress at
     * least this often; staff copying by hand send no heartbeats, so without a webhook the
     * interval is just below the wait's timeout and only the timeout matters.
     */
    public long copyHeartbeat(boolean webhook) {
        return webhook ? Math.min(copyHeartbeatSeconds, copyTimeoutSeconds - 1) : copyTimeoutSeconds - 1;
    }

    /** Whether a customer may be reminded at this local hour. */
    public boolean quiet(int localHour) {
        if (quietFromHour == quietToHour) {
            return false;
        }
        return quietFromHour < quietToHour ? localHour >= quietFromHour && localHour < quietToHour
                : localHour >= quietFromHour || localHour < quietToHour;
    }

    /**
     * The names an execution input may override, in the record's order; their ranges are the
     * input schema's (functions/intake: migration-input.schema.json), which the intake checks.
     */
    public static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        Json.tree(DEFAULTS).fieldNames().forEachRemaining(names::add);
        return List.copyOf(names);
    }
}
