package de.shopmigration.core;

/** A deployment setting has a value the function cannot work with: a deployment error, never retried. */
public final class InvalidConfiguration extends RuntimeException {
    public InvalidConfiguration(String variable, String parameter, String why) {
        super("The deployment's " + (parameter == null ? variable : parameter + " (environment " + variable + ")") + " is invalid: "
                + why + "; see template.yaml");
    }
}
