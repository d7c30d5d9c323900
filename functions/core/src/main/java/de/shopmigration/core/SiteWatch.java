package de.shopmigration.core;

import java.time.Instant;
import java.util.List;

/**
 * The watch over the shop through the 24-hour error window: checked every few minutes by a
 * schedule; two failures in a row alert staff (once per outage), a later pass notes the recovery.
 *
 * @param failures      failed checks in a row now
 * @param failingSince  the first failed check of the current outage
 * @param alertedAt     when staff were alerted about the current outage (null: not yet)
 * @param problems      what failed in the last failed check
 * @param outages       outages so far; {@code recoveries} how many of them ended
 */
public record SiteWatch(String schedule, Instant startedAt, Instant endsAt, int checks, int failures, Instant failingSince,
                        Instant alertedAt, Instant lastCheckAt, Instant lastPassAt, List<String> problems,
                        int outages, int recoveries, Instant recoveredAt, Instant stoppedAt) {

    /** Failed checks in a row that alert staff. */
    public static final int ALERT_AFTER = 2;

    public SiteWatch {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public static SiteWatch started(String schedule, Instant at, Instant endsAt) {
        return new SiteWatch(schedule, at, endsAt, 0, 0, null, null, null, null, List.of(), 0, 0, null, null);
    }

    /** What one more check changes; {@link Change} says whether staff must hear of it. */
    public Next after(boolean passed, List<String> found, Instant at) {
        if (passed) {
            boolean recovered = alertedAt != null;
            SiteWatch next = new SiteWatch(schedule, startedAt, endsAt, checks + 1, 0, null, null, at, at, List.of(),
                    outages, recovered ? recoveries + 1 : recoveries, recovered ? at : recoveredAt, stoppedAt);
            return new Next(next, recovered ? Change.RECOVERED : Change.NONE);
        }
        int inARow = failures + 1;
        Instant since = failingSince == null ? at : failingSince;
        boolean alert = alertedAt == null && inARow >= ALERT_AFTER;
        SiteWatch next = new SiteWatch(schedule, startedAt, endsAt, checks + 1, inARow, since, alert ? at : alertedAt, at, lastPassAt,
                SiteCheckRun.bounded(found), alert ? outages + 1 : outages, recoveries, recoveredAt, stoppedAt);
        return new Next(next, alert ? Change.ALERT : Change.NONE);
    }

    public SiteWatch stopped(Instant at) {
        return new SiteWatch(schedule, startedAt, endsAt, checks, failures, failingSince, alertedAt, lastCheckAt, lastPassAt, problems,
                outages, recoveries, recoveredAt, stoppedAt == null ? at : stoppedAt);
    }

    public boolean failing() {
        return failures > 0;
    }

    public enum Change { NONE, ALERT, RECOVERED }

    public record Next(SiteWatch watch, Change change) {
    }
}
