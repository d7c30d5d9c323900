package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.EmfLines;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Metric;
import de.shopmigration.core.lambda.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The metric lines the functions write to standard output on the emulator, read back from the
 * functions' output as Lambda would send it to CloudWatch Logs: a migration runs part-way
 * (questionnaire reminded, escalated and answered, a forged link, a console stop), and each
 * event is one valid EMF line with the catalogue's metric and dimensions, written by the
 * function the catalogue names, once, without personal data or tokens. The dashboard's "now"
 * tables, evaluated over these lines, show the migration where it is.
 */
class MetricLinesTest extends CloudTest {

    private static final String TIMING = """
            {"customerReminderSeconds": 2, "maxReminders": 1, "staffReminderSeconds": 600, "dnsPollSeconds": 1,
             "quietFromHour": 0, "quietToHour": 0}""";

    /** A metric line as the harness received it: the function that wrote it and the line. */
    private record Emitted(String function, JsonNode line) {
        String metrics() {
            List<String> names = new ArrayList<>();
            line.path("_aws").path("CloudWatchMetrics").forEach(d -> d.path("Metrics").forEach(m -> names.add(m.path("Name").asText())));
            return String.join(",", names);
        }

        String dimension(String key) {
            return line.path(key).asText(null);
        }
    }

    /** Every metric line the functions wrote so far (of every test: each line is checked, not only this migration's). */
    private List<Emitted> emitted() {
        List<String> all;
        synchronized (shared.log) {
            all = new ArrayList<>(shared.log);
        }
        List<Emitted> out = new ArrayList<>();
        for (String raw : all) {
            int json = raw.indexOf("] {");
            if (raw.startsWith("[") && json > 0 && raw.contains("\"_aws\"")) {
                out.add(new Emitted(raw.substring(1, json), Json.read(raw.substring(json + 2))));
            }
        }
        return out;
    }

    private List<Emitted> of(String id) {
        return emitted().stream().filter(e -> id.equals(e.line().path("migrationId").asText())).toList();
    }

    /** The line is written just after the email that goes with it: waits for it. */
    private List<Emitted> awaitLines(String id, Predicate<List<Emitted>> ready, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        List<Emitted> lines = of(id);
        while (!ready.test(lines) && System.currentTimeMillis() < until) {
            Thread.sleep(200);
            lines = of(id);
        }
        assertThat(ready.test(lines)).as(what + " in " + lines).isTrue();
        return lines;
    }

    private static Predicate<List<Emitted>> has(String metric, String key, String value) {
        return lines -> lines.stream().anyMatch(e -> e.metrics().contains(metric) && (key == null || value.equals(e.dimension(key))));
    }

    private static long count(List<Emitted> lines, String metric, String key, String value) {
        return lines.stream().filter(e -> List.of(e.metrics().split(",")).contains(metric)
                && (key == null || value.equals(e.dimension(key)))).count();
    }

    /**
     * The dashboard's "now" tables over these lines, as Logs Insights computes them: per migration,
     * the latest line that carries the field (the log's order is the order the lines were written).
     */
    private static Map<String, String> latest(List<Emitted> lines, String... fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Emitted e : lines) {
            if (e.line().has(fields[0])) {
                for (String f : fields) {
                    out.put(f, e.line().path(f).asText());
                }
            }
        }
        return out;
    }

    @Test
    void aMigrationPartWayLeavesOneValidMetricLinePerEventWithTheCataloguesDimensions() throws Exception {
        String id = "M-METRICS-1";
        String arn = cloud.startMigration(id, input("metrics", TIMING, null));
        Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
        cloud.mailbox().await(id, "QUESTIONNAIRE_REMINDER", WAIT);
        cloud.mailbox().await(id, "QUESTIONNAIRE_ESCALATION", WAIT);
        List<Emitted> overdue = awaitLines(id, has("Escalations", "Step", "QUESTIONNAIRE"), "the escalation");
        // What the dashboard says now: running in phase 1, the questionnaire overdue after one reminder and an escalation.
        assertThat(latest(overdue, "currentPhase", "migrationState")).containsEntry("currentPhase", "1").containsEntry("migrationState", "running");
        assertThat(latest(overdue, "waitState", "Step", "nudges"))
                .containsEntry("waitState", "overdue").containsEntry("Step", "QUESTIONNAIRE").containsEntry("nudges", "2");

        answerQuestionnaire(questionnaire, Map.of("notes", "Geheime Notiz 4711"));
        Mailbox.Mail cluster = walk.await(id, "CLUSTER_PREPARATION");
        String link = cluster.link("Cluster ist vorbereitet");
        String forged = link.substring(0, link.length() - 1) + (link.endsWith("A") ? "B" : "A");
        assertThat(browser.get(forged).status()).isEqualTo(403);
        List<Emitted> waiting = awaitLines(id, has("WaitsOpened", "Step", "CLUSTER_PREPARATION").and(has("LinksRejected", "Reason", "Forged")),
                "the cluster wait and the forged link");
        assertThat(latest(waiting, "currentPhase", "migrationState")).containsEntry("currentPhase", "2");
        assertThat(latest(waiting, "waitState", "Step")).containsEntry("waitState", "open").containsEntry("Step", "CLUSTER_PREPARATION");

        try (var sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(arn).cause("test"));
        }
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        List<Emitted> lines = awaitLines(id, has("MigrationsAborted", null, null), "the abort");

        // Each line is a valid EMF document in the deployment's namespace, written by the function the catalogue names.
        for (Emitted e : lines) {
            assertThat(EmfLines.problems(e.line())).as(e.line().toString()).isEmpty();
            JsonNode directive = e.line().path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("ShopMigration/" + LocalCloud.STACK);
            for (JsonNode m : directive.path("Metrics")) {
                Metric metric = Metric.named(m.path("Name").asText());
                assertThat(metric.emittedBy()).as(metric + " written by " + e.function()).contains(cloud.functions().logicalId(e.function()));
                metric.dimensions().forEach(d -> assertThat(d.allowed()).contains(e.line().path(d.key()).asText()));
            }
            e.line().fieldNames().forEachRemaining(f -> assertThat(f.equals("_aws") || Metrics.PROPERTIES.contains(f)
                    || e.metrics().contains(f) || e.line().path(f).isTextual() && isDimensionKey(f)).as(f).isTrue());
        }
        // One line per event, with the dimensions that say where it happened.
        assertThat(count(lines, "MigrationsStarted", null, null)).isEqualTo(1);
        assertThat(count(lines, "WaitsOpened", "Step", "QUESTIONNAIRE")).as("re-entries after the reminders open nothing").isEqualTo(1);
        assertThat(count(lines, "WaitsOverdue", "Step", "QUESTIONNAIRE")).isEqualTo(2);
        assertThat(count(lines, "RemindersSent", "Audience", "CUSTOMER")).isEqualTo(1);
        assertThat(count(lines, "Escalations", "Step", "QUESTIONNAIRE")).isEqualTo(1);
        assertThat(count(lines, "WaitsAnswered", "Step", "QUESTIONNAIRE")).isEqualTo(1);
        assertThat(lines).filteredOn(e -> e.metrics().equals("WaitsAnswered,WaitTime"))
                .singleElement().satisfies(e -> assertThat(e.line().path("WaitTime").asLong()).isGreaterThanOrEqualTo(2));
        assertThat(count(lines, "WaitsOpened", "Step", "CLUSTER_PREPARATION")).isEqualTo(1);
        assertThat(count(lines, "LinksRejected", "Reason", "Forged")).isEqualTo(1);
        assertThat(count(lines, "MigrationsAborted", "Phase", "MOVING_THE_APPLICATION")).isEqualTo(1);
        assertThat(lines).filteredOn(e -> e.metrics().equals("PhaseDuration,PhaseOverrun"))
                .extracting(e -> e.dimension("Phase")).as("the phase it finished; not the one it stopped in").containsExactly("PLANNING");
        // CloudWatch makes two metrics of the abort: all aborts, and aborts by phase.
        assertThat(lines).filteredOn(e -> e.metrics().equals("MigrationsAborted")).singleElement()
                .satisfies(e -> assertThat(Metrics.data(e.line())).extracting(d -> d.metricName() + " " + d.dimensions())
                        .containsExactly("MigrationsAborted {}", "MigrationsAborted {Phase=MOVING_THE_APPLICATION}"));
        assertThat(latest(lines, "currentPhase", "migrationState")).containsEntry("migrationState", "aborted");
        assertThat(latest(lines, "waitState")).as("nothing overdue or open once it ended").containsEntry("waitState", "none");

        // Nothing personal, no link, no token: only ids, phases, steps, counts and durations.
        String token = link.substring(link.lastIndexOf('/') + 1);
        String linkId = token.substring(0, token.indexOf('.'));
        assertThat(lines).allSatisfy(e -> assertThat(e.line().toString()).doesNotContain(linkId, token, "taskToken", "Geheime Notiz",
                "erika@", "Erika", "Muster", SharedCloud.domain("metrics"), SharedCloud.OLD_IP, "198.51.100."));
        // Every metric line of the run so far, this test's or another's, is valid and in the catalogue.
        assertThat(emitted()).allSatisfy(e -> assertThat(EmfLines.problems(e.line())).as(e.line().toString()).isEmpty());
    }

    private static boolean isDimensionKey(String key) {
        for (Metric.Dimension d : Metric.Dimension.values()) {
            if (d.key().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
