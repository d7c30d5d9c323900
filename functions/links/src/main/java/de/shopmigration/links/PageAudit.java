package de.shopmigration.links;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.lambda.Collaborators;
import java.time.Instant;
import java.util.Optional;

/**
 * What the link pages leave in a migration's audit trail: what a person did through a link, and
 * every refused request (with the LinksRejected metric).
 */
final class PageAudit {

    private final Collaborators services;

    PageAudit(Collaborators services) {
        this.services = services;
    }

    void audit(MigrationRecord record, String actor, String action, String detail, LinkPages.Request request, Instant now) {
        services.store().audit().add(record.migrationId(), new AuditEntry(now, actor, action,
                detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) + "..." : detail, request.sourceIp()));
    }

    /**
     * An entry in the migration's audit trail for a refused request, aggregated per reason and
     * source and without the token ({@link de.shopmigration.core.store.Rejections}); none for a
     * migration that does not exist, so no one can make items appear under an invented id.
     */
    void rejected(Optional<MigrationRecord> record, LinkPages.Request request, Instant now, String reason) {
        record.ifPresent(r -> services.store().rejections().record(r.migrationId(), reason, "anonymous", request.sourceIp(),
                de.shopmigration.core.store.Rejections.normalise(request.method(), request.path()), now));
        services.metrics().linkRejected(record.map(MigrationRecord::migrationId).orElse(null), rejectionKind(reason));
    }

    /** The LinksRejected metric's Reason for a rejection's fixed text (a few values, never the request). */
    static String rejectionKind(String reason) {
        if (reason.startsWith("callback rejected")) {
            return "Callback";
        }
        if (reason.startsWith("request rejected")) {
            return "Request";
        }
        if (reason.contains("forged")) {
            return "Forged";
        }
        if (reason.contains("expired")) {
            return "Expired";
        }
        return reason.contains("revoked") ? "Revoked" : "Unknown";
    }
}
