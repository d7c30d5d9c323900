package de.shopmigration.sitecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** The baseline's pages as the store keeps them (JSON), and back. */
final class Baseline {

    private Baseline() {
    }

    static String write(List<Page> pages) {
        ArrayNode list = Json.array();
        for (Page p : pages) {
            ObjectNode o = list.addObject();
            o.put("url", p.url()).put("status", p.status()).put("location", p.location()).put("contentType", p.contentType())
                    .put("title", p.title()).put("bytes", p.bytes()).put("markerFound", p.markerFound()).put("millis", p.millis())
                    .put("error", p.error());
        }
        return Json.write(list);
    }

    static List<Page> read(String json) {
        List<Page> pages = new ArrayList<>();
        for (JsonNode o : Json.read(json)) {
            pages.add(new Page(o.path("url").asText(), o.path("status").asInt(), text(o, "location"), text(o, "contentType"),
                    text(o, "title"), o.path("bytes").asLong(), o.path("markerFound").asBoolean(), o.path("millis").asLong(), text(o, "error")));
        }
        return pages;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
