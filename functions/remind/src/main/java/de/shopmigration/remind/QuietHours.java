package de.shopmigration.remind;

/**
 * It is night where the customer lives: the reminder waits. The state machine retries the
 * reminder step on this error every half hour, so it goes out in the morning; no Lambda sleeps.
 */
public final class QuietHours extends RuntimeException {
    public QuietHours(String message) {
        super(message);
    }
}
