package de.shopmigration.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The migration record as staff see it in DynamoDB: one item per migration holding the request,
 * the phase log, the customer's answers, the DNS originals, the booking, the downtime and the
 * reports. Other items (waits, links, email markers, audit entries) share its partition.
 */
public record MigrationRecord(
        String migrationId,
        String status,
        Integer currentPhase,
        List<PhaseMark> phaseLog,
        MigrationRequest request,
        Instant createdAt,
        JsonNode answers,
        DnsState dns,
        Booking booking,
        List<GoLiveSlot> slotOffer,
        Downtime downtime,
        List<CopyResult> copies,
        TestAccess testAccess,
        List<Decision> decisions,
        List<ErrorReport> reports,
        String openWait,
        Abort abort,
        Instant closedAt,
        Map<String, String> standingLinks,
        Instant errorWindowEndsAt,
        Abort abortRequest,
        Failure failure,
        Unreachable customerUnreachable,
        Unreachable staffUnreachable) {

    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String ABORTING = "ABORTING";
    public static final String ABORTED = "ABORTED";
    /** The actor of decisions and audit entries that came from the copy tooling's callback. */
    public static final String COPY_TOOLING = "copy tooling";

    public MigrationRecord {
        phaseLog = phaseLog == null ? List.of() : phaseLog;
        slotOffer = slotOffer == null ? List.of() : slotOffer;
        copies = copies == null ? List.of() : copies;
        decisions = decisions == null ? List.of() : decisions;
        reports = reports == null ? List.of() : reports;
        standingLinks = standingLinks == null ? Map.of() : standingLinks;
        dns = dns == null ? DnsState.EMPTY : dns;
    }

    /** The newest successful copy of a mode ("initial" or "final"), if any. */
    public Optional<CopyResult> latestCopy(String mode) {
        CopyResult latest = null;
        for (CopyResult c : copies) {
            if (mode.equals(c.mode()) && "SUCCEEDED".equals(c.result())) {
                latest = c;
            }
        }
        return Optional.ofNullable(latest);
    }

    /**
     * How the customer reaches the test system: as staff entered it with the newest copy they
     * confirmed, or, when no one did (the copy tooling reported it), the hosts-file way to the
     * new server of the request, which is where the copy went and where the DNS switch points.
     */
    public TestAccess effectiveTestAccess() {
        return testAccess != null ? testAccess : new TestAccess(null, request.newIp(), null, null);
    }

    /** Who answered the newest decision of a step ("copy tooling", "staff", ...), if anyone did. */
    public Optional<String> lastDecidedBy(Step step) {
        String by = null;
        for (Decision d : decisions) {
            if (step.name().equals(d.step())) {
                by = d.by();
            }
        }
        return Optional.ofNullable(by);
    }

    /** Written by the state machine's "Phase N · ... begins" states (direct DynamoDB integration). */
    public record PhaseMark(int phase, Instant at) {
    }

    /** A Route 53 record as it was before the migration touched it. */
    public record RecordOriginal(String zoneId, String name, String type, long ttl, List<String> values) {
    }

    public record DnsState(
            Map<String, RecordOriginal> originals,
            Instant loweredAt,
            Instant switchedAt,
            Instant restoredAt,
            Instant switchedBackAt,
            List<String> skipped,
            Instant earliestGoLive,
            Map<String, ExternalRecord> external,
            List<String> problems,
            String mismatch) {
        public static final DnsState EMPTY = new DnsState(Map.of(), null, null, null, null, List.of(), null, Map.of(), List.of(), null);

        public DnsState {
            originals = originals == null ? Map.of() : originals;
            skipped = skipped == null ? List.of() : skipped;
            external = external == null ? Map.of() : external;
            problems = problems == null ? List.of() : problems;
        }

        public long largestOriginalTtl() {
            return originals.values().stream().mapToLong(RecordOriginal::ttl).max().orElse(0);
        }
    }

    /**
     * A record of a domain whose DNS is elsewhere, as looked up: its TTL and values before the
     * migration (null when the lookup failed), when the lowered TTL was first seen in force, and
     * when the new address was first seen.
     */
    public record ExternalRecord(String name, String type, Long ttl, List<String> values, Instant loweredSeenAt,
                                 Instant switchedSeenAt) {
    }

    public record GoLiveSlot(Instant start, Instant end, boolean recommended) {
    }

    /**
     * @param remindAt when the customer is reminded of the go-live; null when it is too close for that
     * @param cells the places in time the booking holds ({@link GoLiveBookings}); null for a booking
     *     made before go-lives were counted by overlap, which holds only the cell at its start
     */
    public record Booking(Instant start, Instant end, Instant bookedAt, Instant startGoLiveAt, Instant remindAt, List<Instant> cells) {
        /** The cells to give back when the booking goes. */
        public List<Instant> held() {
            return cells == null || cells.isEmpty() ? List.of(start) : cells;
        }
    }

    public record Downtime(Instant startedAt, Instant endedAt, Long seconds) {
    }

    public record CopyResult(String mode, String result, Long files, Long bytes, Long tables, Long databaseBytes,
                             Long durationSeconds, String reason, Instant at) {
    }

    /**
     * The way to the test system before the DNS switch: a preview URL, and/or the new cluster's
     * public address for hosts-file entries, and the user name when the test system asks for a
     * password (the password itself is never stored or emailed).
     */
    public record TestAccess(String url, String ip, String user, Instant at) {
        /** The longest preview URL the copy form takes. */
        public static final int MAX_URL = 200;
        /** The longest literal address: an IPv6 address with an embedded IPv4 one. */
        public static final int MAX_IP = 45;
        /** The longest user name the copy form takes. */
        public static final int MAX_USER = 64;
    }

    /**
     * How a person answered a wait: who, what, when. The record keeps the start of a typed
     * description ({@link #SUMMARY_LENGTH} characters); the whole text stays with the wait's
     * own item (its output), so no number of rounds grows the record past its bound.
     */
    public record Decision(String step, int round, String decision, String description, String by, Instant at) {
    }

    /** How much of a typed description or reason the record keeps in its lists. */
    public static final int SUMMARY_LENGTH = 80;

    /** The start of a typed text as the record's lists keep it. */
    public static String summary(String text) {
        return text == null || text.length() <= SUMMARY_LENGTH ? text : text.substring(0, SUMMARY_LENGTH - 1) + "…";
    }

    public record ErrorReport(String description, Instant at, boolean billable) {
    }

    /** Why a migration stopped and who stopped it ("system" for a failure: its details are for staff only). */
    /**
     * Why a migration ended early. {@code reason} is internal (staff, the record, the console);
     * {@code customerMessage}, when staff wrote one, is the only text of theirs the customer reads.
     */
    public record Abort(String reason, String by, Instant at, String customerMessage) {

        public static final String SYSTEM = "system";
        /** Stopped in the Step Functions console: no reason was given, only the console's own words are kept. */
        public static final String CONSOLE = "staff (console)";

        public Abort(String reason, String by, Instant at) {
            this(reason, by, at, null);
        }

        public boolean technical() {
            return SYSTEM.equals(by);
        }
    }

    /**
     * The permanent failure that ended the execution, as the state machine's abort path caught it
     * (Step Functions' Error and Cause), for the cleanup to tell staff.
     */
    public record Failure(String error, String cause) {
    }

    /** How much of the receiving server's words a bounce's own item keeps. */
    public static final int DIAGNOSTIC_LENGTH = 500;
    /** ...and the record's mark of an unreachable address (the record's size is bounded: RecordSizeTest). */
    public static final int MARK_DIAGNOSTIC_LENGTH = 200;

    /**
     * A bounce or complaint SES reported for an email of this migration: an item of its own in
     * the migration's partition ({@code EMAILPROBLEM#id}), as many as SES reports.
     *
     * @param id         what makes it unique: SES's feedback id and the recipient's place in it
     * @param audience   who the email was for: CUSTOMER or STAFF
     * @param address    the recipient as SES reported it, in lower case
     * @param event      Bounce or Complaint
     * @param bounceType Permanent, Transient or Undetermined (null for a complaint)
     * @param diagnostic the receiving server's words (a bounce) or the complaint's feedback type
     * @param kind       the kind of email that bounced (X-Migration-Kind), when SES passed it on
     */
    public record EmailProblem(String id, String audience, String address, String event, String bounceType,
                               String bounceSubType, String diagnostic, String kind, Instant at) {
    }

    /**
     * An address the workflow no longer reaches: it bounced for good, or its owner marked our
     * email as spam. Automatic reminders stop going to it; staff were told once.
     */
    public record Unreachable(String address, String event, String bounceType, String bounceSubType, String diagnostic,
                              Instant at, String problemId) {

        public boolean bounced() {
            return "Bounce".equals(event);
        }

        /** Whether this is about that address (7-bit form, any case): a corrected address is reachable again. */
        public boolean concerns(String email) {
            return email != null && de.shopmigration.core.mail.EmailAddress.sameMailbox(address, email);
        }
    }

    /** The customer's current address, when SES said it cannot be reached. */
    public Optional<Unreachable> customerUnreachableNow() {
        return Optional.ofNullable(customerUnreachable).filter(u -> u.concerns(request.customer().email()));
    }

    /** How often a go-live date was set (booked by the customer or rebooked by staff): the booking's round. */
    public int goLiveBookings() {
        return (int) decisions.stream().filter(d -> "BOOKED".equals(d.decision()) || "REBOOKED".equals(d.decision())).count();
    }

    public Optional<Instant> phaseStarted(int phase) {
        return phaseLog.stream().filter(m -> m.phase() == phase).map(PhaseMark::at).min(Instant::compareTo);
    }

    /**
     * The time actually spent in each phase: a phase lasts from each of its marks to the next
     * mark, summed, so a test run repeated after optimisation counts every round.
     */
    public Map<Integer, Duration> actualDurations(Instant end) {
        java.util.TreeMap<Integer, Duration> out = new java.util.TreeMap<>();
        List<PhaseMark> marks = phaseLog.stream().distinct()
                .sorted(java.util.Comparator.comparing(PhaseMark::at)).toList();
        for (int i = 0; i < marks.size(); i++) {
            Instant from = marks.get(i).at();
            Instant to = i + 1 < marks.size() ? marks.get(i + 1).at() : end;
            out.merge(marks.get(i).phase(), Duration.between(from, to), Duration::plus);
        }
        return out;
    }
}
