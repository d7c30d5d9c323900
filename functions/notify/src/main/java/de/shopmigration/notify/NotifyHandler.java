package de.shopmigration.notify;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.DataExpiry;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Collaborators;

/**
 * Notice states: input {migrationId, notice, round?, params?}; phase 7's check whether the
 * close-out may run: {migrationId, operation: "CHECK_OPEN_REPORTS", checks}; and the last step of
 * the close-out and of the cleanup, which gives the migration's items their deletion time:
 * {migrationId, operation: "SCHEDULE_DELETION"}.
 */
public final class NotifyHandler extends JsonHandler {

    private final Notices notices;
    private final CloseOutCheck closeOut;
    private final DataExpiry expiry;

    public NotifyHandler() {
        this(Env.system());
    }

    public NotifyHandler(Env env) {
        this(Collaborators.from(env));
    }

    private NotifyHandler(Collaborators services) {
        this(new Notices(services), new CloseOutCheck(services), services.store().expiry());
        Priming.beforeSnapshot("NotifyFunction", notices::prime);
    }

    public NotifyHandler(Notices notices, CloseOutCheck closeOut, DataExpiry expiry) {
        this.notices = notices;
        this.closeOut = closeOut;
        this.expiry = expiry;
    }

    @Override
    protected Object handle(JsonNode input) {
        switch (input.path("operation").asText()) {
            case "CHECK_OPEN_REPORTS" -> {
                return closeOut.check(input.get("migrationId").asText(), input.path("checks").asInt(0));
            }
            case "SCHEDULE_DELETION" -> {
                DataExpiry.Scheduled s = expiry.schedule(input.get("migrationId").asText());
                return Json.object().put("items", s.items()).put("written", s.written())
                        .put("dataUntil", s.dataUntil().toString()).put("recordUntil", s.recordUntil().toString());
            }
            default -> {
                // a notice
            }
        }
        return notices.send(input.get("migrationId").asText(), Notices.Kind.valueOf(input.get("notice").asText()),
                input.path("round").asInt(1), input.path("params"));
    }
}
