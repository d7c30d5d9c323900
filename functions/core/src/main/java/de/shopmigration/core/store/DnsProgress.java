package de.shopmigration.core.store;

import de.shopmigration.core.MigrationRecord;

import static de.shopmigration.core.store.AttributeValues.of;
import static de.shopmigration.core.store.AttributeValues.s;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the DNS steps note in the migration record ({@code dns}, {@code downtime}): the originals
 * they will restore, the records at other providers, when Route 53 confirmed each change, the
 * go-live gate. Notes that must not change once made are written with {@code if_not_exists},
 * so a retried step keeps the first.
 */
public final class DnsProgress {

    /** DynamoDB allows 4 KB per update expression: about fifty records per update. */
    static final int ORIGINALS_PER_UPDATE = 50;

    private final RecordStore records;

    DnsProgress(RecordStore records) {
        this.records = records;
    }

    /** The records left alone and why. */
    public void storeSkipped(String migrationId, List<String> skipped) {
        records.update(migrationId, "SET #dns.#s = :skipped", Map.of("#dns", "dns", "#s", "skipped"),
                Map.of(":skipped", of(skipped)), null);
    }

    /**
     * Stores each found record's original unless one is stored already, and the skipped list
     * with the last of them; returns the originals stored then (the update answers with the
     * record as it is after it, so no second read).
     *
     * @param found at least one
     */
    public Map<String, MigrationRecord.RecordOriginal> rememberOriginals(String migrationId,
                                                                         Map<String, MigrationRecord.RecordOriginal> found,
                                                                         List<String> skipped) {
        Map<String, MigrationRecord.RecordOriginal> stored = Map.of();
        List<Map.Entry<String, MigrationRecord.RecordOriginal>> entries = new ArrayList<>(found.entrySet());
        for (int from = 0; from < entries.size(); from += ORIGINALS_PER_UPDATE) {
            StringBuilder update = new StringBuilder("SET ");
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            names.put("#dns", "dns");
            names.put("#o", "originals");
            int to = Math.min(entries.size(), from + ORIGINALS_PER_UPDATE);
            List<Map.Entry<String, MigrationRecord.RecordOriginal>> chunk = entries.subList(from, to);
            for (int i = 0; i < chunk.size(); i++) {
                names.put("#k" + i, chunk.get(i).getKey());
                values.put(":v" + i, of(chunk.get(i).getValue()));
                update.append(i == 0 ? "" : ", ").append("#dns.#o.#k").append(i)
                        .append(" = if_not_exists(#dns.#o.#k").append(i).append(", :v").append(i).append(")");
            }
            if (to == entries.size()) {
                names.put("#s", "skipped");
                values.put(":skipped", of(skipped));
                update.append(", #dns.#s = :skipped");
            }
            stored = records.updateAndRead(migrationId, update.toString(), names, values).dns().originals();
        }
        return stored;
    }

    /**
     * A record at another DNS provider as first seen (null values: not answered), kept the first time.
     *
     * @param recordKey {@code name|type}
     */
    public void rememberExternal(String migrationId, String recordKey, MigrationRecord.ExternalRecord original) {
        records.update(migrationId, "SET #dns.#e.#k = if_not_exists(#dns.#e.#k, :v)",
                Map.of("#dns", "dns", "#e", "external", "#k", recordKey), Map.of(":v", of(original)), null);
    }

    /**
     * Route 53 confirmed a change (or the workflow stopped waiting for it), the first time only.
     *
     * @param field {@code loweredAt}, {@code switchedAt}, {@code restoredAt} or {@code switchedBackAt}
     */
    public void changeDone(String migrationId, String field, Instant now) {
        records.update(migrationId, "SET #dns.#f = if_not_exists(#dns.#f, :now)",
                Map.of("#dns", "dns", "#f", field), Map.of(":now", s(now.toString())), null);
    }

    /** The lowered TTL was first seen at the other provider. */
    public void externalLoweredSeen(String migrationId, String recordKey, Instant now) {
        records.update(migrationId, "SET #dns.#e.#k.loweredSeenAt = if_not_exists(#dns.#e.#k.loweredSeenAt, :now)",
                Map.of("#dns", "dns", "#e", "external", "#k", recordKey), Map.of(":now", s(now.toString())), null);
    }

    /** The new address was first seen at the other provider. */
    public void externalSwitchedSeen(String migrationId, String recordKey, Instant now) {
        records.update(migrationId, "SET #dns.#e.#k.switchedSeenAt = if_not_exists(#dns.#e.#k.switchedSeenAt, :now)",
                Map.of("#dns", "dns", "#e", "external", "#k", recordKey), Map.of(":now", s(now.toString())), null);
    }

    /** The go-live gate: the earliest go-live the TTLs allow, and what stands in its way. */
    public void goLiveGate(String migrationId, Instant earliest, JsonNode problems) {
        records.update(migrationId, "SET #dns.earliestGoLive = :e, #dns.problems = :p", Map.of("#dns", "dns"),
                Map.of(":e", s(earliest.toString()), ":p", of(problems)), null);
    }

    /** Counts a look at the other providers' records that found them not switched yet; returns how many. */
    public int countExternalSwitchLookup(String migrationId) {
        return records.countUp(migrationId, "externalSwitchLookups");
    }

    /** Route 53 refused a change: a record no longer holds what phase 1 recorded. */
    public void mismatch(String migrationId, String message) {
        records.update(migrationId, "SET #dns.mismatch = :m", Map.of("#dns", "dns"), Map.of(":m", s(message)), null);
    }

    /** The downtime's end (the first one measured) and its length. */
    public void downtimeEnded(String migrationId, Instant end, long seconds) {
        records.update(migrationId, "SET downtime.endedAt = if_not_exists(downtime.endedAt, :end), downtime.#s = :sec",
                Map.of("#s", "seconds"), Map.of(":end", s(end.toString()), ":sec", AttributeValues.n(seconds)), null);
    }
}
