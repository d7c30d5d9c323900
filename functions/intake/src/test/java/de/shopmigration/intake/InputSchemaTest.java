package de.shopmigration.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.InvalidMigrationRequest;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Timing;
import de.shopmigration.core.Validation;
import de.shopmigration.core.mail.CustomerEmail;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InputSchemaTest {

    private static final String GOOD = """
            {"customer": {"name": "Erika Mustermann", "company": "Muster GmbH", "email": "erika@muster-shop.de", "language": "de"},
             "staff": {"name": "Max Admin", "email": "max.admin@hosting.example"},
             "shopName": "Muster-Shop",
             "domains": [{"name": "muster-shop.de", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}, {"name": "muster-shop.at"}],
             "newIp": "198.51.100.20", "newIpv6": "2001:db8::20", "targetTtl": 300, "optimisationOrdered": false,
             "timing": {"customerReminderSeconds": 600}}
            """;

    private static final InputSchema SCHEMA = InputSchema.load();

    private static List<String> errors(String json) {
        Validation v = new Validation();
        SCHEMA.check(Json.read(json), v);
        return v.errors().stream().map(Validation.FieldError::toString).toList();
    }

    @Test
    void theReadmeExampleIsValidForTheSchemaAndTheParser() {
        assertThat(errors(GOOD)).isEmpty();
        Validation v = new Validation();
        new RequestParser(SCHEMA, Set.of(), true).parse(Json.read(GOOD), "M-2026-0042", v);
        assertThat(v.errors()).isEmpty();
    }

    @Test
    void aTypoIsNamedInsteadOfIgnored() {
        assertThat(errors(GOOD.replace("\"newIp\"", "\"newIP\"")))
                .containsExactlyInAnyOrder("newIP: is not a known field (schema)", "newIp: is required (schema)");
        assertThat(errors(GOOD.replace("\"shopName\"", "\"shopname\""))).containsExactly("shopname: is not a known field (schema)");
        assertThat(errors(GOOD.replace("\"company\"", "\"firma\""))).containsExactly("customer.firma: is not a known field (schema)");
    }

    @Test
    void everyBadFieldIsListedWithItsPath() {
        String bad = GOOD.replace("\"de\"}", "\"fr\"}").replace("300,", "30,").replace("\"muster-shop.at\"}", "\"muster-shop.at\", \"records\": []}")
                .replace("\"customerReminderSeconds\": 600", "\"customerReminderSeconds\": \"soon\"");
        assertThat(errors(bad)).extracting(e -> e.substring(0, e.indexOf(':'))).containsExactlyInAnyOrder(
                "customer.language", "targetTtl", "domains[1].records", "timing.customerReminderSeconds");
    }

    @Test
    void theSchemaKnowsExactlyTheTimingsTheWorkflowKnows() {
        ObjectNode schema = (ObjectNode) Json.read(new String(readSchema(), java.nio.charset.StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        schema.path("properties").path("timing").path("properties").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(Timing.fieldNames());
        // The schema's ranges agree with the parser's: its bounds are valid, one past them is not.
        for (String name : names) {
            JsonNode range = schema.path("properties").path("timing").path("properties").path(name);
            for (long value : new long[] {range.get("minimum").asLong(), range.get("maximum").asLong()}) {
                Validation v = new Validation();
                new RequestParser(SCHEMA, Set.of(), true).parse(Json.read(GOOD.replace("\"customerReminderSeconds\": 600", "\"" + name + "\": " + value)),
                        "M-2026-0042", v);
                assertThat(v.errors()).as(name + " = " + value).isEmpty();
            }
            assertThat(errors(GOOD.replace("\"customerReminderSeconds\": 600", "\"" + name + "\": " + (range.get("maximum").asLong() + 1))))
                    .as(name).hasSize(1);
        }
    }

    /**
     * Staff correcting a bounced address (the ask function, which has no schema) are held to
     * what the intake takes: the same pattern and length, and the same verdict on each address
     * (except blanks around it, which the correction strips from a pasted address).
     */
    @Test
    void theCorrectionOfACustomerAddressTakesWhatTheIntakeTakes() {
        JsonNode email = Json.read(new String(readSchema(), java.nio.charset.StandardCharsets.UTF_8)).at("/properties/customer/properties/email");
        assertThat(email.path("pattern").asText().replace("\\u0080-\\uFFFF", "")).as("less the ASCII rule EmailAddress words")
                .isEqualTo(CustomerEmail.PATTERN);
        assertThat(email.path("maxLength").asInt()).isEqualTo(CustomerEmail.MAX_LENGTH);
        RequestParser parser = new RequestParser(SCHEMA, Set.of(), true);
        for (String address : List.of("erika@muster-shop.de", "erika@müller-shop.de", "jürgen@müller-shop.de", "x@", "nope",
                "erika@muster-shop", "erika@muster-shop.d", "a..b@muster-shop.de", ".a@muster-shop.de", "a b@muster-shop.de",
                "<a>@muster-shop.de", "a,b@muster-shop.de", "a@b@muster-shop.de", "erika@-shop.de", "erika@shop\u202E.de",
                "a".repeat(64) + "@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + ".de",
                "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(60) + ".de", "")) {
            ObjectNode input = (ObjectNode) Json.read(GOOD);
            ((ObjectNode) input.get("customer")).put("email", address);
            Validation v = new Validation();
            parser.parse(input, "M-2026-0042", v);
            boolean intakeTakes = !v.has("customer.email");
            boolean correctionTakes;
            try {
                CustomerEmail.check(address);
                correctionTakes = true;
            } catch (InvalidMigrationRequest e) {
                correctionTakes = false;
            }
            assertThat(correctionTakes).as(address + ": " + v.errors()).isEqualTo(intakeTakes);
        }
    }

    /** The execution name is the migration id when the input names none: held to the schema's pattern, in its words. */
    @Test
    void theExecutionNameIsHeldToTheSchemasMigrationIdPattern() {
        RequestParser parser = new RequestParser(SCHEMA, Set.of(), true);
        Validation byName = new Validation();
        parser.parse(Json.read(GOOD), "M.2026.0042", byName);
        Validation byField = new Validation();
        parser.parse(Json.read(GOOD.replace("{\"customer\"", "{\"migrationId\": \"M.2026.0042\", \"customer\"")), "M.2026.0042", byField);
        assertThat(byName.errors()).extracting(Validation.FieldError::toString)
                .containsExactly("migrationId: must be 3 to 80 letters, digits, '-' or '_' (it is the execution name)");
        assertThat(byField.errors()).extracting(Validation.FieldError::toString)
                .containsExactly("migrationId: must be 3 to 80 letters, digits, '-' or '_' (it is the execution name) (schema)");
    }

    private static byte[] readSchema() {
        try (var in = InputSchema.class.getResourceAsStream(InputSchema.RESOURCE)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
