package de.shopmigration.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import java.time.Instant;
import java.util.Optional;

/**
 * The record's side of undoing a migration that will not finish. The cleanup state machine runs
 * it in two steps around the DNS rollback (Dns function) and before the emails (Notify function):
 * {@link #begin} marks the migration ABORTING with the reason, {@link #finish} releases the
 * go-live slot, revokes the open links, marks it ABORTED and then gives its domain names back
 * ({@link de.shopmigration.core.store.DomainHolds}). Running either twice does nothing more the second
 * time than give back names still held.
 */
public final class Cleanup {

    private final Collaborators services;

    public Cleanup(Collaborators services) {
        this.services = services;
    }

    /** SnapStart priming: a record read and the record binding; nothing changed. */
    public void prime() {
        services.prime(false);
    }

    /**
     * Claims the cleanup: RUNNING becomes ABORTING, with the reason in the record. A cleanup that
     * stopped half-way (still ABORTING) goes on; anything else has nothing to clean up.
     *
     * @param endedStatus the execution's status in the EventBridge event, the reason when the
     *                    record knows nothing more specific (a stop in the console, a timeout)
     * @return {migrationId, proceed, why?}
     */
    public ObjectNode begin(String migrationId, String endedStatus) {
        ObjectNode result = Json.object().put("migrationId", migrationId);
        Optional<MigrationRecord> found = services.store().records().find(migrationId);
        if (found.isEmpty()) {
            return result.put("proceed", false).put("why", "no record (the request was rejected)");
        }
        MigrationRecord record = found.get();
        if (MigrationRecord.ABORTING.equals(record.status())) {
            return result.put("proceed", true).put("why", "resumed: a cleanup stopped half-way");
        }
        if (ended(record)) {
            // A close-out that failed after closing the record, or a second cleanup: the
            // migration is over, so its domain names are free (a no-op if they were given back).
            int released = services.store().domainHolds().release(record);
            // ... and its data gets its deletion time, should the close-out have failed before that step.
            int expiring = services.store().expiry().schedule(migrationId).written();
            return result.put("proceed", false).put("why", "already " + record.status()).put("domainsReleased", released)
                    .put("itemsGivenADeletionTime", expiring);
        }
        // ABORTING first: DNS steps still in flight see it and change nothing more.
        boolean claimed = services.store().records().claimAbort(migrationId, reason(record, endedStatus, services.clock().instant()));
        return claimed ? result.put("proceed", true)
                : result.put("proceed", false).put("why", "already " + services.store().records().get(migrationId).status());
    }

    /**
     * Releases the booked hours (the staff calendar shows the go-live cancelled), revokes every open link but the customer's status page, marks the record
     * ABORTED and writes the audit entry.
     *
     * @param dns the DNS rollback's result ({changeIds, ...}), for the audit entry
     */
    public ObjectNode finish(String migrationId, JsonNode dns) {
        ObjectNode result = Json.object().put("migrationId", migrationId);
        MigrationRecord record = services.store().records().get(migrationId);
        if (ended(record)) {
            // A retry after the record was marked: the names may not have been given back yet.
            int released = services.store().domainHolds().release(record);
            return result.put("cleanedUp", false).put("why", "already " + record.status()).put("domainsReleased", released);
        }
        if (!MigrationRecord.ABORTING.equals(record.status())) {
            return result.put("cleanedUp", false).put("why", "already " + record.status());
        }
        Instant now = services.clock().instant();
        if (record.booking() != null) {
            // Every hour the booking holds; the staff calendar shows the go-live cancelled.
            services.store().bookings().release(migrationId, record.booking().held());
            services.store().bookings().cancelled(migrationId, now);
        }
        int revoked = services.store().links().revokeOpen(migrationId, now, Purpose.STATUS);
        boolean marked = services.store().records().markAborted(migrationId, now);
        // Only now, with the DNS back and the record ABORTED, may another migration take the names.
        MigrationRecord aborted = marked ? services.store().records().get(migrationId) : null;
        if (marked) {
            // Once: a retry finds the record ABORTED and returns above.
            services.metrics().migrationEnded(aborted);
        }
        int released = marked ? services.store().domainHolds().release(aborted) : 0;
        MigrationRecord.Abort abort = record.abort();
        services.store().audit().add(migrationId, new AuditEntry(now, abort == null ? MigrationRecord.Abort.SYSTEM : abort.by(),
                "migration aborted", (abort == null ? "" : abort.reason() + "; ") + "DNS changes undone: "
                        + dns.path("changeIds").size() + " batch(es), " + revoked + " link(s) revoked, "
                        + released + " domain name(s) released", null));
        return result.put("cleanedUp", marked).put("linksRevoked", revoked).put("domainsReleased", released);
    }

    private static boolean ended(MigrationRecord record) {
        return MigrationRecord.COMPLETED.equals(record.status()) || MigrationRecord.ABORTED.equals(record.status());
    }

    /**
     * Why a migration stops and who stopped it. What the record knows beats the execution's
     * status: a staff abort's reason (stored by the abort link before it stopped the execution)
     * or the failure the abort path caught.
     */
    static MigrationRecord.Abort reason(MigrationRecord record, String endedStatus, Instant now) {
        if (record.abortRequest() != null) {
            MigrationRecord.Abort request = record.abortRequest();
            return new MigrationRecord.Abort(request.reason(), request.by(), now, request.customerMessage());
        }
        if (record.failure() != null) {
            MigrationRecord.Failure f = record.failure();
            String text = simpleName(f.error() == null ? "" : f.error()) + ": " + causeText(f.cause() == null ? "" : f.cause());
            // A cause may run to 32,768 characters; the record keeps what a person reads.
            return new MigrationRecord.Abort(text.length() > 2000 ? text.substring(0, 1999) + "…" : text, MigrationRecord.Abort.SYSTEM, now);
        }
        return switch (endedStatus) {
            case "ABORTED" -> new MigrationRecord.Abort("The execution was stopped in the AWS console", MigrationRecord.Abort.CONSOLE, now);
            case "TIMED_OUT" -> new MigrationRecord.Abort("The execution timed out", MigrationRecord.Abort.SYSTEM, now);
            default -> new MigrationRecord.Abort("The execution ended with status " + endedStatus, MigrationRecord.Abort.SYSTEM, now);
        };
    }

    /** A Lambda error's cause is its JSON error object; people need only the message. */
    static String causeText(String cause) {
        if (cause.startsWith("{")) {
            try {
                JsonNode node = Json.read(cause);
                if (node.has("errorMessage")) {
                    return node.get("errorMessage").asText();
                }
            } catch (IllegalArgumentException e) {
                return cause;
            }
        }
        return cause;
    }

    private static String simpleName(String error) {
        int dot = error.lastIndexOf('.');
        return dot < 0 ? error : error.substring(dot + 1);
    }
}
