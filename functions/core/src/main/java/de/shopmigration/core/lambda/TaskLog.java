package de.shopmigration.core.lambda;

import de.shopmigration.core.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON line per task, for a query by migration id across every function: which migration,
 * which function and step, how it ended, how long it took and, when it failed, the error's type.
 * Built from named fields only, never from the input as a whole: inputs carry task tokens,
 * answers and addresses, and an error's message may quote them.
 */
public final class TaskLog {

    private TaskLog() {
    }

    /** @param error null when the task succeeded */
    public static String line(String function, JsonNode input, long durationMillis, Throwable error) {
        ObjectNode line = Json.object();
        line.put("level", error == null ? "INFO" : "ERROR");
        line.put("message", "task");
        line.put("migrationId", migrationId(input));
        line.put("function", function);
        line.put("step", step(input));
        line.put("outcome", error == null ? "ok" : "error");
        line.put("durationMs", durationMillis);
        if (error != null) {
            line.put("errorType", error.getClass().getName());
        }
        return Json.write(line);
    }

    /**
     * A link page served: the migration, the method and the status. Never the path: after the
     * migration id it holds the link itself.
     */
    public static String page(String function, String path, String method, int status, long durationMillis) {
        ObjectNode line = Json.object();
        line.put("level", status >= 500 ? "ERROR" : "INFO");
        line.put("message", "page");
        String[] parts = path == null ? new String[0] : path.split("/");
        line.put("migrationId", parts.length > 2 && "m".equals(parts[1]) && parts[2].matches("[A-Za-z0-9_-]{1,80}") ? parts[2] : null);
        line.put("function", function);
        line.put("method", method);
        line.put("status", status);
        line.put("durationMs", durationMillis);
        return Json.write(line);
    }

    static String migrationId(JsonNode input) {
        for (JsonNode candidate : new JsonNode[] {input.path("migrationId"), input.path("executionName"), input.path("event").path("detail").path("name"),
                input.path("detail").path("name")}) {
            if (candidate.isTextual()) {
                return candidate.asText();
            }
        }
        return null;
    }

    /** What the function was asked to do: a step, a notice, an operation or a copy mode. */
    static String step(JsonNode input) {
        for (String field : new String[] {"step", "notice", "operation", "mode"}) {
            if (input.path(field).isTextual()) {
                return input.path(field).asText();
            }
        }
        return input.path("detail-type").isTextual() ? "START_CLEANUP" : null;
    }
}
