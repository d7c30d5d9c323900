package de.shopmigration.core;

/** A step came round more often than {@link Rounds#MAX}; the state machine aborts the migration with it. */
public final class TooManyRounds extends RuntimeException {
    public TooManyRounds(String message) {
        super(message);
    }
}
