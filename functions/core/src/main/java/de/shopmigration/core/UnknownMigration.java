package de.shopmigration.core;

/** No record exists for the migration id: a wiring or input error, never retried. */
public final class UnknownMigration extends RuntimeException {
    public UnknownMigration(String migrationId) {
        super("No migration record for " + migrationId);
    }
}
