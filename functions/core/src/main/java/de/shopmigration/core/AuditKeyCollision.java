package de.shopmigration.core;

/**
 * Every key an audit entry drew was taken: the random source repeats itself (a SnapStart
 * snapshot's source not renewed), so the entry is refused rather than written over another.
 */
public final class AuditKeyCollision extends RuntimeException {
    public AuditKeyCollision(String migrationId, int attempts) {
        super("Migration " + migrationId + ": " + attempts + " audit keys in a row were taken; the random source repeats itself");
    }
}
