package de.shopmigration.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.avaje.json.JsonException;
import io.avaje.jsonb.JsonType;
import io.avaje.jsonb.Jsonb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * JSON for the functions, built for the first invocation. Free-form JSON (events, execution
 * input, the customer's answers) is a Jackson {@link JsonNode} tree; the records (the migration
 * record, the request: listed in this package's {@code package-info}) are bound by adapters
 * avaje-jsonb generates at compile time. Jackson's ObjectMapper is never built: its
 * construction and reflective record binding cost some 350 ms on a cold start, more than the
 * rest of a function's own work. avaje's parser takes strings of at most 50,000 characters;
 * every string of a record comes through a validated input of at most 5,000 (forms, execution
 * input schema, copy callback).
 */
public final class Json {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Nulls and empty lists are written, as Jackson wrote them, so stored items keep their shape. */
    private static final Jsonb JSONB = Jsonb.builder()
            .classLoader(Json.class.getClassLoader())
            .serializeNulls(true)
            .serializeEmpty(true)
            .failOnUnknown(false)
            .build();
    private static final JsonType<JsonNode> TREES = JSONB.type(JsonNode.class);

    private Json() {
    }

    public static JsonNode read(InputStream in) {
        try {
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Free-form JSON as a tree. avaje's parser (loaded anyway for the records) reads it, but it
     * refuses strings of about 32,765 characters or more (measured: its string buffer doubles
     * up to a limit), and an API Gateway event may carry a body of up to 64 KiB that the link
     * pages must see to answer 413; a text that long goes to jackson-core's parser, whose
     * classes are loaded only then. An empty text is the missing node, as Jackson's readTree
     * gave it.
     */
    public static JsonNode read(String text) {
        if (text.isBlank()) {
            return MissingNode.getInstance();
        }
        if (text.length() >= LONGEST_FOR_AVAJE) {
            return LongText.read(text);
        }
        try {
            return TREES.fromJson(text);
        } catch (JsonException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("Not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Texts of this length or more may hold a string avaje's parser refuses; no string is longer
     * than the text that holds it. (50,000 was assumed before: an email of 40,000 characters,
     * read back from the emulator, was refused.)
     */
    static final int LONGEST_FOR_AVAJE = 32_000;

    /** jackson-core's streaming parser, for long texts only. */
    private static final class LongText {
        private static final JsonFactory STREAMS = new JsonFactory();

        static JsonNode read(String text) {
            try (JsonParser parser = STREAMS.createParser(text)) {
                JsonToken first = parser.nextToken();
                return first == null ? MissingNode.getInstance() : node(parser, first);
            } catch (IOException e) {
                throw new IllegalArgumentException("Not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
            }
        }

        private static JsonNode node(JsonParser parser, JsonToken token) throws IOException {
            return switch (token) {
                case START_OBJECT -> {
                    ObjectNode object = NODES.objectNode();
                    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                        object.set(name, node(parser, parser.nextToken()));
                    }
                    yield object;
                }
                case START_ARRAY -> {
                    ArrayNode array = NODES.arrayNode();
                    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                        array.add(node(parser, t));
                    }
                    yield array;
                }
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                default -> throw new JsonParseException(parser, "Unexpected " + token);
            };
        }
    }

    /** A record through its generated adapter; a tree, map, list or value as JSON of its own. */
    public static String write(Object value) {
        return value instanceof JsonNode node ? TREES.toJson(node)
                : value != null && value.getClass().isRecord() ? JSONB.toJson(value)
                : TREES.toJson(tree(value));
    }

    public static void write(Object value, OutputStream out) {
        TREES.toJson(tree(value), out);
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        if (type.isInstance(node)) {
            return type.cast(node);
        }
        try {
            return JSONB.type(type).fromJson(TREES.toJson(node));
        } catch (JsonException | IllegalStateException | NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("Cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static JsonNode tree(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode node -> node;
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), tree(v)));
                yield object;
            }
            case Collection<?> list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(v -> array.add(tree(v)));
                yield array;
            }
            default -> read(JSONB.toJson(value));
        };
    }
}
