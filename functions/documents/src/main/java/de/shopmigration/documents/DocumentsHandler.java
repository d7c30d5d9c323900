package de.shopmigration.documents;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.JsonHandler;
import de.shopmigration.core.lambda.Collaborators;
import java.time.Instant;

/** "Write the test scenarios" / "Write the calendar invite": input {operation, migrationId, booking?}. */
public final class DocumentsHandler extends JsonHandler {

    private final DocumentWriter writer;

    public DocumentsHandler() {
        this(Env.system());
    }

    public DocumentsHandler(Env env) {
        this(new DocumentWriter(Collaborators.from(env)));
        Priming.beforeSnapshot("DocumentsFunction", writer::prime);
    }

    public DocumentsHandler(DocumentWriter writer) {
        this.writer = writer;
    }

    @Override
    protected Object handle(JsonNode input) {
        String id = input.get("migrationId").asText();
        return switch (input.get("operation").asText()) {
            case "TEST_SCENARIOS" -> writer.testScenarios(id);
            case "GO_LIVE_INVITE" -> writer.goLiveInvite(id, Instant.parse(input.path("booking").path("slotStart").asText()),
                    Instant.parse(input.path("booking").path("slotEnd").asText()));
            default -> throw new IllegalArgumentException("Unknown document " + input.get("operation"));
        };
    }
}
