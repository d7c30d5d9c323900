package de.shopmigration.links;

import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Step;
import de.shopmigration.core.Times;
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

    static Views.StatusView view(MigrationRecord record, Texts t, Views.Frame frame, MigrationStore store, Instant now) {
        int current = record.currentPhase() == null ? 0 : record.currentPhase();
        boolean running = MigrationRecord.RUNNING.equals(record.status());
        List<Views.PhaseRow> rows = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            Optional<Instant> started = record.phaseStarted(phase.number());
            String state;
            if (!running && MigrationRecord.COMPLETED.equals(record.status()) && started.isPresent() || started.isPresent() && phase.number() < current) {
                state = "done";
            } else if (running && phase.number() == current) {
                state = "current";
            } else if (phase == Phase.OPTIMISATION && started.isEmpty() && current > 4) {
                state = "skipped";
            } else {
                state = "open";
            }
            rows.add(new Views.PhaseRow(phase.number(), t.get("phase." + phase.number()),
                    t.get(phase.planned().toHours() >= 8 ? "status.day" : "status.halfDay"),
                    started.map(i -> Times.human(i, t.language())).orElse("–"), t.get("status." + state), state));
        }
        String nowText;
        if (MigrationRecord.ABORTED.equals(record.status())) {
            nowText = t.get("status.aborted");
        } else if (MigrationRecord.COMPLETED.equals(record.status())) {
            nowText = t.get("status.completed");
        } else {
            Optional<Wait> wait = record.openWait() == null ? Optional.empty() : store.findWait(record.migrationId(), record.openWait());
            nowText = wait.filter(w -> !w.resolved())
                    .map(w -> t.get("status.waiting." + w.step().audience().name(), Map.of("stepTitle", t.get("step." + w.step().name()))))
                    .orElse(t.get("status.nothing"));
        }
        List<Views.Fact> facts = new ArrayList<>();
        if (record.booking() != null) {
            facts.add(new Views.Fact(t.get("status.goLive"), Times.human(record.booking().start(), t.language())));
        }
        if (record.downtime() != null && record.downtime().seconds() != null) {
            long minutes = record.downtime().seconds() / 60;
            facts.add(new Views.Fact(t.get("status.downtime"), minutes + (t.language() == Language.DE ? " Min." : " min")));
        }
        return new Views.StatusView(frame, List.of(t.get("status.phase"), t.get("status.planned"), t.get("status.started"),
                t.get("status.state")), rows, t.get("status.now"), nowText, facts);
    }

}
