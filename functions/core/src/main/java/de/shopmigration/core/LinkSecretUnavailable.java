package de.shopmigration.core;

/**
 * The link secret cannot be read or holds no usable key: a deployment error (a missing grant, a
 * deleted secret, a value under 32 characters). The message names the secret, never its value.
 */
public final class LinkSecretUnavailable extends RuntimeException {
    public LinkSecretUnavailable(String message) {
        super(message);
    }

    public LinkSecretUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
