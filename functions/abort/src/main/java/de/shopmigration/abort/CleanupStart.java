package de.shopmigration.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Starts the cleanup of a migration whose execution ended stopped, failed or timed out, from the
 * EventBridge event of that end. The EventBridge rule targets this function rather than the
 * cleanup state machine because a rule cannot name the execution it starts: staff would find
 * cleanups under random ids. Here the cleanup is named after the migration.
 */
public final class CleanupStart {

    /** Step Functions' limit on an execution name. */
    static final int MAX_NAME = 80;

    private final Supplier<SfnClient> sfn;
    private final String cleanupStateMachineArn;

    public CleanupStart(Supplier<SfnClient> sfn, String cleanupStateMachineArn) {
        this.sfn = sfn;
        this.cleanupStateMachineArn = cleanupStateMachineArn;
    }

    /**
     * The cleanup's execution name: the migration id, "-cleanup-" and the end's time in base 36.
     * An execution name is unique per state machine for 90 days and a migration can end more than
     * once (a redriven execution that fails again), so the end's time tells the cleanups apart,
     * while EventBridge delivering the same event twice gives the same name (started once).
     * The migration id is shortened if needed to keep within 80 characters.
     */
    static String executionName(String migrationId, long stopEpochMillis) {
        String suffix = "-cleanup-" + Long.toString(stopEpochMillis, 36);
        String id = migrationId.replaceAll("[^A-Za-z0-9_-]", "_");
        return id.substring(0, Math.min(id.length(), MAX_NAME - suffix.length())) + suffix;
    }

    /**
     * Starts the cleanup with the event as its input (the cleanup's first step reads it). A
     * second delivery of the same event finds the same execution: Step Functions answers a running
     * one with it and a finished one with ExecutionAlreadyExists, both meaning "already started".
     *
     * @return {migrationId, cleanup: execution name, started: whether this call started it}
     */
    public ObjectNode start(JsonNode event) {
        JsonNode detail = event.path("detail");
        String migrationId = detail.path("name").asText();
        if (migrationId.isBlank() || !detail.path("stopDate").canConvertToLong()) {
            throw new IllegalArgumentException("Not the EventBridge event of an ended execution (needs detail.name and detail.stopDate)");
        }
        String name = executionName(migrationId, detail.path("stopDate").asLong());
        ObjectNode result = Json.object().put("migrationId", migrationId).put("cleanup", name);
        try {
            sfn.get().startExecution(b -> b.stateMachineArn(cleanupStateMachineArn).name(name).input(Json.write(event)));
            return result.put("started", true);
        } catch (ExecutionAlreadyExistsException e) {
            return result.put("started", false);
        }
    }
}
