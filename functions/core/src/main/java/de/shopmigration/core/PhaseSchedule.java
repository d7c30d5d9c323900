package de.shopmigration.core;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When each phase is planned and when it actually ran. A phase's plan starts when it starts
 * (or, before that, when the previous one is planned to end) and lasts its time frame from the
 * provider's plan in office hours (Monday to Friday, from opening to closing, Berlin time:
 * {@link OfficeHours}, 9:00 to 18:00 by default); the go-live is planned at its booked slot,
 * ending with the slot or at closing time that day, whichever comes first, and the close-out as
 * the 24-hour window after it.
 */
public final class PhaseSchedule {


    /** STOPPED: the phase an aborted migration was in; CANCELLED: a phase it never reached. */
    public enum State { DONE, CURRENT, OPEN, SKIPPED, STOPPED, CANCELLED }

    public record Row(Phase phase, Instant plannedStart, Instant plannedEnd, Instant actualStart, Instant actualEnd, State state) {
    }

    private PhaseSchedule() {
    }

    /** With the plan's default office hours. */
    public static List<Row> of(MigrationRecord record, Instant now) {
        return of(record, now, OfficeHours.DEFAULT);
    }

    public static List<Row> of(MigrationRecord record, Instant now, OfficeHours hours) {
        List<MigrationRecord.PhaseMark> marks = record.phaseLog().stream().distinct()
                .sorted(java.util.Comparator.comparing(MigrationRecord.PhaseMark::at)).toList();
        int current = record.currentPhase() == null ? 0 : record.currentPhase();
        boolean running = MigrationRecord.RUNNING.equals(record.status());
        boolean aborted = MigrationRecord.ABORTED.equals(record.status()) || MigrationRecord.ABORTING.equals(record.status());
        Instant cursor = record.createdAt() != null ? record.createdAt() : now;
        List<Row> rows = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            Optional<Instant> started = record.phaseStarted(phase.number());
            Instant actualEnd = started.isEmpty() ? null : end(marks, phase.number(), running, record.closedAt());
            boolean optimisationDeclined = record.answers() != null && record.answers().has("optimisationOrdered")
                    && !record.answers().get("optimisationOrdered").asBoolean();
            if (phase == Phase.OPTIMISATION && started.isEmpty() && (current > 4 || optimisationDeclined)) {
                rows.add(new Row(phase, null, null, null, null, State.SKIPPED));
                continue;
            }
            if (aborted && started.isEmpty()) {
                rows.add(new Row(phase, null, null, null, null, phase.number() == current ? State.STOPPED : State.CANCELLED));
                continue;
            }
            Instant plannedStart = phase == Phase.GO_LIVE && record.booking() != null ? record.booking().start()
                    : started.orElse(cursor);
            Instant plannedEnd = plannedEnd(record, phase, plannedStart, hours);
            State state = running && phase.number() == current ? State.CURRENT
                    : aborted && phase.number() == current ? State.STOPPED
                    : started.isPresent() ? State.DONE : State.OPEN;
            rows.add(new Row(phase, plannedStart, plannedEnd, started.orElse(null), actualEnd, state));
            cursor = actualEnd != null ? actualEnd : state == State.CURRENT && plannedEnd.isBefore(now) ? now : plannedEnd;
        }
        return rows;
    }

    /**
     * A phase's plan: its time frame in office hours; the close-out is the 24-hour window. An
     * execution that compresses time (timing.halfDaySeconds) plans in plain seconds instead.
     */
    static Instant plannedEnd(MigrationRecord record, Phase phase, Instant start, OfficeHours hours) {
        long halfDay = record.request() == null ? 0 : record.request().timing().halfDaySeconds();
        if (halfDay > 0) {
            return start.plusSeconds(halfDay * phase.planned().toHours() / 4);
        }
        if (phase == Phase.GO_LIVE && record.booking() != null && start.equals(record.booking().start())) {
            return hours.plannedGoLiveEnd(start);
        }
        return phase == Phase.CLOSE_OUT ? start.plus(Duration.ofHours(24)) : addOfficeTime(start, phase.planned(), hours);
    }

    /** The end of a phase: the next mark of another phase after its last mark, or the close. */
    private static Instant end(List<MigrationRecord.PhaseMark> marks, int phase, boolean running, Instant closedAt) {
        Instant lastOwn = null;
        Instant end = null;
        for (MigrationRecord.PhaseMark m : marks) {
            if (m.phase() == phase) {
                lastOwn = m.at();
                end = null;
            } else if (lastOwn != null && end == null) {
                end = m.at();
            }
        }
        return end != null ? end : running ? null : closedAt;
    }

    /** Adds working time, counting only the plan's office hours on weekdays. */
    public static Instant addOfficeTime(Instant start, Duration work) {
        return addOfficeTime(start, work, OfficeHours.DEFAULT);
    }

    /** Adds working time, counting only office hours (opening to closing) on weekdays. */
    public static Instant addOfficeTime(Instant start, Duration work, OfficeHours hours) {
        LocalTime opens = hours.opens();
        LocalTime closes = hours.closes();
        ZonedDateTime t = start.atZone(TimeFormats.BERLIN);
        Duration left = work;
        while (true) {
            if (t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY || !t.toLocalTime().isBefore(closes)) {
                t = t.toLocalDate().plusDays(1).atTime(opens).atZone(TimeFormats.BERLIN);
                continue;
            }
            if (t.toLocalTime().isBefore(opens)) {
                t = t.toLocalDate().atTime(opens).atZone(TimeFormats.BERLIN);
            }
            Duration today = Duration.between(t.toLocalTime(), closes);
            if (left.compareTo(today) <= 0) {
                return t.plus(left).toInstant();
            }
            left = left.minus(today);
            t = t.toLocalDate().plusDays(1).atTime(opens).atZone(TimeFormats.BERLIN);
        }
    }
}
