package de.shopmigration.abort;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Env;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Priming;
import de.shopmigration.core.Services;

/**
 * The cleanup state machine's record steps. BEGIN gets the EventBridge event that started the
 * cleanup ("Step Functions Execution Status Change" of a migration execution that was stopped,
 * failed or timed out; the execution name is the migration id): input {operation, event}.
 * FINISH comes after the DNS rollback: input {operation, migrationId, dns}.
 */
public final class AbortHandler extends JsonHandler {

    private final Cleanup cleanup;

    public AbortHandler() {
        this(Env.system());
    }

    public AbortHandler(Env env) {
        this(new Cleanup(Services.from(env)));
        Priming.beforeSnapshot("AbortFunction", cleanup::prime);
    }

    public AbortHandler(Cleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Override
    protected Object handle(JsonNode input) {
        String operation = input.path("operation").asText();
        return switch (operation) {
            case "BEGIN" -> {
                JsonNode detail = input.path("event").path("detail");
                if (detail.path("name").asText().isBlank()) {
                    throw new IllegalArgumentException("BEGIN needs the EventBridge event of the ended execution (event.detail.name)");
                }
                yield cleanup.begin(detail.path("name").asText(), detail.path("status").asText());
            }
            case "FINISH" -> cleanup.finish(input.get("migrationId").asText(), input.path("dns"));
            default -> throw new IllegalArgumentException("Unknown cleanup operation '" + operation + "' (BEGIN or FINISH)");
        };
    }
}
