package de.shopmigration.remind;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;

/**
 * "... overdue: remind ..." states: input {migrationId, step, round, variant?, nudgeKey,
 * intervalSeconds, heartbeatSeconds?}; answers when the wait times out next.
 */
public final class ReminderHandler extends JsonHandler {

    private final Reminders reminders;

    public ReminderHandler() {
        this(Env.system());
    }

    public ReminderHandler(Env env) {
        this(new Reminders(Collaborators.from(env)));
        Priming.beforeSnapshot("RemindFunction", reminders::prime);
    }

    public ReminderHandler(Reminders reminders) {
        this.reminders = reminders;
    }

    @Override
    protected Object handle(JsonNode input) {
        JsonNode heartbeat = input.get("heartbeatSeconds");
        return reminders.remind(input.get("migrationId").asText(), Step.valueOf(input.get("step").asText()),
                input.path("round").asInt(1), input.path("variant").asText(null), input.get("nudgeKey").asText(),
                new Reminders.Interval(input.get("intervalSeconds").asLong(),
                        heartbeat == null || heartbeat.isNull() ? null : heartbeat.asLong()));
    }
}
