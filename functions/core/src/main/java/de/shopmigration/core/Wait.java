package de.shopmigration.core;

import java.time.Instant;
import java.util.Map;

/**
 * One wait for a person: the task token the state machine issued (never leaves DynamoDB), the
 * links that answer it, the reminders sent, and the decision once someone answered.
 */
public record Wait(
        String migrationId,
        Step step,
        int round,
        String taskToken,
        Map<Purpose, String> linkIds,
        Instant openedAt,
        Instant resolvedAt,
        String output,
        int nudges) {

    public static String key(Step step, int round) {
        return step.name() + "#" + round;
    }

    public String key() {
        return key(step, round);
    }

    public boolean resolved() {
        return resolvedAt != null;
    }
}
