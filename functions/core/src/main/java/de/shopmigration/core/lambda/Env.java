package de.shopmigration.core.lambda;

import de.shopmigration.core.MissingConfiguration;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration a function receives from its deployment: the Lambda environment in AWS,
 * a map built from template.yaml in the local emulator. Handlers never read System.getenv
 * anywhere else, so the local harness can run the very same classes.
 */
public record Env(Map<String, String> vars) {

    public Env {
        vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String require(String name) {
        String value = vars.get(name);
        if (value == null || value.isBlank()) {
            throw new MissingConfiguration(name);
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
