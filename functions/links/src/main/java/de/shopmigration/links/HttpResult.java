package de.shopmigration.links;

import java.util.LinkedHashMap;
import java.util.Map;

/** A page (or JSON answer) with its status; the security headers every answer carries. */
public record HttpResult(int status, Map<String, String> headers, String body) {

    /** Links are secrets: no caching, no referrer, no framing, no scripts, no foreign assets. */
    static Map<String, String> secureHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Cache-Control", "no-store");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        return h;
    }

    public static HttpResult html(int status, String body) {
        return new HttpResult(status, secureHeaders("text/html; charset=utf-8"), body);
    }

    /** An iCalendar feed (RFC 5545), shown inline so calendar clients subscribe to it. */
    public static HttpResult calendar(int status, String body) {
        return new HttpResult(status, secureHeaders("text/calendar; charset=utf-8"), body)
                .withHeader("Content-Disposition", "inline; filename=\"go-lives.ics\"");
    }

    public static HttpResult json(int status, String body) {
        return new HttpResult(status, secureHeaders("application/json"), body);
    }

    public HttpResult withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResult(status, h, body);
    }
}
