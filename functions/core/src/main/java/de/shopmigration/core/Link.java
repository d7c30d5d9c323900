package de.shopmigration.core;

import java.time.Instant;

/**
 * A stored link: what it may do, for which migration and wait, until when, and whether it was
 * used. The URL holds only the id and its signature; everything else stays server-side.
 */
public record Link(
        String migrationId,
        String id,
        Purpose purpose,
        String waitKey,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt,
        Instant revokedAt) {

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
