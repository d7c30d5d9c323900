package de.shopmigration.dns;

/**
 * A record no longer holds the values the migration recorded (someone changed it by hand):
 * the compare-and-swap changed nothing, and staff must look before the switch is tried again.
 */
public final class DnsMismatch extends RuntimeException {
    public DnsMismatch(String message) {
        super(message);
    }
}
