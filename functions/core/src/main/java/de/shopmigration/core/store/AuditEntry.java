package de.shopmigration.core.store;

import java.time.Instant;

/** One entry of a migration's audit trail ({@link AuditTrail}). */
public record AuditEntry(Instant at, String actor, String action, String detail, String sourceIp) {
}
