package de.shopmigration.copyagent;

/** A step of the copy went wrong; the message is the FAILED callback's reason. */
final class CopyFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CopyFailed(String reason) {
        super(reason, null, false, false);
    }
}
