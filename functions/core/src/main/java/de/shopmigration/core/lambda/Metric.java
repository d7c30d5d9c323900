package de.shopmigration.core.lambda;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Step;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metric catalogue: every metric the functions write as CloudWatch embedded metric format
 * lines ({@link Metrics}), with its unit, its dimension sets and who writes it. The dashboard in
 * template.yaml names only these, with these dimensions (TemplateDashboardTest compares), and
 * docs/operations.md lists them. Dimensions are few and their values come from fixed lists
 * ({@link Dimension}): a migration id is never one (it is a plain property of the line).
 */
public enum Metric {
    MIGRATIONS_STARTED("MigrationsStarted", Unit.COUNT, "IntakeFunction", "a migration request passed the check and its record was opened",
            List.of()),
    MIGRATIONS_COMPLETED("MigrationsCompleted", Unit.COUNT, "NotifyFunction", "the close-out summary went out: the migration is complete",
            List.of()),
    MIGRATIONS_ABORTED("MigrationsAborted", Unit.COUNT, "AbortFunction",
            "the cleanup marked an ended migration ABORTED (staff abort, console stop, failure, timeout); Phase: the phase it stopped in",
            List.of(), List.of(Dimension.PHASE)),
    PHASE_DURATION("PhaseDuration", Unit.SECONDS, "NotifyFunction, AbortFunction",
            "when a migration ends (close-out or abort), once per phase it finished: from the phase's start to its end",
            List.of(Dimension.PHASE)),
    PHASE_OVERRUN("PhaseOverrun", Unit.SECONDS, "NotifyFunction, AbortFunction",
            "with PhaseDuration: how far the phase ended past its planned end, 0 when in time (go-live preparation: past the booked slot)",
            List.of(Dimension.PHASE)),
    PHASES_OVERRUN("PhasesOverrun", Unit.COUNT, "AskFunction, RemindFunction",
            "staff were told that a running phase is past its planned end (once per phase and migration)", List.of(Dimension.PHASE)),
    GO_LIVES_BOOKED("GoLivesBooked", Unit.COUNT, "GoLiveFunction",
            "a go-live slot was booked or rebooked; the line's slotStart says when the go-live is", List.of()),
    GO_LIVES_COMPLETED("GoLivesCompleted", Unit.COUNT, "NotifyFunction", "the shop is live on the new server and the customer was told",
            List.of()),
    DOWNTIME("Downtime", Unit.SECONDS, "DnsFunction",
            "one go-live's downtime: maintenance mode on until visitors reach the new server (alert past 2 hours)", List.of()),
    SITE_WATCH_ALERTS("SiteWatchAlerts", Unit.COUNT, "SiteCheckFunction",
            "the watch after the go-live found the shop failing twice in a row and alerted staff (once per outage)", List.of()),
    WAITS_OPENED("WaitsOpened", Unit.COUNT, "AskFunction", "a wait for a person (or the copy tooling) opened; Step: which one",
            List.of(Dimension.STEP)),
    WAITS_OVERDUE("WaitsOverdue", Unit.COUNT, "RemindFunction",
            "a wait timed out unanswered and a reminder or escalation went out", List.of(Dimension.STEP)),
    WAITS_ANSWERED("WaitsAnswered", Unit.COUNT, "LinksFunction", "someone answered a wait by link (or the copy tooling by callback)",
            List.of(Dimension.STEP)),
    WAIT_TIME("WaitTime", Unit.SECONDS, "LinksFunction", "with WaitsAnswered: from the wait's opening to the answer",
            List.of(Dimension.STEP)),
    REMINDERS_SENT("RemindersSent", Unit.COUNT, "RemindFunction", "a reminder email went out; Audience: to the customer or to staff",
            List.of(Dimension.AUDIENCE)),
    ESCALATIONS("Escalations", Unit.COUNT, "RemindFunction",
            "staff were told that a wait stays unanswered after its reminders (or that the copy tooling went silent)",
            List.of(Dimension.STEP)),
    LINKS_REJECTED("LinksRejected", Unit.COUNT, "LinksFunction",
            "a link page or callback refused a request (forged, unknown, expired, revoked link; bad request)", List.of(Dimension.REASON)),
    EMAILS_BOUNCED("EmailsBounced", Unit.COUNT, "the bounce handler (Metrics.emailBounced)",
            "SES reported a bounce or complaint for an email of a migration; Kind: the bounce type or Complaint", List.of(Dimension.KIND));

    /** CloudWatch units the catalogue uses (the MetricDatum unit names). */
    public enum Unit {
        COUNT("Count"), SECONDS("Seconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }

    /** The dimensions, each with the only values it may take: low cardinality by construction. */
    public enum Dimension {
        /** A phase of the plan by its name, or NONE for a migration stopped before phase 1 began. */
        PHASE("Phase", names(Phase.values(), "NONE")),
        STEP("Step", names(Step.values())),
        AUDIENCE("Audience", names(Audience.values())),
        /** Why a link page or callback refused a request. */
        REASON("Reason", Set.of("Forged", "Unknown", "Expired", "Revoked", "Request", "Callback")),
        /** SES bounce types, and complaints. */
        KIND("Kind", Set.of("Permanent", "Transient", "Undetermined", "Complaint"));

        private final String key;
        private final Set<String> allowed;

        Dimension(String key, Set<String> values) {
            this.key = key;
            this.allowed = values;
        }

        /** The member name on the line and the dimension name in CloudWatch. */
        public String key() {
            return key;
        }

        /** The values it may take. */
        public Set<String> allowed() {
            return allowed;
        }

        public static Dimension ofKey(String key) {
            for (Dimension d : values()) {
                if (d.key.equals(key)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("No dimension " + key);
        }

        private static Set<String> names(Enum<?>[] constants, String... more) {
            Set<String> out = new LinkedHashSet<>();
            for (Enum<?> c : constants) {
                out.add(c.name());
            }
            out.addAll(List.of(more));
            return Set.copyOf(out);
        }
    }

    private final String metricName;
    private final Unit unit;
    private final String emittedBy;
    private final String meaning;
    private final List<List<Dimension>> dimensionSets;

    @SafeVarargs
    Metric(String metricName, Unit unit, String emittedBy, String meaning, List<Dimension>... dimensionSets) {
        this.metricName = metricName;
        this.unit = unit;
        this.emittedBy = emittedBy;
        this.meaning = meaning;
        this.dimensionSets = List.of(dimensionSets);
    }

    /** The name in CloudWatch (and the line's member that holds the value). */
    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    public String emittedBy() {
        return emittedBy;
    }

    public String meaning() {
        return meaning;
    }

    /** Each set becomes a metric of its own in CloudWatch (an empty set: the metric without dimensions). */
    public List<List<Dimension>> dimensionSets() {
        return dimensionSets;
    }

    /** Every dimension any of its sets names. */
    public Set<Dimension> dimensions() {
        Set<Dimension> all = new LinkedHashSet<>();
        dimensionSets.forEach(all::addAll);
        return all;
    }

    public static Metric named(String metricName) {
        for (Metric m : values()) {
            if (m.metricName.equals(metricName)) {
                return m;
            }
        }
        throw new IllegalArgumentException("No metric " + metricName + " in the catalogue");
    }
}
