package de.shopmigration.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * The execution input's contract, {@code migration-input.schema.json} (JSON Schema 2020-12):
 * the shape of every field, and no field the workflow does not know (a typo such as
 * {@code "newIP"} is named instead of silently ignored).
 */
public final class InputSchema {

    public static final String RESOURCE = "/migration-input.schema.json";

    private final JsonSchema schema;

    private InputSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /**
     * Reads and compiles the schema (about 120 ms): called from the handler's constructor, so it
     * is paid in the init phase that SnapStart snapshots, not on the first request.
     */
    public static InputSchema load() {
        try (InputStream in = InputSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The package lacks " + RESOURCE);
            }
            return new InputSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.read(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds one error per schema violation, named by its field path ("domains[0].name"). */
    public void check(JsonNode input, Validation v) {
        for (ValidationMessage m : schema.validate(input)) {
            String at = m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
            String field = switch (m.getType()) {
                case "required" -> join(at, String.valueOf(m.getProperty()));
                case "additionalProperties" -> join(at, String.valueOf(m.getProperty()));
                default -> at;
            };
            String message = switch (m.getType()) {
                case "required" -> "is required";
                case "additionalProperties" -> "is not a known field";
                default -> m.getMessage().replaceFirst("^\\S+: ", "");
            };
            v.error(field.isEmpty() ? "(input)" : field, message + " (schema)");
        }
    }

    /**
     * A field's pattern and its message as the schema states them, for a value the schema does
     * not see: the execution name, which is the migration id when the input names none.
     *
     * @param field a JSON pointer into the schema, e.g. "/properties/migrationId"
     */
    public Rule rule(String field) {
        JsonNode node = schema.getSchemaNode().at(field);
        return new Rule(Pattern.compile(node.path("pattern").asText()), node.path("message").path("pattern").asText());
    }

    /** One pattern of the schema, with what it tells a person whose value does not match it. */
    public record Rule(Pattern pattern, String message) {
        public boolean matches(String value) {
            return value != null && pattern.matcher(value).find();
        }
    }

    private static String join(String at, String property) {
        return at.isEmpty() ? property : at + "." + property;
    }
}
