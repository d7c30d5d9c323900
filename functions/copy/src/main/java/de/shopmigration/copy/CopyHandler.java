package de.shopmigration.copy;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Asking;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.TimeFormats;
import java.net.URI;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Copy states (waitForTaskToken): input {migrationId, step, round, taskToken, enteredAt}. */
public final class CopyHandler extends JsonHandler {

    private final CopyTrigger trigger;

    public CopyHandler() {
        this(Env.system());
    }

    public CopyHandler(Env env) {
        this(create(Collaborators.from(env)));
        Priming.beforeSnapshot("CopyFunction", trigger::prime);
    }

    public CopyHandler(CopyTrigger trigger) {
        this.trigger = trigger;
    }

    private static CopyTrigger create(Collaborators services) {
        Asking asking = new Asking(services, Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()));
        return new CopyTrigger(services, asking, services.env().optional("COPY_WEBHOOK_URL").map(URI::create));
    }

    @Override
    protected Object handle(JsonNode input) {
        trigger.trigger(input.get("migrationId").asText(), Step.valueOf(input.get("step").asText()),
                input.path("round").asInt(1), input.get("taskToken").asText(), TimeFormats.parseEnteredTime(input.path("enteredAt").asText(null)));
        return null;
    }
}
