package de.shopmigration.core.store;

import de.shopmigration.core.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts between JSON trees and DynamoDB attribute values, so records are stored as native
 * maps and lists that staff can read in the DynamoDB console, without a reflective mapper.
 */
public final class AttributeValues {

    private AttributeValues() {
    }

    public static AttributeValue of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return AttributeValue.fromNul(true);
        }
        if (node.isObject()) {
            Map<String, AttributeValue> map = new LinkedHashMap<>();
            // Absent, not NULL: a later if_not_exists(field) must see a missing value as missing.
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), of(e.getValue()));
                }
            });
            return AttributeValue.fromM(map);
        }
        if (node.isArray()) {
            List<AttributeValue> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(of(n)));
            return AttributeValue.fromL(list);
        }
        if (node.isBoolean()) {
            return AttributeValue.fromBool(node.asBoolean());
        }
        if (node.isNumber()) {
            return AttributeValue.fromN(node.decimalValue().toPlainString());
        }
        return AttributeValue.fromS(node.asText());
    }

    public static AttributeValue of(Object value) {
        return of(Json.tree(value));
    }

    public static Map<String, AttributeValue> item(ObjectNode node) {
        return of(node).m();
    }

    public static JsonNode json(AttributeValue value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null || Boolean.TRUE.equals(value.nul())) {
            return f.nullNode();
        }
        if (value.s() != null) {
            return f.textNode(value.s());
        }
        if (value.n() != null) {
            BigDecimal n = new BigDecimal(value.n());
            return n.scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? f.numberNode(n.longValueExact()) : f.numberNode(n);
        }
        if (value.bool() != null) {
            return f.booleanNode(value.bool());
        }
        if (value.hasM()) {
            return json(value.m());
        }
        if (value.hasL()) {
            ArrayNode array = f.arrayNode();
            value.l().forEach(v -> array.add(json(v)));
            return array;
        }
        if (value.hasSs()) {
            ArrayNode array = f.arrayNode();
            value.ss().forEach(array::add);
            return array;
        }
        return f.nullNode();
    }

    public static ObjectNode json(Map<String, AttributeValue> item) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        item.forEach((k, v) -> node.set(k, json(v)));
        return node;
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
