package de.shopmigration.core;

/** A migration whose record is not closed yet: its data is not scheduled for deletion. */
public final class MigrationStillOpen extends RuntimeException {
    public MigrationStillOpen(String migrationId, String status) {
        super("Migration " + migrationId + " is " + status + ", not closed: its data stays");
    }
}
