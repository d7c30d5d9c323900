package de.shopmigration.abort;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.Collaborators;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The EventBridge rule's target and the cleanup state machine's record steps. An EventBridge
 * event ("Step Functions Execution Status Change", no operation) starts the cleanup state machine
 * named after the migration ({@link CleanupStart}). BEGIN gets the EventBridge event that started the
 * cleanup ("Step Functions Execution Status Change" of a migration execution that was stopped,
 * failed or timed out; the execution name is the migration id): input {operation, event}.
 * FINISH comes after the DNS rollback: input {operation, migrationId, dns}.
 */
public final class AbortHandler extends JsonHandler {

    private final Cleanup cleanup;
    private final CleanupStart cleanupStart;

    public AbortHandler() {
        this(Env.system());
    }

    public AbortHandler(Env env) {
        this(Collaborators.from(env));
        Priming.beforeSnapshot("AbortFunction", cleanup::prime);
    }

    private AbortHandler(Collaborators services) {
        this(new Cleanup(services), new CleanupStart(Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()),
                services.env().require("CLEANUP_STATE_MACHINE_ARN")));
    }

    public AbortHandler(Cleanup cleanup, CleanupStart cleanupStart) {
        this.cleanup = cleanup;
        this.cleanupStart = cleanupStart;
    }

    @Override
    protected Object handle(JsonNode input) {
        if (input.has("detail-type")) {
            return cleanupStart.start(input);
        }
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
