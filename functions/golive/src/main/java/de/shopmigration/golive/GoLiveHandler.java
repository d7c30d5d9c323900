package de.shopmigration.golive;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Collaborators;
import java.time.Instant;

/**
 * Phase 5 states: input {operation: OFFER | CONFIRM, migrationId, booking?}; and for operators
 * {operation: STAFF_CALENDAR | ROTATE_STAFF_CALENDAR}, which answer with the staff calendar's address,
 * and {operation: ADOPT_BOOKING, migrationId} for a booking made before go-lives were counted by overlap.
 */
public final class GoLiveHandler extends JsonHandler {

    private final GoLivePlanner planner;

    public GoLiveHandler() {
        this(Env.system());
    }

    public GoLiveHandler(Env env) {
        this(create(Collaborators.from(env)));
        Priming.beforeSnapshot("GoLiveFunction", planner::prime);
    }

    public GoLiveHandler(GoLivePlanner planner) {
        this.planner = planner;
    }

    private static GoLivePlanner create(Collaborators services) {
        int capacity = Integer.parseInt(services.env().optional("SLOT_CAPACITY").orElse("1"));
        return new GoLivePlanner(services, new GoLiveSlots(services.officeHours(),
                new Holidays(services.env().optional("HOLIDAY_REGION").orElse("de-nw"))), capacity);
    }

    /** The cells a booking took, as the booking page handed them over; null when it named none. */
    static java.util.List<Instant> cells(JsonNode cells) {
        if (!cells.isArray() || cells.isEmpty()) {
            return null;
        }
        java.util.List<Instant> out = new java.util.ArrayList<>();
        cells.forEach(c -> out.add(Instant.parse(c.asText())));
        return out;
    }

    @Override
    protected Object handle(JsonNode input) {
        String operation = input.path("operation").asText();
        // Operators' commands (docs/operations.md): the staff calendar's address, or a new one that revokes the old.
        if (operation.equals("STAFF_CALENDAR") || operation.equals("ROTATE_STAFF_CALENDAR")) {
            return planner.staffCalendar(operation.startsWith("ROTATE"));
        }
        String id = input.get("migrationId").asText();
        return switch (operation) {
            case "OFFER" -> planner.offer(id);
            case "ADOPT_BOOKING" -> planner.adopt(id);
            case "CONFIRM" -> planner.confirm(id, Instant.parse(input.path("booking").path("slotStart").asText()),
                    Instant.parse(input.path("booking").path("slotEnd").asText()), cells(input.path("booking").path("slotCells")));
            default -> throw new IllegalArgumentException("Unknown go-live operation " + input.get("operation"));
        };
    }
}
