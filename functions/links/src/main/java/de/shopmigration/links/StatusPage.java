package de.shopmigration.links;

import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Phase;
import de.shopmigration.core.PhaseSchedule;
import de.shopmigration.core.SiteCheckLines;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.TimeFormats;
import de.shopmigration.core.Wait;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The customer's overview: the seven phases, planned and actual, and what happens now. */
final class StatusPage {

    private StatusPage() {
    }

    /**
     * @param contact whom the customer reaches when our emails do not reach them: the responsible staff member and the reply-to address
     * @param hours   the go-live office hours, within which phase 6 is planned
     */
    static Views.StatusView view(MigrationRecord record, Texts t, Views.Frame frame, MigrationStore store, Instant now, String contact,
                                 de.shopmigration.core.OfficeHours hours) {
        List<Views.PhaseRow> rows = new ArrayList<>();
        for (PhaseSchedule.Row row : PhaseSchedule.of(record, now, hours)) {
            Phase phase = row.phase();
            String frameText = t.get(phase.planned().toHours() >= 8 ? "status.day" : "status.halfDay");
            String planned = row.plannedStart() == null ? frameText
                    : frameText + " · " + range(row.plannedStart(), row.plannedEnd(), t.language());
            String actual = row.actualStart() == null ? "–"
                    : row.actualEnd() == null ? t.get("status.since", Map.of("time", TimeFormats.brief(row.actualStart(), t.language())))
                    : range(row.actualStart(), row.actualEnd(), t.language());
            String state = row.state().name().toLowerCase(java.util.Locale.ROOT);
            rows.add(new Views.PhaseRow(phase.number(), t.get("phase." + phase.number()), planned, actual,
                    t.get("status." + state), state));
        }
        String nowText;
        if (MigrationRecord.ABORTING.equals(record.status())) {
            nowText = t.get("status.aborting");
        } else if (MigrationRecord.ABORTED.equals(record.status())) {
            MigrationRecord.Abort abort = record.abort();
            int phase = record.currentPhase() == null ? 1 : record.currentPhase();
            nowText = t.get("status.aborted", Map.of("time", abort == null || abort.at() == null ? "–" : TimeFormats.human(abort.at(), t.language()),
                    "phase", phase + ". " + t.get("phase." + phase)));
        } else if (MigrationRecord.COMPLETED.equals(record.status())) {
            nowText = t.get("status.completed");
        } else {
            Optional<Wait> wait = record.openWait() == null ? Optional.empty() : store.waits().find(record.migrationId(), record.openWait());
            nowText = wait.filter(w -> !w.resolved())
                    .map(w -> t.get("status.waiting." + w.step().audience().name(), Map.of("stepTitle", t.get("step." + w.step().name()))))
                    .orElse(t.get("status.nothing"));
        }
        List<Views.Fact> facts = new ArrayList<>();
        if (record.booking() != null) {
            facts.add(new Views.Fact(t.get("status.goLive"), TimeFormats.human(record.booking().start(), t.language())));
        }
        if (record.downtime() != null && record.downtime().seconds() != null) {
            long minutes = record.downtime().seconds() / 60;
            facts.add(new Views.Fact(t.get("status.downtime"), minutes + (t.language() == Language.DE ? " Min." : " min")));
        }
        // An address that bounced for good: the customer learns it here (our emails cannot tell them). A spam report is not shown.
        String warning = record.customerUnreachableNow().filter(MigrationRecord.Unreachable::bounced)
                .map(u -> t.get("status.undeliverable", Map.of("address", u.address(), "contact", contact))).orElse(null);
        return new Views.StatusView(frame, List.of(t.get("status.phase"), t.get("status.planned"), t.get("status.actual"),
                t.get("status.state")), rows, t.get("status.now"), nowText, facts, warning, t.get("status.sitecheck.title"),
                checks(store.siteChecks().runs(record.migrationId()), record.decisions(), store.siteChecks().watch(record.migrationId()).orElse(null), t));
    }

    /** The latest automatic check of each kind and the watch; verdicts only, never the findings (they may name internal things). */
    static List<Views.Fact> checks(List<SiteCheckRun> runs, List<MigrationRecord.Decision> decisions, SiteWatch watch, Texts t) {
        List<Views.Fact> checks = new ArrayList<>();
        if (runs.isEmpty()) {
            return checks;
        }
        SiteCheckLines.status(runs, decisions, t).forEach(l -> checks.add(new Views.Fact(l.label(), l.verdict())));
        if (watch != null) {
            checks.add(new Views.Fact(t.get("status.sitecheck.watch.label"), SiteCheckLines.watch(watch, t)));
        }
        return checks;
    }

    /** "Mo 23.11., 09:00 – 13:00" on one day, both dates in full otherwise. */
    static String range(Instant from, Instant to, Language language) {
        String start = TimeFormats.brief(from, language);
        boolean sameDay = from.atZone(TimeFormats.BERLIN).toLocalDate().equals(to.atZone(TimeFormats.BERLIN).toLocalDate());
        return start + " – " + (sameDay ? java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(TimeFormats.BERLIN).format(to)
                : TimeFormats.brief(to, language));
    }

}
