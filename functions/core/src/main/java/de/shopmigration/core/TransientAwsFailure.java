package de.shopmigration.core;

/**
 * An AWS call failed in a way that may pass (throttling, 5xx, timeouts) after the SDK's own
 * retries: the state machine retries the step with backoff, matching this name.
 */
public final class TransientAwsFailure extends RuntimeException {
    public TransientAwsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
