package de.shopmigration.core;

/** A deployment setting the function needs is absent: a deployment error, never retried. */
public final class MissingConfiguration extends RuntimeException {
    public MissingConfiguration(String variable) {
        super("The deployment does not set " + variable + "; see template.yaml");
    }
}
