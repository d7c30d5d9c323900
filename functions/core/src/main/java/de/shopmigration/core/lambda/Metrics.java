package de.shopmigration.core.lambda;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Phase;
import de.shopmigration.core.PhaseSchedule;
import de.shopmigration.core.Step;
import de.shopmigration.core.json.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines: one JSON object per line on standard
 * output, which Lambda sends to the function's log group and CloudWatch Logs turns into metrics
 * of the catalogue ({@link Metric}) in the namespace {@code METRICS_NAMESPACE}. No CloudWatch
 * call, no client, nothing at init.
 *
 * <p>Standard output, not the {@code LambdaLogger}: with the log format JSON the Java runtime
 * puts a logger's text into the {@code message} member of a JSON object of its own, and an EMF
 * document nested in a string is not extracted; a JSON line on standard output is kept as it is.
 *
 * <p>Besides the metric values and their dimensions a line carries plain properties that no
 * metric is made of and that Logs Insights queries (the dashboard's "now" views): the migration
 * id, the phase it is in and whether it runs ({@code currentPhase}, {@code migrationState}),
 * and what a wait line says about its wait ({@code waitState}). Never an address, a name, a
 * link, a token or typed text.
 */
public final class Metrics {

    /** The environment variable with the namespace (template.yaml: ShopMigration/&lt;stack&gt;). */
    public static final String NAMESPACE_VARIABLE = "METRICS_NAMESPACE";
    /** The namespace where the environment names none (unit tests, a bare local run). */
    public static final String DEFAULT_NAMESPACE = "ShopMigration";

    /** What {@code migrationState} says. */
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String ABORTED = "aborted";

    /**
     * The plain properties a line may carry besides metrics and dimensions, for Logs Insights:
     * nothing else, so nothing personal can slip onto a line.
     */
    public static final java.util.Set<String> PROPERTIES = java.util.Set.of("migrationId", "currentPhase", "migrationState",
            "waitState", "nudges", "slotStart");

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> out;

    /** @param out receives each line (no line break); in Lambda, standard output */
    public Metrics(String namespace, Clock clock, Consumer<String> out) {
        this.namespace = Objects.requireNonNull(namespace);
        this.clock = clock;
        this.out = out;
    }

    /** Lines to standard output (read when a line is written, as the local cloud routes it per invocation). */
    public static Metrics from(Env env, Clock clock) {
        return new Metrics(env.optional(NAMESPACE_VARIABLE).orElse(DEFAULT_NAMESPACE), clock, line -> System.out.println(line));
    }

    public String namespace() {
        return namespace;
    }

    public Line line() {
        return new Line();
    }

    // ---- The events of a migration, one method each (the catalogue says who calls which). ----

    /** The intake opened the record; phase 1 begins at once. */
    public void migrationStarted(String migrationId) {
        line().migration(migrationId, 1, RUNNING).count(Metric.MIGRATIONS_STARTED).emit();
    }

    /** A wait opened for the first time (not a re-entry after a reminder). */
    public void waitOpened(String migrationId, Step step) {
        line().migration(migrationId, step.phase().number(), RUNNING).dimension(Metric.Dimension.STEP, step.name())
                .count(Metric.WAITS_OPENED).property("waitState", "open").emit();
    }

    /**
     * A wait timed out unanswered and its reminder or escalation went out: the wait is overdue,
     * and the reminder (to its audience) or the escalation counts.
     */
    public void waitOverdue(String migrationId, Step step, int nudges, boolean escalated) {
        line().migration(migrationId, step.phase().number(), RUNNING).dimension(Metric.Dimension.STEP, step.name())
                .count(Metric.WAITS_OVERDUE).property("waitState", "overdue").property("nudges", nudges).emit();
        if (escalated) {
            line().migration(migrationId, step.phase().number(), RUNNING).dimension(Metric.Dimension.STEP, step.name())
                    .count(Metric.ESCALATIONS).emit();
        } else {
            line().migration(migrationId, step.phase().number(), RUNNING).dimension(Metric.Dimension.AUDIENCE, step.audience().name())
                    .count(Metric.REMINDERS_SENT).emit();
        }
    }

    /** Someone answered a wait; {@code waited} from its opening. */
    public void waitAnswered(String migrationId, Step step, Duration waited) {
        line().migration(migrationId, step.phase().number(), RUNNING).dimension(Metric.Dimension.STEP, step.name())
                .count(Metric.WAITS_ANSWERED).value(Metric.WAIT_TIME, seconds(waited)).property("waitState", "answered").emit();
    }

    /** Staff were told that a phase runs past its planned end. */
    public void phaseOverran(String migrationId, Phase phase) {
        line().migration(migrationId, phase.number(), RUNNING).dimension(Metric.Dimension.PHASE, phase.name())
                .count(Metric.PHASES_OVERRUN).emit();
    }

    /** A go-live slot was booked (or rebooked): when it starts is a property, not a dimension. */
    public void goLiveBooked(String migrationId, Instant slotStart) {
        line().migration(migrationId, Phase.GO_LIVE_PREPARATION.number(), RUNNING).count(Metric.GO_LIVES_BOOKED)
                .property("slotStart", slotStart.toString()).emit();
    }

    /** The customer was told the shop is live; the close-out (phase 7) begins. */
    public void goLiveCompleted(String migrationId) {
        line().migration(migrationId, Phase.CLOSE_OUT.number(), RUNNING).count(Metric.GO_LIVES_COMPLETED).emit();
    }

    /** The watch after the go-live alerted staff: the shop failed twice in a row. */
    public void siteWatchAlert(String migrationId) {
        line().migration(migrationId, Phase.CLOSE_OUT.number(), RUNNING).count(Metric.SITE_WATCH_ALERTS).emit();
    }

    /** One go-live's downtime, measured once. */
    public void downtime(String migrationId, long seconds) {
        line().migration(migrationId, Phase.GO_LIVE.number(), RUNNING).value(Metric.DOWNTIME, Math.max(0, seconds)).emit();
    }

    /**
     * A link page or callback refused a request.
     *
     * @param migrationId null unless the migration exists (an invented id never reaches a line)
     * @param reason      one of {@link Metric.Dimension#REASON}'s values
     */
    public void linkRejected(String migrationId, String reason) {
        Line line = line().dimension(Metric.Dimension.REASON, reason).count(Metric.LINKS_REJECTED);
        if (migrationId != null) {
            line.property("migrationId", migrationId);
        }
        line.emit();
    }

    /**
     * For the bounce handler: SES reported a bounce or complaint for an email of this migration.
     *
     * @param kind the SES bounce type ({@code Permanent}, {@code Transient}, {@code Undetermined}) or {@code Complaint}
     */
    public void emailBounced(String migrationId, String kind) {
        line().dimension(Metric.Dimension.KIND, kind).count(Metric.EMAILS_BOUNCED).property("migrationId", migrationId).emit();
    }

    /**
     * The migration ended: completed (the close-out summary went out) or aborted (the cleanup
     * marked the record). One line for the end and, for each phase it finished, one with the
     * phase's duration and how far it ran past its plan.
     */
    public void migrationEnded(MigrationRecord record) {
        Instant now = clock.instant();
        boolean completed = MigrationRecord.COMPLETED.equals(record.status());
        int current = record.currentPhase() == null ? 0 : record.currentPhase();
        String state = completed ? COMPLETED : ABORTED;
        Line end = line().migration(record.migrationId(), current, state).property("waitState", "none");
        if (completed) {
            end.count(Metric.MIGRATIONS_COMPLETED);
        } else {
            end.dimension(Metric.Dimension.PHASE, phaseName(current)).count(Metric.MIGRATIONS_ABORTED);
        }
        end.emit();
        for (PhaseSchedule.Row row : PhaseSchedule.of(record, now)) {
            if (row.state() != PhaseSchedule.State.DONE || row.actualStart() == null || row.actualEnd() == null) {
                continue;
            }
            Instant plannedEnd = row.plannedEnd();
            if (row.phase() == Phase.GO_LIVE_PREPARATION && record.booking() != null && record.booking().start().isAfter(plannedEnd)) {
                // Waiting for the booked slot is part of the plan, not an overrun.
                plannedEnd = record.booking().start();
            }
            line().migration(record.migrationId(), current, state).dimension(Metric.Dimension.PHASE, row.phase().name())
                    .value(Metric.PHASE_DURATION, seconds(Duration.between(row.actualStart(), row.actualEnd())))
                    .value(Metric.PHASE_OVERRUN, seconds(Duration.between(plannedEnd, row.actualEnd())))
                    .emit();
        }
    }

    /** The Phase dimension's value for a phase number (NONE before phase 1). */
    static String phaseName(int number) {
        return number >= 1 && number <= Phase.values().length ? Phase.ofNumber(number).name() : "NONE";
    }

    private static long seconds(Duration d) {
        return Math.max(0, d.toSeconds());
    }

    /**
     * One line: metrics that share their dimension sets, their dimensions' values and plain
     * properties. A metric with dimensions the line does not give, or a value outside a
     * dimension's list, is a mistake in the code and throws; the values themselves are never
     * negative here (durations are cut at 0).
     */
    public final class Line {
        private final Map<Metric, Double> values = new LinkedHashMap<>();
        private final Map<Metric.Dimension, String> dimensions = new LinkedHashMap<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Line() {
        }

        /** The migration the line is about, the phase it is in now and whether it runs. */
        public Line migration(String migrationId, int currentPhase, String migrationState) {
            properties.put("migrationId", migrationId);
            properties.put("currentPhase", currentPhase);
            properties.put("migrationState", migrationState);
            return this;
        }

        public Line dimension(Metric.Dimension dimension, String value) {
            if (!dimension.allowed().contains(value)) {
                throw new IllegalArgumentException(dimension.key() + " cannot be " + value + " (only " + dimension.allowed() + ")");
            }
            dimensions.put(dimension, value);
            return this;
        }

        public Line count(Metric metric) {
            return value(metric, 1);
        }

        public Line value(Metric metric, double value) {
            values.put(metric, Double.isFinite(value) && value > 0 ? value : 0);
            return this;
        }

        public Line property(String name, Object value) {
            if (!PROPERTIES.contains(name)) {
                throw new IllegalArgumentException(name + " is none of the line properties " + PROPERTIES);
            }
            properties.put(name, value);
            return this;
        }

        /** The line as JSON, checked against the catalogue. */
        public ObjectNode json() {
            if (values.isEmpty()) {
                throw new IllegalStateException("A metric line needs a metric");
            }
            List<List<Metric.Dimension>> sets = values.keySet().iterator().next().dimensionSets();
            for (Metric m : values.keySet()) {
                if (!m.dimensionSets().equals(sets)) {
                    throw new IllegalStateException(m.metricName() + " has other dimensions than the line's other metrics");
                }
                if (!m.dimensions().equals(dimensions.keySet())) {
                    throw new IllegalStateException(m.metricName() + " needs the dimensions " + m.dimensions() + ", the line has "
                            + dimensions.keySet());
                }
            }
            ObjectNode line = Json.object();
            ObjectNode directive = Json.object().put("Namespace", namespace);
            ArrayNode dimensionSets = directive.putArray("Dimensions");
            for (List<Metric.Dimension> set : sets) {
                ArrayNode keys = dimensionSets.addArray();
                set.forEach(d -> keys.add(d.key()));
            }
            ArrayNode metrics = directive.putArray("Metrics");
            values.keySet().forEach(m -> metrics.addObject().put("Name", m.metricName()).put("Unit", m.unit().cloudWatchName()));
            ObjectNode aws = line.putObject("_aws").put("Timestamp", clock.millis());
            aws.putArray("CloudWatchMetrics").add(directive);
            dimensions.forEach((d, v) -> line.put(d.key(), v));
            values.forEach((m, v) -> {
                if (v == Math.rint(v)) {
                    line.put(m.metricName(), v.longValue());
                } else {
                    line.put(m.metricName(), v);
                }
            });
            properties.forEach((name, value) -> {
                if (value instanceof Number n) {
                    line.put(name, n.longValue());
                } else {
                    line.put(name, String.valueOf(value));
                }
            });
            return line;
        }

        /** Writes the line. */
        public void emit() {
            out.accept(Json.write(json()));
        }
    }

    /** The metrics of one line, as CloudWatch would extract them (for the sandbox and the tests). */
    public record Datum(String namespace, String metricName, String unit, Map<String, String> dimensions, double value) {
    }

    /**
     * What CloudWatch would extract from a line: one datum per metric and dimension set. Empty
     * for a line that is not an EMF document; {@link EmfLines#problems} says why a line that
     * claims to be one is not valid.
     */
    public static List<Datum> data(com.fasterxml.jackson.databind.JsonNode line) {
        List<Datum> out = new ArrayList<>();
        if (!EmfLines.problems(line).isEmpty()) {
            return out;
        }
        for (com.fasterxml.jackson.databind.JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
            for (com.fasterxml.jackson.databind.JsonNode set : directive.path("Dimensions")) {
                Map<String, String> dims = new LinkedHashMap<>();
                set.forEach(k -> dims.put(k.asText(), line.path(k.asText()).asText()));
                for (com.fasterxml.jackson.databind.JsonNode m : directive.path("Metrics")) {
                    com.fasterxml.jackson.databind.JsonNode v = line.path(m.path("Name").asText());
                    List<Double> numbers = new ArrayList<>();
                    if (v.isArray()) {
                        v.forEach(n -> numbers.add(n.asDouble()));
                    } else {
                        numbers.add(v.asDouble());
                    }
                    for (double n : numbers) {
                        out.add(new Datum(directive.path("Namespace").asText(), m.path("Name").asText(), m.path("Unit").asText("None"), dims, n));
                    }
                }
            }
        }
        return out;
    }
}
