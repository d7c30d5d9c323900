package de.shopmigration.core;

import de.shopmigration.core.lambda.Env;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the table keeps what a migration leaves behind (GDPR storage limitation). DynamoDB's
 * time to live deletes an item some time after its {@link #ATTRIBUTE} (epoch seconds) has
 * passed, usually within days; nothing may rely on the moment.
 *
 * <ul>
 *   <li>The audit trail and the record (the trail's summary: who, what, when) are kept
 *       {@code audit} long: an entry from the time it was written, the record from the close.</li>
 *   <li>Everything else of the migration (links, waits with their task tokens, email claims,
 *       documents, error reports) is kept {@code data} long after the close; the customer's status
 *       page answers until then.</li>
 *   <li>A go-live slot is kept {@code data} long after the day it starts.</li>
 * </ul>
 *
 * @param data  template parameter DataRetentionDays (environment DATA_RETENTION_DAYS)
 * @param audit template parameter AuditRetentionDays (environment AUDIT_RETENTION_DAYS)
 */
public record Retention(Duration data, Duration audit) {

    /** The table's time-to-live attribute (template.yaml: TimeToLiveSpecification). */
    public static final String ATTRIBUTE = "purgeAt";
    public static final Retention DEFAULT = new Retention(Duration.ofDays(30), Duration.ofDays(365));
    private static final int MAX_DAYS = 3650;

    public Retention {
        if (data.isNegative() || data.isZero() || audit.isNegative() || audit.isZero()) {
            throw new MissingConfiguration("DATA_RETENTION_DAYS and AUDIT_RETENTION_DAYS (whole days, 1 to " + MAX_DAYS + ")");
        }
    }

    public static Retention from(Env env) {
        return new Retention(days(env, "DATA_RETENTION_DAYS", DEFAULT.data), days(env, "AUDIT_RETENTION_DAYS", DEFAULT.audit));
    }

    private static Duration days(Env env, String name, Duration fallback) {
        String value = env.optional(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int days = Integer.parseInt(value.strip());
            if (days >= 1 && days <= MAX_DAYS) {
                return Duration.ofDays(days);
            }
        } catch (NumberFormatException e) {
            // reported below, with the variable's name
        }
        throw new MissingConfiguration(name + " (whole days, 1 to " + MAX_DAYS + ")");
    }

    /** When an audit entry written at this moment may go. */
    public long auditEntryUntil(Instant writtenAt) {
        return epoch(writtenAt.plus(audit));
    }

    /** When the record of a migration closed at this moment may go. */
    public long recordUntil(Instant closedAt) {
        return epoch(closedAt.plus(audit));
    }

    /** When the rest of a migration closed at this moment may go. */
    public long dataUntil(Instant closedAt) {
        return epoch(closedAt.plus(data));
    }

    /** When a go-live slot starting at this moment may go: its day is over and the data time has passed. */
    public long slotUntil(Instant start) {
        return epoch(start.plus(Duration.ofDays(1)).plus(data));
    }

    private static long epoch(Instant at) {
        return at.getEpochSecond();
    }
}
