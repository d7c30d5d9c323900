package de.shopmigration.core;

import java.time.Instant;
import java.util.Map;

/**
 * One wait for a person (or for copy tooling): the task token the state machine issued (never
 * leaves DynamoDB), the links that answer it, the reminders sent, the decision once someone
 * answered, and for copy jobs when the job went out and when the tooling last reported.
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
        int nudges,
        Instant jobSentAt,
        Instant heartbeatAt,
        String progress) {

    public static String key(Step step, int round) {
        return step.name() + "#" + round;
    }

    public String key() {
        return key(step, round);
    }

    /** Whether this wait's job went to copy tooling (webhook) rather than to staff by email. */
    public boolean handedToTooling() {
        return jobSentAt != null;
    }

    public boolean resolved() {
        return resolvedAt != null;
    }
}
