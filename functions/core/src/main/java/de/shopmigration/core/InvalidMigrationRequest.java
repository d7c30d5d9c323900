package de.shopmigration.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The execution input cannot start a migration. The message names every bad field; the state
 * machine ends at its first state with this error, before any email or DNS change.
 */
public final class InvalidMigrationRequest extends RuntimeException {

    private final List<Validation.FieldError> errors;

    public InvalidMigrationRequest(List<Validation.FieldError> errors) {
        super("The migration request has " + errors.size() + " bad field" + (errors.size() == 1 ? "" : "s") + ": "
                + errors.stream().map(Validation.FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<Validation.FieldError> errors() {
        return errors;
    }
}
