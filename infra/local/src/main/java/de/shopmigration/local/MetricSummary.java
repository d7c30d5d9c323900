package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.EmfLines;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Where the dashboard's figures come from, on this machine: the metric lines (CloudWatch
 * embedded metric format) the functions wrote to their output in this run, summed up as
 * CloudWatch would make metrics of them: per metric and dimensions, how many values and their
 * sum, smallest and largest. Fed with the local cloud's log lines; the sandbox prints it at
 * Ctrl-C and the inbox page shows it.
 */
final class MetricSummary implements Consumer<String> {

    /** One metric as CloudWatch keys it, with what its values add up to so far. */
    record Row(String namespace, String metric, String unit, String dimensions, long count, double sum, double min, double max) {
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private long lines;
    private long invalid;

    /** A log line of the local cloud: {@code [function] {...}}; only metric lines count. */
    @Override
    public synchronized void accept(String logLine) {
        int json = logLine.indexOf("] {");
        if (!logLine.startsWith("[") || json < 0 || !logLine.contains("\"_aws\"")) {
            return;
        }
        JsonNode line;
        try {
            line = Json.read(logLine.substring(json + 2));
        } catch (RuntimeException notJson) {
            invalid++;
            return;
        }
        lines++;
        if (!EmfLines.problems(line).isEmpty()) {
            invalid++;
            return;
        }
        for (Metrics.Datum d : Metrics.data(line)) {
            String dims = d.dimensions().isEmpty() ? "" : d.dimensions().toString().replaceAll("[{}]", "");
            String key = d.namespace() + "|" + d.metricName() + "|" + dims;
            Row r = rows.get(key);
            rows.put(key, r == null ? new Row(d.namespace(), d.metricName(), d.unit(), dims, 1, d.value(), d.value(), d.value())
                    : new Row(r.namespace(), r.metric(), r.unit(), dims, r.count() + 1, r.sum() + d.value(),
                            Math.min(r.min(), d.value()), Math.max(r.max(), d.value())));
        }
    }

    synchronized List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** For the console: one line per metric and dimensions. */
    synchronized String text() {
        StringBuilder out = new StringBuilder("Metric lines of this run (CloudWatch embedded metric format on the functions' output; in AWS "
                + "CloudWatch makes these metrics of them, which the dashboard shows): " + lines + " line(s)"
                + (invalid > 0 ? ", " + invalid + " NOT VALID" : "") + "\n");
        if (rows.isEmpty()) {
            return out.append("  (none yet)\n").toString();
        }
        String namespace = "";
        for (Row r : rows.values()) {
            if (!r.namespace().equals(namespace)) {
                namespace = r.namespace();
                out.append("  namespace ").append(namespace).append('\n');
                out.append(String.format("    %-20s %-38s %6s %12s %10s %10s%n", "metric", "dimensions", "count", "sum", "min", "max"));
            }
            out.append(String.format("    %-20s %-38s %6d %12s %10s %10s %s%n", r.metric(), r.dimensions().isEmpty() ? "-" : r.dimensions(),
                    r.count(), number(r.sum()), number(r.min()), number(r.max()), r.unit()));
        }
        return out.toString();
    }

    /** For the inbox page: a table (the caller escapes nothing; every cell is escaped here). */
    synchronized String html() {
        StringBuilder out = new StringBuilder("<p>").append(lines).append(" metric line(s) in this run")
                .append(invalid > 0 ? ", <strong>" + invalid + " not valid</strong>" : "").append(". Each is one JSON line on a function's "
                        + "output in CloudWatch's embedded metric format; in AWS CloudWatch Logs makes metrics of them (no API call), and "
                        + "the dashboard (template.yaml, <code>MigrationDashboard</code>) shows these metrics and queries the same lines.</p>")
                .append("<table><tr><th>Metric</th><th>Dimensions</th><th>Count</th><th>Sum</th><th>Min</th><th>Max</th><th>Unit</th></tr>");
        for (Row r : rows.values()) {
            out.append("<tr><td>").append(Inbox.esc(r.metric())).append("</td><td>").append(Inbox.esc(r.dimensions()))
                    .append("</td><td>").append(r.count()).append("</td><td>").append(number(r.sum())).append("</td><td>")
                    .append(number(r.min())).append("</td><td>").append(number(r.max())).append("</td><td>").append(Inbox.esc(r.unit()))
                    .append("</td></tr>\n");
        }
        return out.append("</table>").toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.2f", v);
    }
}
