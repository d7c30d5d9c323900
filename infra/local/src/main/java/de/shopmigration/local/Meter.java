package de.shopmigration.local;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts what the product asks of AWS on the local cloud: each Lambda invocation (with its
 * handler time), each link-page request through the HTTP API, and each AWS API call that passes
 * the Invoke front, by service and operation. The emulator's own admin reads (/moto-api/) are
 * the harness's, not the product's, and are not counted.
 */
public final class Meter {

    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    void lambda(String function, long elapsedNanos) {
        add("lambda:" + function, elapsedNanos);
    }

    void api(long elapsedNanos) {
        add("apigateway:HttpApiRequest", elapsedNanos);
        add("lambda:LinksFunction", elapsedNanos);
    }

    void aws(String method, String path, List<String> authorization, String target, byte[] body) {
        if (path.startsWith("/moto-api/")) {
            return;
        }
        String service = "unknown";
        for (String a : authorization) {
            Matcher m = SERVICE.matcher(a);
            if (m.find()) {
                service = m.group(1);
            }
        }
        String operation = operation(service, method, path, target);
        add(service + ":" + operation, 0);
        // The migration record is the one item larger than a write unit; its reads and writes are priced by its size.
        if (service.equals("dynamodb") && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"sk\":{\"S\":\"RECORD\"}")) {
            if (operation.equals("GetItem")) {
                add("dynamodb:RecordRead", 0);
            } else if (operation.equals("UpdateItem") || operation.equals("PutItem")) {
                add("dynamodb:RecordWrite", 0);
            }
        }
    }

    private static String operation(String service, String method, String path, String target) {
        if (target != null && target.contains(".")) {
            return target.substring(target.indexOf('.') + 1);
        }
        return switch (service) {
            case "ses" -> path.startsWith("/v2/email/outbound-emails") ? "SendEmail" : method + " " + path;
            case "route53" -> path.endsWith("/rrset") || path.endsWith("/rrset/") ? (method.equals("POST") ? "ChangeResourceRecordSets" : "ListResourceRecordSets")
                    : path.contains("/change/") ? "GetChange" : path.contains("/hostedzone/") ? "GetHostedZone" : method + " " + path;
            default -> method + " " + path.replaceAll("/[^/]{20,}", "/{id}");
        };
    }

    private void add(String key, long elapsedNanos) {
        calls.computeIfAbsent(key, k -> new LongAdder()).increment();
        nanos.computeIfAbsent(key, k -> new LongAdder()).add(elapsedNanos);
    }

    /** Calls per "service:operation" since the last reset, sorted. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Summed handler time per Lambda function, in milliseconds. */
    public Map<String, Double> lambdaMillis() {
        Map<String, Double> out = new TreeMap<>();
        nanos.forEach((k, v) -> {
            if (k.startsWith("lambda:")) {
                out.put(k.substring("lambda:".length()), v.sum() / 1e6);
            }
        });
        return out;
    }

    public void reset() {
        calls.clear();
        nanos.clear();
    }
}
