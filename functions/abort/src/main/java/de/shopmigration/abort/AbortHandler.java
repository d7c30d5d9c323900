package de.shopmigration.abort;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Env;
import de.shopmigration.core.Priming;
import de.shopmigration.core.Json;
import de.shopmigration.core.JsonHandler;
import de.shopmigration.core.Services;
import de.shopmigration.dns.DnsHandler;

/**
 * Two callers, one cleanup: the state machine's abort path after a failure (input
 * {migrationId, failure: {Error, Cause}}) and the EventBridge rule on "Step Functions Execution
 * Status Change": an execution stopped by staff (abort link or console), failed or timed out.
 * A staff abort's reason and author come from the record (the abort link stores them).
 */
public final class AbortHandler extends JsonHandler {

    private final Cleanup cleanup;

    public AbortHandler() {
        this(Env.system());
    }

    public AbortHandler(Env env) {
        this(create(Services.from(env)));
        Priming.beforeSnapshot("AbortFunction", cleanup::prime);
    }

    public AbortHandler(Cleanup cleanup) {
        this.cleanup = cleanup;
    }

    private static Cleanup create(Services services) {
        return new Cleanup(services, DnsHandler.create(services));
    }

    @Override
    protected Object handle(JsonNode input) {
        if (input.has("detail-type")) {
            JsonNode detail = input.path("detail");
            String status = detail.path("status").asText();
            Cleanup.Reason reason = switch (status) {
                case "ABORTED" -> new Cleanup.Reason("The execution was stopped in the AWS console", "staff (console)", false);
                case "TIMED_OUT" -> new Cleanup.Reason("The execution timed out", "system", true);
                default -> new Cleanup.Reason("The execution ended with status " + status, "system", true);
            };
            return cleanup.abort(detail.path("name").asText(), reason);
        }
        JsonNode failure = input.path("failure");
        String cause = causeText(failure.path("Cause").asText(""));
        return cleanup.abort(input.get("migrationId").asText(),
                new Cleanup.Reason(simpleName(failure.path("Error").asText("")) + ": " + cause, "system", true));
    }

    /** A Lambda error's cause is its JSON error object; people need only the message. */
    static String causeText(String cause) {
        if (cause.startsWith("{")) {
            try {
                JsonNode node = Json.read(cause);
                if (node.has("errorMessage")) {
                    return node.get("errorMessage").asText();
                }
            } catch (IllegalArgumentException e) {
                return cause;
            }
        }
        return cause;
    }

    private static String simpleName(String error) {
        int dot = error.lastIndexOf('.');
        return dot < 0 ? error : error.substring(dot + 1);
    }
}
