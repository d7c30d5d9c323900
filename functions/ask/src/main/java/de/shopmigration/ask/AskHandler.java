package de.shopmigration.ask;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Asking;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Every "wait for a person" task (lambda:invoke.waitForTaskToken): input {migrationId, step,
 * round, variant?, taskToken, enteredAt}. Its return value is ignored; the wait ends when a link is used.
 * Also {operation: DELIVER, migrationId, waitKey} from the link pages, and
 * {operation: CORRECT_CUSTOMER_EMAIL, migrationId, email} from staff after a bounce.
 */
public final class AskHandler extends JsonHandler {

    private final Asking asking;

    public AskHandler() {
        this(Env.system());
    }

    public AskHandler(Env env) {
        this(create(Collaborators.from(env)));
        Priming.beforeSnapshot("AskFunction", asking::prime);
    }

    public AskHandler(Asking asking) {
        this.asking = asking;
    }

    private static Asking create(Collaborators services) {
        return new Asking(services, Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()));
    }

    @Override
    protected Object handle(JsonNode input) {
        if ("DELIVER".equals(input == null ? null : input.path("operation").asText(null))) {
            asking.deliverStored(required(input, "migrationId"), required(input, "waitKey"));
            return null;
        }
        if ("CORRECT_CUSTOMER_EMAIL".equals(input == null ? null : input.path("operation").asText(null))) {
            // Staff, after a bounce (docs/operations.md, "A customer address bounced"): aws lambda invoke with this payload.
            return asking.correctCustomerEmail(required(input, "migrationId"), input.path("email").asText(null));
        }
        asking.ask(required(input, "migrationId"), Step.valueOf(required(input, "step")),
                input.path("round").asInt(1), input.path("variant").asText(null), required(input, "taskToken"),
                TimeFormats.parseEnteredTime(input.path("enteredAt").asText(null)));
        return null;
    }

    /** A payload the state machine did not build is refused by name, not with a NullPointerException. */
    private static String required(JsonNode input, String field) {
        JsonNode value = input == null ? null : input.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("The ask payload lacks " + field);
        }
        return value.asText();
    }
}
