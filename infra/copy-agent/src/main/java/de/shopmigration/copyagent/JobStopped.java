package de.shopmigration.copyagent;

/** The job was cancelled (410 heartbeat, shutdown, timeout) while a step ran. */
final class JobStopped extends Exception {
    private static final long serialVersionUID = 1L;

    JobStopped() {
        super("stopped", null, false, false);
    }
}
