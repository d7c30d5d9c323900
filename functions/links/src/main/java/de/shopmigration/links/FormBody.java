package de.shopmigration.links;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decodes an application/x-www-form-urlencoded body; a malformed one is a client error. */
final class FormBody {

    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private FormBody() {
    }

    static Map<String, String> parse(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return values;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                // The first value wins: a repeated field cannot override what the form showed.
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new Malformed("Malformed form encoding");
            }
        }
        return values;
    }
}
