package de.shopmigration.core.mail;

import de.shopmigration.core.InvalidMigrationRequest;
import de.shopmigration.core.TypedText;
import de.shopmigration.core.Validation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A customer's address that staff type in after a bounce (the ask function's
 * CORRECT_CUSTOMER_EMAIL), checked as the intake checks {@code customer.email}: no control
 * characters, the shape of an address, and what SES can send to ({@link EmailAddress}). The
 * intake has the input's JSON Schema for the shape; this command has not, so the shape is
 * stated here once more, and the intake's InputSchemaTest proves that both take the same addresses.
 */
public final class CustomerEmail {

    /**
     * {@code customer.email}'s pattern in migration-input.schema.json without its "only ASCII
     * before the @" part: {@link EmailAddress#problem} says that one in clearer words.
     */
    public static final String PATTERN = "^[^@\\s<>\",;]+@[^@\\s<>\",;]+\\.[^@\\s<>\",;]{2,}$";
    /** The schema's maxLength of {@code customer.email}. */
    public static final int MAX_LENGTH = 254;

    private static final Pattern SHAPE = Pattern.compile(PATTERN);
    private static final String FIELD = "customer.email";

    private CustomerEmail() {
    }

    /**
     * @return the address without surrounding blanks
     * @throws InvalidMigrationRequest naming the problem, as the intake would name it
     */
    public static String check(String email) {
        String problem = problem(email);
        if (problem != null) {
            throw new InvalidMigrationRequest(List.of(new Validation.FieldError(FIELD, problem)));
        }
        return email.strip();
    }

    private static String problem(String typed) {
        // As typed: a line break around the address is refused, not stripped away.
        var control = typed == null ? java.util.Optional.<String>empty() : TypedText.controlCharacter(typed);
        if (control.isPresent()) {
            return control.get();
        }
        String email = typed == null ? "" : typed.strip();
        if (email.isEmpty()) {
            return "is required";
        }
        if (email.length() > MAX_LENGTH || !SHAPE.matcher(email).matches()) {
            return "\"" + (email.length() <= 60 ? email : email.substring(0, 57) + "...") + "\" is not an email address";
        }
        return EmailAddress.problem(email).orElse(null);
    }
}
