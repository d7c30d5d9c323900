package de.shopmigration.core;

/** The migration was closed or aborted while this step was on its way: nothing more to do. */
public final class MigrationNotRunning extends RuntimeException {
    public MigrationNotRunning(String migrationId, String status) {
        super("Migration " + migrationId + " is " + status + ", not running");
    }
}
