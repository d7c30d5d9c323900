package de.shopmigration.core;

/** A record with this id already exists for a different request: ids are never reused. */
public final class DuplicateMigration extends RuntimeException {
    public DuplicateMigration(String migrationId) {
        super("A different migration with the id " + migrationId + " already exists; start this one under a new id");
    }
}
