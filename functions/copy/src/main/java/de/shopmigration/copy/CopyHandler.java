package de.shopmigration.copy;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Asking;
import de.shopmigration.core.Env;
import de.shopmigration.core.Priming;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Lazy;
import de.shopmigration.core.Services;
import de.shopmigration.core.Step;
import de.shopmigration.core.Times;
import java.net.URI;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Copy states (waitForTaskToken): input {migrationId, step, round, taskToken, enteredAt}. */
public final class CopyHandler extends JsonHandler {

    private final CopyTrigger trigger;

    public CopyHandler() {
        this(Env.system());
    }

    public CopyHandler(Env env) {
        this(create(Services.from(env)));
        Priming.beforeSnapshot("CopyFunction", trigger::prime);
    }

    public CopyHandler(CopyTrigger trigger) {
        this.trigger = trigger;
    }

    private static CopyTrigger create(Services services) {
        Asking asking = new Asking(services, Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()));
        return new CopyTrigger(services, asking, services.env().optional("COPY_WEBHOOK_URL").map(URI::create));
    }

    @Override
    protected Object handle(JsonNode input) {
        trigger.trigger(input.get("migrationId").asText(), Step.valueOf(input.get("step").asText()),
                input.path("round").asInt(1), input.get("taskToken").asText(), Times.parseEnteredTime(input.path("enteredAt").asText(null)));
        return null;
    }
}
