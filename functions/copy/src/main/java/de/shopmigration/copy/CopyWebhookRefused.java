package de.shopmigration.copy;

/**
 * The copy tooling refused the job (4xx): sending the same job again cannot help. Staff get the
 * job by email instead, with the tooling's answer, and can copy by hand or fix and abort.
 */
public final class CopyWebhookRefused extends RuntimeException {

    private final String answer;

    public CopyWebhookRefused(int status, String body) {
        this(body.isBlank() ? "HTTP " + status : "HTTP " + status + ": " + body);
    }

    private CopyWebhookRefused(String answer) {
        super("The copy webhook refused the job with " + answer);
        this.answer = answer;
    }

    /** The status and the start of the tooling's answer, for staff. */
    public String answer() {
        return answer;
    }
}
