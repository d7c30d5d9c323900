package de.shopmigration.core.store;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStillOpen;
import de.shopmigration.core.Retention;

import static de.shopmigration.core.store.AttributeValues.n;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Gives every item of an ended migration its deletion time ({@link Retention}): the last step of
 * the close-out and of the cleanup. Counted from the record's {@code closedAt}, so a retry or a
 * second run sets the same times and writes only what is missing or different.
 */
public final class DataExpiry {

    private final Table table;
    private final RecordStore records;
    private final Retention retention;

    DataExpiry(Table table, RecordStore records, Retention retention) {
        this.table = table;
        this.records = records;
        this.retention = retention;
    }

    /** What the run did: items looked at, and how many got a (new) deletion time. */
    public record Scheduled(int items, int written, Instant dataUntil, Instant recordUntil) {
    }

    /**
     * @throws MigrationStillOpen when the record is not closed yet (a migration still running
     *                            keeps everything)
     */
    public Scheduled schedule(String migrationId) {
        MigrationRecord record = records.get(migrationId);
        if (record.closedAt() == null) {
            throw new MigrationStillOpen(migrationId, record.status());
        }
        long dataUntil = retention.dataUntil(record.closedAt());
        long recordUntil = retention.recordUntil(record.closedAt());
        int items = 0;
        int written = 0;
        for (Map<String, AttributeValue> item : table.partition(migrationId)) {
            items++;
            long until = until(item, dataUntil, recordUntil);
            AttributeValue current = item.get(Retention.ATTRIBUTE);
            if (current != null && current.n() != null && Long.parseLong(current.n()) == until) {
                continue;
            }
            // false: deleted since the query (a released email claim), nothing left to expire
            if (table.updateIf(Map.of("pk", item.get("pk"), "sk", item.get("sk")), b -> b
                    .updateExpression("SET #purge = :until").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#purge", Retention.ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":until", n(until))))) {
                written++;
            }
        }
        return new Scheduled(items, written, Instant.ofEpochSecond(dataUntil), Instant.ofEpochSecond(recordUntil));
    }

    /**
     * The record and the trail are kept for the audit time; an entry written after the close (a
     * late, rejected click) keeps the time it was written with, which is later.
     */
    private long until(Map<String, AttributeValue> item, long dataUntil, long recordUntil) {
        String sk = item.get("sk").s();
        if (Items.RECORD.equals(sk)) {
            return recordUntil;
        }
        if (sk.startsWith(Items.AUDIT) || Items.REJECTED_SOURCES.equals(sk)) {
            AttributeValue at = item.get("at");
            long own = at == null ? recordUntil : retention.auditEntryUntil(Instant.parse(at.s()));
            return Math.max(own, recordUntil);
        }
        return dataUntil;
    }
}
