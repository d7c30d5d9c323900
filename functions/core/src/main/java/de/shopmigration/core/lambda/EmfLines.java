package de.shopmigration.core.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * AWS's "Specification: Embedded metric format", as a check of one parsed line: what a line
 * must have for CloudWatch Logs to extract its metrics. Used by the tests and by the sandbox's
 * summary; the functions only write lines ({@link Metrics}).
 */
public final class EmfLines {

    /** MetricDirective: at most 100 metric definitions; a DimensionSet: at most 30 keys. */
    public static final int MAX_METRICS = 100;
    public static final int MAX_DIMENSIONS = 30;
    /** A numeric array target: at most 100 values. */
    public static final int MAX_VALUES = 100;
    /** The units a MetricDefinition may name (CloudWatch's MetricDatum units). */
    public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
            "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    private EmfLines() {
    }

    /** Whether the line claims to be an EMF document (it has the {@code _aws} member). */
    public static boolean isEmf(JsonNode line) {
        return line != null && line.isObject() && line.has("_aws");
    }

    /** What makes the line an invalid EMF document; empty when CloudWatch would extract it. */
    public static List<String> problems(JsonNode line) {
        List<String> p = new ArrayList<>();
        if (!isEmf(line)) {
            p.add("not a JSON object with an _aws member");
            return p;
        }
        JsonNode aws = line.get("_aws");
        if (!aws.isObject()) {
            p.add("_aws is not an object");
            return p;
        }
        only(aws, Set.of("Timestamp", "CloudWatchMetrics"), "_aws", p);
        if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() <= 0) {
            p.add("_aws.Timestamp is not milliseconds since the epoch");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            p.add("_aws.CloudWatchMetrics is not a non-empty array");
            return p;
        }
        for (JsonNode d : directives) {
            directive(line, d, p);
        }
        return p;
    }

    private static void directive(JsonNode line, JsonNode d, List<String> p) {
        if (!d.isObject()) {
            p.add("a MetricDirective is not an object");
            return;
        }
        only(d, Set.of("Namespace", "Dimensions", "Metrics"), "MetricDirective", p);
        String namespace = d.path("Namespace").asText("");
        if (!d.path("Namespace").isTextual() || namespace.isEmpty() || namespace.length() > 255 || namespace.startsWith("AWS/")) {
            p.add("Namespace " + d.path("Namespace") + " is not 1 to 255 characters outside AWS/");
        }
        JsonNode sets = d.path("Dimensions");
        if (!sets.isArray() || sets.isEmpty()) {
            p.add("Dimensions is not an array of DimensionSets");
        } else {
            for (JsonNode set : sets) {
                if (!set.isArray() || set.size() > MAX_DIMENSIONS) {
                    p.add("a DimensionSet is not an array of at most " + MAX_DIMENSIONS + " keys: " + set);
                    continue;
                }
                for (JsonNode key : set) {
                    JsonNode target = line.path(key.asText());
                    if (!key.isTextual() || key.asText().isEmpty() || key.asText().length() > 255) {
                        p.add("dimension key " + key + " is not 1 to 255 characters");
                    } else if (!target.isTextual() || target.asText().isEmpty() || target.asText().length() > 1024) {
                        p.add("dimension " + key.asText() + " has no string value of 1 to 1024 characters on the root");
                    }
                }
            }
        }
        JsonNode metrics = d.path("Metrics");
        if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            p.add("Metrics is not an array of 1 to " + MAX_METRICS + " MetricDefinitions");
            return;
        }
        for (JsonNode m : metrics) {
            only(m, Set.of("Name", "Unit", "StorageResolution"), "MetricDefinition", p);
            String name = m.path("Name").asText("");
            if (!m.path("Name").isTextual() || name.isEmpty() || name.length() > 255) {
                p.add("a MetricDefinition has no Name of 1 to 255 characters");
                continue;
            }
            if (m.has("Unit") && !UNITS.contains(m.path("Unit").asText())) {
                p.add(name + ": unit " + m.path("Unit") + " is no CloudWatch unit");
            }
            JsonNode value = line.path(name);
            boolean number = value.isNumber() && Double.isFinite(value.asDouble());
            boolean numbers = value.isArray() && !value.isEmpty() && value.size() <= MAX_VALUES;
            if (numbers) {
                for (JsonNode v : value) {
                    numbers &= v.isNumber() && Double.isFinite(v.asDouble());
                }
            }
            if (!number && !numbers) {
                p.add(name + " has no numeric value (or array of at most " + MAX_VALUES + ") on the root");
            }
        }
    }

    private static void only(JsonNode object, Set<String> allowed, String what, List<String> p) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                p.add(what + " has the member " + name + ", which the specification does not define");
            }
        }
    }
}
