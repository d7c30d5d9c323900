package de.shopmigration.intake;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Collaborators;
import software.amazon.awssdk.services.route53.Route53Client;

/** "Check the migration request": input {input, executionName}. */
public final class IntakeHandler extends JsonHandler {

    private final Intake intake;

    public IntakeHandler() {
        this(Env.system());
    }

    public IntakeHandler(Env env) {
        this(create(Collaborators.from(env)));
        Priming.beforeSnapshot("IntakeFunction", intake::prime);
    }

    public IntakeHandler(Intake intake) {
        this.intake = intake;
    }

    private static Intake create(Collaborators services) {
        return new Intake(services, services.aws().configureGlobal(Route53Client.builder()).build());
    }

    @Override
    protected Object handle(JsonNode input) {
        return intake.open(input.get("input"), input.path("executionName").asText(null));
    }
}
