package de.shopmigration.core;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the shop will be down at the go-live, estimated as a range from the initial copy's
 * figures (the copy for the test system, phase 2), before the customer books. The downtime runs
 * from "maintenance mode is on" to visitors reaching the new server; the final copy is most of
 * it. The model (docs/scheduling.md):
 *
 * <ul>
 *   <li>The initial copy's duration {@code T} is split between database and files by their sizes
 *       ({@code databaseBytes} and {@code bytes}; half and half when neither is known).</li>
 *   <li>The final copy copies the database again in full (a dump and an import, as the reference
 *       copy agent does): 0.8 to 1.5 times its share, the spread for the load on the old server.</li>
 *   <li>Files are copied as a delta (rsync): 5 % to 30 % of their share, as rsync still walks
 *       every file and the shop kept changing files until maintenance mode.</li>
 *   <li>The steps around the copy (the tooling picking up the job, staff switching maintenance
 *       off, the customer's check, the DNS switch and the lowered TTL running out): 10 to 30
 *       minutes plus the lowered TTL.</li>
 *   <li>The range is rounded to 5 minutes outwards and never starts below the plan's 15 minutes.
 *       Without a copy duration the estimate is the plan's range, 15 minutes to 2 hours.</li>
 * </ul>
 *
 * @param fromCopy whether the range comes from the copy's figures (else the plan's range)
 */
public record DowntimeEstimate(Duration low, Duration high, boolean fromCopy) {

    static final Duration PLAN_LOW = Duration.ofMinutes(15);
    static final Duration PLAN_HIGH = Duration.ofHours(2);
    static final Duration HANDLING_LOW = Duration.ofMinutes(10);
    static final Duration HANDLING_HIGH = Duration.ofMinutes(30);
    private static final long ROUND_SECONDS = 300;

    public static DowntimeEstimate of(MigrationRecord record) {
        Optional<MigrationRecord.CopyResult> copy = record.latestCopy("initial");
        if (copy.isEmpty() || copy.get().durationSeconds() == null) {
            return new DowntimeEstimate(PLAN_LOW, PLAN_HIGH, false);
        }
        MigrationRecord.CopyResult c = copy.get();
        double total = c.durationSeconds();
        double database = c.databaseBytes() == null ? -1 : c.databaseBytes();
        double files = c.bytes() == null ? -1 : c.bytes();
        double databaseShare = database < 0 && files < 0 || database + files <= 0 ? 0.5
                : database < 0 ? 0 : files < 0 ? 1 : database / (database + files);
        double db = total * databaseShare;
        double fs = total - db;
        long ttl = record.request() == null ? 0 : record.request().targetTtl();
        double low = 0.8 * db + 0.05 * fs + HANDLING_LOW.toSeconds();
        double high = 1.5 * db + 0.3 * fs + HANDLING_HIGH.toSeconds() + ttl;
        long lowSeconds = Math.max(PLAN_LOW.toSeconds(), (long) Math.floor(low / ROUND_SECONDS) * ROUND_SECONDS);
        long highSeconds = Math.max(lowSeconds + ROUND_SECONDS, (long) Math.ceil(high / ROUND_SECONDS) * ROUND_SECONDS);
        return new DowntimeEstimate(Duration.ofSeconds(lowSeconds), Duration.ofSeconds(highSeconds), true);
    }

    /** "25 Min. – 1 Std. 10 Min." */
    public String range(Language language) {
        return TimeFormats.duration(low, language) + " – " + TimeFormats.duration(high, language);
    }

    /** How a measured downtime compares: BELOW, WITHIN or ABOVE the range. */
    public String compare(Duration measured) {
        return measured.compareTo(low) < 0 ? "BELOW" : measured.compareTo(high) > 0 ? "ABOVE" : "WITHIN";
    }
}
