package de.shopmigration.ask;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Env;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Services;
import de.shopmigration.core.Step;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Every "wait for a person" task (lambda:invoke.waitForTaskToken): input {migrationId, step,
 * round, variant?, taskToken}. Its return value is ignored; the wait ends when a link is used.
 */
public final class AskHandler extends JsonHandler {

    private final Asking asking;

    public AskHandler() {
        this(Env.system());
    }

    public AskHandler(Env env) {
        this(create(Services.from(env)));
    }

    public AskHandler(Asking asking) {
        this.asking = asking;
    }

    private static Asking create(Services services) {
        return new Asking(services, services.aws().configure(SfnClient.builder()).build());
    }

    @Override
    protected Object handle(JsonNode input) {
        asking.ask(input.get("migrationId").asText(), Step.valueOf(input.get("step").asText()),
                input.path("round").asInt(1), input.path("variant").asText(null), input.get("taskToken").asText());
        return null;
    }
}
