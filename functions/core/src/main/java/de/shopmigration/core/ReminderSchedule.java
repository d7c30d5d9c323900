package de.shopmigration.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * When a wait for a person times out next. The first {@code maxReminders} reminders and the
 * first escalation to staff come at the wait's usual interval; after that staff know, and each
 * further escalation waits twice as long as the one before, starting at an hour at least. That
 * keeps an unanswered wait inside Step Functions' 25,000 history events even at the shortest
 * intervals the input allows (docs/history-budget.md has the arithmetic; HistoryBudgetTest
 * checks it).
 */
public final class ReminderSchedule {

    /** A standard execution lives at most a year; no wait needs a longer timeout. */
    public static final long LONGEST_SECONDS = 365L * 24 * 3600;
    /** The shortest pause after the first escalation: staff have been told; the rest is a reminder to them. */
    public static final long ESCALATION_FLOOR_SECONDS = 3600;

    private ReminderSchedule() {
    }

    /**
     * Seconds until the next timeout of a wait.
     *
     * @param intervalSeconds the wait's usual interval (its first timeout)
     * @param nudgesSent      reminders and escalations sent in this wait so far
     */
    public static long nextSeconds(long intervalSeconds, int maxReminders, int nudgesSent) {
        int escalations = nudgesSent - maxReminders;
        if (escalations <= 0) {
            return intervalSeconds;
        }
        long next = Math.max(ESCALATION_FLOOR_SECONDS, intervalSeconds);
        for (int i = 1; i < escalations && next < LONGEST_SECONDS; i++) {
            next *= 2;
        }
        return Math.min(next, LONGEST_SECONDS);
    }

    /**
     * The heartbeat interval of a copy wait that goes with {@link #nextSeconds}: slowed down in
     * step with the timeout, and always below it (Step Functions requires that).
     */
    public static long nextHeartbeatSeconds(long heartbeatSeconds, long intervalSeconds, long nextSeconds) {
        long scaled = nextSeconds / Math.max(1, intervalSeconds) * heartbeatSeconds;
        return Math.max(1, Math.min(scaled, nextSeconds - 1));
    }

    /**
     * Seconds from {@code now} until the customer's quiet hours end (the first full hour they
     * may be reminded at), at least a minute.
     */
    public static long untilQuietHoursEnd(Instant now, ZoneId zone, Timing timing) {
        ZonedDateTime t = now.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i < 48 && timing.quiet(t.getHour()); i++) {
            t = t.plusHours(1);
        }
        return Math.max(60, Duration.between(now, t.toInstant()).getSeconds());
    }
}
