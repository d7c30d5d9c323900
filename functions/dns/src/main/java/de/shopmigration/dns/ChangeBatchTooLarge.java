package de.shopmigration.dns;

/** More record values than Route 53 takes in one change batch: refused before anything is sent. */
public final class ChangeBatchTooLarge extends RuntimeException {
    public ChangeBatchTooLarge(String message) {
        super(message);
    }
}
