package de.shopmigration.notify;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Env;
import de.shopmigration.core.Priming;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Services;

/** Notice states: input {migrationId, notice, round?, params?}. */
public final class NotifyHandler extends JsonHandler {

    private final Notices notices;

    public NotifyHandler() {
        this(Env.system());
    }

    public NotifyHandler(Env env) {
        this(new Notices(Services.from(env)));
        Priming.beforeSnapshot("NotifyFunction", notices::prime);
    }

    public NotifyHandler(Notices notices) {
        this.notices = notices;
    }

    @Override
    protected Object handle(JsonNode input) {
        return notices.send(input.get("migrationId").asText(), Notices.Kind.valueOf(input.get("notice").asText()),
                input.path("round").asInt(1), input.path("params"));
    }
}
