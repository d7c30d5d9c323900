package de.shopmigration.core;

import java.time.Instant;

/**
 * A stored link: what it may do, for which migration and wait (or error report), until when,
 * and whether it was used. The URL holds only the id and its signature; everything else stays
 * server-side.
 *
 * @param reportKey the error report a staff action acts on ({@link Purpose#REPORT_ACKNOWLEDGED},
 *     {@link Purpose#REPORT_FIXED}); null for every other link
 */
public record Link(
        String migrationId,
        String id,
        Purpose purpose,
        String waitKey,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt,
        Instant revokedAt,
        String reportKey) {

    /** A link that acts on no error report. */
    public Link(String migrationId, String id, Purpose purpose, String waitKey, Instant createdAt, Instant expiresAt,
                Instant usedAt, Instant revokedAt) {
        this(migrationId, id, purpose, waitKey, createdAt, expiresAt, usedAt, revokedAt, null);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
