package de.shopmigration.links;

import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Phase;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import de.shopmigration.core.Wait;
import java.util.Optional;

/**
 * Where a valid link stands against its migration: whether it can still act (closed), whether a
 * newer round of its step has replaced it (superseded), whether its wait was decided already.
 */
final class LinkStanding {

    private final Collaborators services;

    LinkStanding(Collaborators services) {
        this.services = services;
    }

    /**
     * A link that answers a wait works only while the migration is at that wait; the countdown
     * to the go-live can no longer be rebooked or cancelled once phase 6 has begun.
     */
    boolean closed(Link link, MigrationRecord record) {
        if (link.purpose() == Purpose.REPORT_ERROR) {
            return false;
        }
        if (ReportPages.handles(link.purpose())) {
            // A report answered after the close-out still tells the customer; an aborted migration's are revoked.
            return !MigrationRecord.RUNNING.equals(record.status()) && !MigrationRecord.COMPLETED.equals(record.status());
        }
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            return true;
        }
        if (link.waitKey() != null && !link.waitKey().equals(record.openWait()) && !decided(record, link)) {
            return true;
        }
        if (link.waitKey() == null || !link.waitKey().startsWith(Step.GO_LIVE_WAIT.name() + "#")) {
            return false;
        }
        // Once the slot has come the go-live starts whatever is clicked: a rebooking at that
        // moment would be shown as done and then ignored. The phase mark follows a moment later.
        boolean slotReached = record.booking() != null && record.booking().startGoLiveAt() != null
                && !services.clock().instant().isBefore(record.booking().startGoLiveAt().minusSeconds(2));
        return slotReached || record.currentPhase() != null && record.currentPhase() >= Phase.GO_LIVE.number();
    }

    /**
     * A link from an earlier round of the step the migration is waiting at again (the first
     * test email after a retest was requested): the answer is wanted, but through the newer
     * email's links. Gives the newer round's open wait.
     */
    Optional<Wait> superseded(Link link, MigrationRecord record) {
        String open = record.openWait();
        if (link.waitKey() == null || open == null || open.equals(link.waitKey()) || !MigrationRecord.RUNNING.equals(record.status())
                || !open.substring(0, open.indexOf('#') + 1).equals(link.waitKey().substring(0, link.waitKey().indexOf('#') + 1))) {
            return Optional.empty();
        }
        return services.store().waits().find(record.migrationId(), open).filter(w -> !w.resolved());
    }

    boolean decided(MigrationRecord record, Link link) {
        return services.store().waits().find(record.migrationId(), link.waitKey()).map(Wait::resolved).orElse(false);
    }
}
