package de.shopmigration.copy;

/** The copy tooling refused the job (4xx): retrying the same job cannot help, staff must look. */
public final class CopyWebhookRefused extends RuntimeException {
    public CopyWebhookRefused(String message) {
        super(message);
    }
}
