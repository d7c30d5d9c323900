package de.shopmigration.core;

import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.store.AuditEntry;

import de.shopmigration.core.mail.Notifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Tells staff, once per phase, when a phase runs past its planned end. Checked whenever the
 * workflow wakes for a person (a wait opens or times out), so at the latest at the next
 * reminder. Waiting for the booked go-live date is not work and never counts as overrun.
 */
public final class Overruns {

    private final Collaborators services;
    private final Notifier notifier;

    public Overruns(Collaborators services) {
        this.services = services;
        this.notifier = new Notifier(services);
    }

    /** @return whether an alert went out now */
    public boolean check(MigrationRecord record, Step waitingOn) {
        if (waitingOn == Step.GO_LIVE_WAIT || !MigrationRecord.RUNNING.equals(record.status())) {
            return false;
        }
        Instant now = services.clock().instant();
        for (PhaseSchedule.Row row : PhaseSchedule.of(record, now, services.officeHours())) {
            if (row.state() == PhaseSchedule.State.CURRENT && row.plannedEnd() != null && now.isAfter(row.plannedEnd())
                    && row.phase() != Phase.CLOSE_OUT) {
                Map<String, String> values = Map.of("phase", row.phase().number() + ". "
                                + notifier.texts(record, Audience.STAFF).get("phase." + row.phase().number()),
                        "plannedEnd", TimeFormats.human(row.plannedEnd(), notifier.texts(record, Audience.STAFF).language()));
                boolean sent = notifier.send(record, Audience.STAFF, "OVERRUN", "OVERRUN#" + row.phase().number(), "notice.OVERRUN",
                        values, List.of(), List.of(), List.of());
                if (sent) {
                    services.metrics().phaseOverran(record.migrationId(), row.phase());
                    services.store().audit().add(record.migrationId(), new AuditEntry(now, "system",
                            "phase " + row.phase().number() + " overran its plan", "planned end " + row.plannedEnd(), null));
                }
                return sent;
            }
        }
        return false;
    }
}
