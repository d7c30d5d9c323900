package de.shopmigration.abort;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.AttributeValues;
import de.shopmigration.core.Audience;
import de.shopmigration.core.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Services;
import de.shopmigration.core.mail.Notifier;
import de.shopmigration.dns.DnsLifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Undoes a migration that will not finish: DNS back (TTLs, and the old server if the switch
 * happened), the go-live slot released, open links revoked, record marked aborted, customer
 * and staff told. Runs from the state machine's abort path and from the EventBridge rule when
 * an execution is stopped in the console; running it twice does nothing the second time.
 */
public final class Cleanup {

    private final Services services;
    private final DnsLifecycle dns;
    private final Notifier notifier;

    public Cleanup(Services services, DnsLifecycle dns) {
        this.services = services;
        this.dns = dns;
        this.notifier = new Notifier(services);
    }

    /** Why a migration stops, and who stopped it. */
    public record Reason(String text, String by, boolean technical) {
    }

    /**
     * Records at the customer's own DNS provider are theirs to put back: each one with the
     * values and TTL it had before the migration, as looked up in phase 1.
     */
    private static List<de.shopmigration.core.mail.EmailContent.Fact> undoElsewhere(MigrationRecord record) {
        boolean german = record.request().language() == Language.DE;
        List<de.shopmigration.core.mail.EmailContent.Fact> facts = new java.util.ArrayList<>();
        for (MigrationRecord.ExternalRecord e : record.dns().external().values()) {
            if (e.values() == null || e.values().isEmpty()) {
                continue;
            }
            String ttl = e.ttl() == null ? "" : " (TTL " + e.ttl() + (german ? " Sekunden)" : " seconds)");
            facts.add(new de.shopmigration.core.mail.EmailContent.Fact(e.name() + " (" + e.type() + ")",
                    (german ? "bei Ihrem DNS-Anbieter wieder auf " : "at your DNS provider back to ") + String.join(", ", e.values()) + ttl));
        }
        return facts;
    }

    /** SnapStart priming: the shared paths and the DNS side's; nothing changed or sent. */
    public void prime() {
        services.prime(true);
        dns.prime(services.allowedZones().stream().findFirst());
    }

    public ObjectNode abort(String migrationId, Reason reason) {
        ObjectNode result = Json.object().put("migrationId", migrationId);
        Optional<MigrationRecord> found = services.store().findRecord(migrationId);
        if (found.isEmpty()) {
            return result.put("cleanedUp", false).put("why", "no record (the request was rejected)");
        }
        MigrationRecord record = found.get();
        // ABORTING first: DNS steps still in flight see it and change nothing more; a cleanup that
        // stopped half-way (ABORTING) is simply run again, every step of it being idempotent.
        if (!MigrationRecord.ABORTING.equals(record.status())
                && !services.store().updateRecord(migrationId, "SET #s = :aborting", Map.of("#s", "status"),
                        Map.of(":aborting", AttributeValues.s(MigrationRecord.ABORTING), ":running", AttributeValues.s(MigrationRecord.RUNNING)),
                        "#s = :running")) {
            return result.put("cleanedUp", false).put("why", "already " + services.store().record(migrationId).status());
        }
        if (record.abortRequest() != null) {
            reason = new Reason(record.abortRequest().reason(), record.abortRequest().by(), false);
        }
        Instant now = services.clock().instant();
        ObjectNode rollback = dns.rollback(migrationId);
        if (record.booking() != null) {
            services.store().releaseSlot(record.booking().start(), migrationId);
        }
        int revoked = services.store().revokeOpenLinks(migrationId, now, Purpose.STATUS);
        boolean marked = services.store().updateRecord(migrationId, "SET #s = :aborted, #abort = :abort, closedAt = :now",
                Map.of("#s", "status", "#abort", "abort"), Map.of(":aborted", AttributeValues.s(MigrationRecord.ABORTED),
                        ":abort", AttributeValues.of(new MigrationRecord.Abort(reason.text(), reason.by(), now)),
                        ":now", AttributeValues.s(now.toString()), ":aborting", AttributeValues.s(MigrationRecord.ABORTING)),
                "#s = :aborting");
        MigrationRecord aborted = services.store().record(migrationId);
        String customerReason = reason.technical()
                ? (record.request().language() == Language.DE ? "ein technisches Problem; wir melden uns bei Ihnen." : "a technical problem; we will be in touch.")
                : reason.text();
        notifier.send(aborted, Audience.CUSTOMER, "ABORTED", "ABORTED#customer", "notice.ABORTED",
                Map.of("reason", customerReason), undoElsewhere(aborted), List.of(), List.of());
        notifier.send(aborted, Audience.STAFF, "ABORTED", "ABORTED#staff", "notice.ABORTED",
                Map.of("reason", reason.text()), List.of(), List.of(), List.of());
        services.store().audit(migrationId, new MigrationStore.AuditEntry(now, reason.by(), "migration aborted",
                reason.text() + "; DNS changes undone: " + rollback.path("changeIds").size() + " batch(es), "
                        + revoked + " link(s) revoked", null));
        return result.put("cleanedUp", marked).put("linksRevoked", revoked).set("dns", rollback);
    }
}
