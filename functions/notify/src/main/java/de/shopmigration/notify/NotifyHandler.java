package de.shopmigration.notify;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Env;
import de.shopmigration.core.Priming;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Services;

/**
 * Notice states: input {migrationId, notice, round?, params?}; and phase 7's check whether the
 * close-out may run: {migrationId, operation: "CHECK_OPEN_REPORTS", checks}.
 */
public final class NotifyHandler extends JsonHandler {

    private final Notices notices;
    private final CloseOutCheck closeOut;

    public NotifyHandler() {
        this(Env.system());
    }

    public NotifyHandler(Env env) {
        this(Services.from(env));
    }

    private NotifyHandler(Services services) {
        this(new Notices(services), new CloseOutCheck(services));
        Priming.beforeSnapshot("NotifyFunction", notices::prime);
    }

    public NotifyHandler(Notices notices, CloseOutCheck closeOut) {
        this.notices = notices;
        this.closeOut = closeOut;
    }

    @Override
    protected Object handle(JsonNode input) {
        if ("CHECK_OPEN_REPORTS".equals(input.path("operation").asText())) {
            return closeOut.check(input.get("migrationId").asText(), input.path("checks").asInt(0));
        }
        return notices.send(input.get("migrationId").asText(), Notices.Kind.valueOf(input.get("notice").asText()),
                input.path("round").asInt(1), input.path("params"));
    }
}
