package de.shopmigration.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.avaje.json.JsonAdapter;
import io.avaje.json.JsonReader;
import io.avaje.json.JsonWriter;
import io.avaje.jsonb.CustomAdapter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Jackson's tree read from and written to avaje's streams: {@link Json} reads and writes every
 * tree through it (a text of 50,000 characters or more excepted), and the generated adapters
 * find it for records with a free-form field (the customer's answers).
 */
@CustomAdapter
public final class JsonTreeAdapter implements JsonAdapter<JsonNode> {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public JsonNode fromJson(JsonReader reader) {
        return switch (reader.currentToken()) {
            case BEGIN_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                reader.beginObject();
                while (reader.hasNextField()) {
                    String name = reader.nextField();
                    object.set(name, fromJson(reader));
                }
                reader.endObject();
                yield object;
            }
            case BEGIN_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                reader.beginArray();
                while (reader.hasNextElement()) {
                    array.add(fromJson(reader));
                }
                reader.endArray();
                yield array;
            }
            case STRING -> NODES.textNode(reader.readString());
            case NUMBER -> number(reader.readDecimal());
            case BOOLEAN -> NODES.booleanNode(reader.readBoolean());
            case NULL -> {
                reader.isNullValue();
                yield NODES.nullNode();
            }
        };
    }

    /** Whole numbers as int or long nodes and fractions as doubles, as Jackson reads them. */
    private static JsonNode number(BigDecimal n) {
        if (n.scale() > 0) {
            return NODES.numberNode(n.doubleValue());
        }
        BigInteger whole = n.toBigIntegerExact();
        if (whole.bitLength() < 32) {
            return NODES.numberNode(whole.intValue());
        }
        return whole.bitLength() < 64 ? NODES.numberNode(whole.longValue()) : NODES.numberNode(whole);
    }

    @Override
    public void toJson(JsonWriter writer, JsonNode node) {
        if (node == null) {
            writer.nullValue();
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                writer.beginObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    writer.name(field.getKey());
                    toJson(writer, field.getValue());
                }
                writer.endObject();
            }
            case ARRAY -> {
                writer.beginArray();
                for (JsonNode element : node) {
                    toJson(writer, element);
                }
                writer.endArray();
            }
            case STRING -> writer.value(node.textValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    if (node.canConvertToLong()) {
                        writer.value(node.longValue());
                    } else {
                        writer.value(node.bigIntegerValue());
                    }
                } else if (node.isBigDecimal()) {
                    writer.value(node.decimalValue());
                } else {
                    writer.value(node.doubleValue());
                }
            }
            case BOOLEAN -> writer.value(node.booleanValue());
            case NULL, MISSING -> writer.nullValue();
            case BINARY, POJO -> throw new IllegalArgumentException("Not a JSON value: " + node.getNodeType());
        }
    }
}
