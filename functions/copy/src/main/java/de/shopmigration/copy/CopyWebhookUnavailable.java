package de.shopmigration.copy;

/** The copy tooling's webhook answered 5xx or not at all: the state machine retries later. */
public final class CopyWebhookUnavailable extends RuntimeException {
    public CopyWebhookUnavailable(String message) {
        super(message);
    }
}
