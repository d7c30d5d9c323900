package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.store.MigrationStore;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * SnapStart resumes many environments from one snapshot. An audit entry must never replace
 * another, even when two environments draw the same random key (a source that was not renewed
 * after the restore), and a write the SDK sends twice must not leave two entries.
 */
class AuditTrailTest extends CloudTest {

    /** A random source as a snapshot would hand it to every environment: the same sequence each time. */
    private static Supplier<String> resumedFromTheSameSnapshot() {
        AtomicInteger n = new AtomicInteger();
        return () -> "same-sequence-" + n.incrementAndGet();
    }

    @Test
    void twoEnvironmentsDrawingTheSameKeysKeepEveryEntry() {
        String id = "M-AUDIT-1";
        Instant at = Instant.parse("2026-12-03T10:15:30.123Z");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore first = new MigrationStore(dynamo, cloud.tableName(), resumedFromTheSameSnapshot());
            MigrationStore second = new MigrationStore(dynamo, cloud.tableName(), resumedFromTheSameSnapshot());
            first.audit().add(id, new AuditEntry(at, "customer", "tests passed", null, "198.51.100.7"));
            second.audit().add(id, new AuditEntry(at, "staff", "migration aborted", "reason given", "203.0.113.9"));
            first.audit().add(id, new AuditEntry(at, "system", "reminder sent", null, null));
            assertThat(new MigrationStore(dynamo, cloud.tableName()).audit().trail(id))
                    .extracting(AuditEntry::action)
                    .containsExactlyInAnyOrder("tests passed", "migration aborted", "reminder sent");
        }
    }

    @Test
    void aWriteSentAgainWithTheSameKeyLeavesOneEntry() {
        String id = "M-AUDIT-2";
        Instant at = Instant.parse("2026-12-03T10:15:30.123Z");
        AuditEntry entry = new AuditEntry(at, "customer", "slot booked", "2026-12-10T08:00:00Z", "198.51.100.7");
        try (var dynamo = cloud.dynamoDb()) {
            // The SDK resends a request whose answer was lost: same item, same key.
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName(), () -> "one-key");
            store.audit().add(id, entry);
            store.audit().add(id, entry);
            assertThat(store.audit().trail(id)).containsExactly(entry);
        }
    }
}
