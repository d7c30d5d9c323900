package de.shopmigration.core.lambda;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Step;
import de.shopmigration.core.json.Json;

import static de.shopmigration.core.PhaseScheduleTest.berlin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The metric lines follow AWS's embedded metric format specification and carry exactly what the
 * catalogue declares: each metric named in CloudWatchMetrics has its value on the line, each
 * dimension its string value, nothing else is a dimension, and no line holds personal data.
 */
class MetricsTest {

    private static final Instant NOW = berlin("2026-11-30T10:00");
    private final List<String> written = new ArrayList<>();
    private final Metrics metrics = new Metrics("ShopMigration/test", Clock.fixed(NOW, ZoneOffset.UTC), written::add);

    /** The lines written so far, each checked against the specification and the catalogue. */
    private List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        for (String text : written) {
            assertThat(text).as("one line").doesNotContain("\n", "\r");
            JsonNode line = Json.read(text);
            assertThat(EmfLines.problems(line)).as(text).isEmpty();
            assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
            JsonNode directives = line.path("_aws").path("CloudWatchMetrics");
            assertThat(directives).hasSize(1);
            JsonNode directive = directives.get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("ShopMigration/test");
            Set<String> dimensionKeys = new LinkedHashSet<>();
            for (JsonNode m : directive.path("Metrics")) {
                Metric metric = Metric.named(m.path("Name").asText());
                assertThat(m.path("Unit").asText()).isEqualTo(metric.unit().cloudWatchName());
                assertThat(line.path(metric.metricName()).isNumber()).as(metric + " has its value").isTrue();
                assertThat(line.path(metric.metricName()).asDouble()).isGreaterThanOrEqualTo(0);
                List<List<String>> declared = metric.dimensionSets().stream()
                        .map(set -> set.stream().map(Metric.Dimension::key).toList()).toList();
                List<List<String>> onLine = new ArrayList<>();
                directive.path("Dimensions").forEach(set -> {
                    List<String> keys = new ArrayList<>();
                    set.forEach(k -> keys.add(k.asText()));
                    onLine.add(keys);
                });
                assertThat(onLine).as(metric + "'s dimension sets").isEqualTo(declared);
                metric.dimensions().forEach(d -> dimensionKeys.add(d.key()));
            }
            for (String key : dimensionKeys) {
                assertThat(line.path(key).isTextual()).as(key + " is a string").isTrue();
                assertThat(Metric.Dimension.ofKey(key).allowed()).contains(line.path(key).asText());
            }
            // Every other member is a named metric, a dimension, _aws or one of the plain properties.
            Set<String> metricNames = new LinkedHashSet<>();
            directive.path("Metrics").forEach(m -> metricNames.add(m.path("Name").asText()));
            line.fieldNames().forEachRemaining(name -> assertThat(name.equals("_aws") || metricNames.contains(name)
                    || dimensionKeys.contains(name) || Metrics.PROPERTIES.contains(name)).as(name + " on " + text).isTrue());
            out.add(line);
        }
        return out;
    }

    private static Set<String> names(JsonNode line) {
        Set<String> out = new LinkedHashSet<>();
        line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").forEach(m -> out.add(m.path("Name").asText()));
        return out;
    }

    private static MigrationRecord record(String status, int currentPhase, List<Map<String, Object>> phaseLog, Object booking) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(Map.of("migrationId", "M-2026-0042", "status", status,
                "currentPhase", currentPhase, "createdAt", berlin("2026-11-23T09:00").toString(),
                "answers", Map.of("optimisationOrdered", false), "phaseLog", phaseLog, "closedAt", NOW.toString()));
        if (booking != null) {
            fields.put("booking", booking);
        }
        return Json.convert(Json.tree(fields), MigrationRecord.class);
    }

    private static Map<String, Object> mark(int phase, String at) {
        return Map.of("phase", phase, "at", berlin(at).toString());
    }

    @Test
    void everyEventWritesValidLinesWithExactlyTheDeclaredMetricsAndDimensions() {
        metrics.migrationStarted("M-1");
        metrics.waitOpened("M-1", Step.QUESTIONNAIRE);
        metrics.waitOverdue("M-1", Step.QUESTIONNAIRE, 1, false);
        metrics.waitOverdue("M-1", Step.CLUSTER_PREPARATION, 3, true);
        metrics.waitAnswered("M-1", Step.QUESTIONNAIRE, Duration.ofMinutes(90));
        metrics.phaseOverran("M-1", Phase.TEST_RUN);
        metrics.goLiveBooked("M-1", Instant.parse("2026-12-01T08:00:00Z"));
        metrics.downtime("M-1", 1800);
        metrics.goLiveCompleted("M-1");
        metrics.linkRejected("M-1", "Expired");
        metrics.linkRejected(null, "Forged");
        metrics.emailBounced("M-1", "Permanent");
        metrics.siteWatchAlert("M-1");
        metrics.migrationEnded(record("COMPLETED", 7, List.of(mark(1, "2026-11-23T09:00"), mark(2, "2026-11-23T15:00")), null));
        metrics.migrationEnded(record("ABORTED", 2, List.of(mark(1, "2026-11-23T09:00"), mark(2, "2026-11-23T15:00")), null));

        List<JsonNode> lines = lines();
        Set<Metric> seen = EnumSet.noneOf(Metric.class);
        lines.forEach(l -> names(l).forEach(n -> seen.add(Metric.named(n))));
        assertThat(seen).as("every metric of the catalogue is written by one of these").containsExactlyInAnyOrder(Metric.values());

        {
            JsonNode l = lines.get(0);
            assertThat(names(l)).containsExactly("MigrationsStarted");
            assertThat(l.path("migrationId").asText()).isEqualTo("M-1");
            assertThat(l.path("currentPhase").asInt()).isEqualTo(1);
            assertThat(l.path("migrationState").asText()).isEqualTo("running");
        }
        {
            JsonNode l = lines.get(1);
            assertThat(l.path("Step").asText()).isEqualTo("QUESTIONNAIRE");
            assertThat(l.path("waitState").asText()).isEqualTo("open");
        }
        // An overdue wait: one line for the wait, one for the reminder (by audience) or the escalation (by step).
        assertThat(lines.subList(2, 6)).extracting(l -> names(l) + " " + l.path("Step").asText("") + l.path("Audience").asText(""))
                .containsExactly("[WaitsOverdue] QUESTIONNAIRE", "[RemindersSent] CUSTOMER", "[WaitsOverdue] CLUSTER_PREPARATION",
                        "[Escalations] CLUSTER_PREPARATION");
        {
            JsonNode l = lines.get(6);
            assertThat(names(l)).containsExactly("WaitsAnswered", "WaitTime");
            assertThat(l.path("WaitTime").asLong()).isEqualTo(5400);
            assertThat(l.path("waitState").asText()).isEqualTo("answered");
        }
        assertThat(lines.get(8).path("slotStart").asText()).isEqualTo("2026-12-01T08:00:00Z");
        assertThat(lines.get(9).path("Downtime").asLong()).isEqualTo(1800);
        assertThat(lines.get(12).has("migrationId")).as("a rejection without a migration names none").isFalse();
        {
            JsonNode l = lines.get(13);
            assertThat(l.path("Kind").asText()).isEqualTo("Permanent");
            assertThat(l.path("migrationId").asText()).isEqualTo("M-1");
        }
    }

    @Test
    void anEndedMigrationCountsOnceAndReportsEachFinishedPhaseAgainstItsPlan() {
        // Phase 1 planned 9:00-13:00, ended 15:00: two hours over. Phase 2 planned from 15:00 for 4 office hours.
        metrics.migrationEnded(record("COMPLETED", 7, List.of(mark(1, "2026-11-23T09:00"), mark(2, "2026-11-23T15:00"),
                mark(3, "2026-11-24T10:00")), null));
        List<JsonNode> lines = lines();
        assertThat(names(lines.get(0))).containsExactly("MigrationsCompleted");
        assertThat(lines.get(0).path("migrationState").asText()).isEqualTo("completed");
        Map<String, JsonNode> byPhase = lines.subList(1, lines.size()).stream()
                .collect(Collectors.toMap(l -> l.path("Phase").asText(), l -> l));
        assertThat(byPhase).containsOnlyKeys("PLANNING", "MOVING_THE_APPLICATION", "TEST_RUN");
        assertThat(byPhase.get("PLANNING").path("PhaseDuration").asLong()).isEqualTo(6 * 3600);
        assertThat(byPhase.get("PLANNING").path("PhaseOverrun").asLong()).isEqualTo(2 * 3600);
        // 15:00 + 4 office hours = 10:00 next day, exactly when phase 3 began: in time.
        assertThat(byPhase.get("MOVING_THE_APPLICATION").path("PhaseOverrun").asLong()).isZero();
        assertThat(byPhase.get("TEST_RUN").path("PhaseDuration").asLong())
                .isEqualTo(Duration.between(berlin("2026-11-24T10:00"), NOW).toSeconds());
    }

    @Test
    void anAbortedMigrationCountsWithItsPhaseAndOnlyThePhasesItFinished() {
        metrics.migrationEnded(record("ABORTED", 2, List.of(mark(1, "2026-11-23T09:00"), mark(2, "2026-11-23T15:00")), null));
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        {
            JsonNode l = lines.get(0);
            assertThat(names(l)).containsExactly("MigrationsAborted");
            assertThat(l.path("Phase").asText()).isEqualTo("MOVING_THE_APPLICATION");
            assertThat(l.path("migrationState").asText()).isEqualTo("aborted");
            assertThat(l.path("waitState").asText()).isEqualTo("none");
        }
        // Two metrics in CloudWatch: all aborts, and aborts by phase.
        assertThat(Metrics.data(lines.get(0))).extracting(d -> d.metricName() + " " + d.dimensions())
                .containsExactly("MigrationsAborted {}", "MigrationsAborted {Phase=MOVING_THE_APPLICATION}");
        assertThat(lines.get(1).path("Phase").asText()).as("the phase it stopped in has no duration").isEqualTo("PLANNING");

        written.clear();
        metrics.migrationEnded(record("ABORTED", 0, List.of(), null));
        assertThat(lines().get(0).path("Phase").asText()).as("stopped before phase 1 began").isEqualTo("NONE");
    }

    @Test
    void waitingForTheBookedSlotIsNoOverrunOfTheGoLivePreparation() {
        Map<String, Object> booking = Map.of("start", berlin("2026-12-07T09:00").toString(), "end", berlin("2026-12-07T13:00").toString(),
                "bookedAt", berlin("2026-11-24T10:00").toString(), "startGoLiveAt", berlin("2026-12-07T09:00").toString());
        metrics.migrationEnded(record("ABORTED", 6, List.of(mark(1, "2026-11-23T09:00"), mark(5, "2026-11-24T09:00"),
                mark(6, "2026-12-07T10:00")), booking));
        JsonNode preparation = lines().stream().filter(l -> "GO_LIVE_PREPARATION".equals(l.path("Phase").asText())).findFirst().orElseThrow();
        assertThat(preparation.path("PhaseOverrun").asLong()).as("an hour past the booked slot").isEqualTo(3600);
    }

    @Test
    void linesHoldNoPersonalDataFromTheRecord() {
        MigrationRecord full = Collaborators.primingRecord();
        MigrationRecord ended = Json.convert(((com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(full)).put("status", "COMPLETED")
                .put("closedAt", NOW.toString()), MigrationRecord.class);
        metrics.migrationEnded(ended);
        assertThat(written).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain("Erika", "erika@", "muster-shop", "198.51.100.20",
                "SHOPWARE", "vorschau"));
    }

    @Test
    void aLineThatDoesNotFitTheCatalogueIsAMistakeInTheCodeNotAMetric() {
        assertThatThrownBy(() -> metrics.line().count(Metric.WAITS_OPENED).emit()).as("Step missing").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> metrics.line().dimension(Metric.Dimension.STEP, "M-2026-0042"))
                .as("a migration id is no dimension value").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> metrics.line().dimension(Metric.Dimension.STEP, "QUESTIONNAIRE").count(Metric.WAITS_OPENED)
                .count(Metric.MIGRATIONS_STARTED).emit()).as("metrics with other dimensions on one line").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> metrics.line().count(Metric.MIGRATIONS_STARTED).property("email", "erika@example.de"))
                .as("only the listed properties").isInstanceOf(IllegalArgumentException.class);
        metrics.line().value(Metric.DOWNTIME, -5).emit();
        metrics.line().value(Metric.DOWNTIME, Double.NaN).emit();
        assertThat(lines()).extracting(l -> l.path("Downtime").asLong()).containsExactly(0L, 0L);
    }

    @Test
    void theCheckFindsWhatWouldKeepCloudWatchFromExtractingALine() {
        String good = """
                {"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["Step"]],"Metrics":[{"Name":"WaitsOpened","Unit":"Count"}]}]},
                 "Step":"QUESTIONNAIRE","WaitsOpened":1}""";
        assertThat(EmfLines.problems(Json.read(good))).isEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"WaitsOpened\":1", "\"WaitsOpened\":\"1\"")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"Step\":\"QUESTIONNAIRE\"", "\"Step\":3")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"Count\"", "\"Counts\"")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"Namespace\":\"N\"", "\"Namespace\":\"AWS/Lambda\"")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"Timestamp\":1,", "")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("[[\"Step\"]]", "[]")))).isNotEmpty();
        assertThat(EmfLines.problems(Json.read(good.replace("\"Unit\":\"Count\"}", "\"Unit\":\"Count\",\"Extra\":1}")))).isNotEmpty();
        StringBuilder many = new StringBuilder("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[]],\"Metrics\":[");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i <= EmfLines.MAX_METRICS; i++) {
            many.append(i > 0 ? "," : "").append("{\"Name\":\"m").append(i).append("\"}");
            values.append(",\"m").append(i).append("\":1");
        }
        many.append("]}]}").append(values).append("}");
        assertThat(EmfLines.problems(Json.read(many.toString()))).as("101 metrics").isNotEmpty();
        assertThat(EmfLines.problems(Json.read("{\"level\":\"INFO\",\"message\":\"task\"}"))).isNotEmpty();
    }

    @Test
    void theNamespaceComesFromTheDeployment() {
        assertThat(Metrics.from(new Env(Map.of(Metrics.NAMESPACE_VARIABLE, "ShopMigration/prod")), Clock.systemUTC()).namespace())
                .isEqualTo("ShopMigration/prod");
        assertThat(Metrics.from(new Env(Map.of()), Clock.systemUTC()).namespace()).isEqualTo(Metrics.DEFAULT_NAMESPACE);
    }
}
