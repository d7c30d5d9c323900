package de.shopmigration.core;

/** An AWS call was refused for a reason retrying cannot fix (permissions, validation). */
public final class PermanentAwsFailure extends RuntimeException {
    public PermanentAwsFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
