package de.shopmigration.core.store;

import de.shopmigration.core.AuditKeyCollision;
import de.shopmigration.core.Retention;
import de.shopmigration.core.TimeFormats;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * A migration's audit trail ({@code AUDIT#time#n}): entries are only ever added, each kept for
 * the audit time ({@link Retention#auditEntryUntil}). Refused requests are aggregated by
 * {@link Rejections} and read back here in time order.
 */
public final class AuditTrail {

    /** How often an audit entry looks for a free key before the write is given up. */
    private static final int KEY_ATTEMPTS = 8;

    private final Table table;
    private final Supplier<String> uniqueIds;
    private final Retention retention;

    AuditTrail(Table table, Supplier<String> uniqueIds, Retention retention) {
        this.table = table;
        this.uniqueIds = uniqueIds;
        this.retention = retention;
    }

    /**
     * Adds an entry to the trail; it never replaces another. The key's random part comes from a
     * source renewed after every SnapStart restore, and the write is conditional: should two
     * environments still draw the same key, the second takes the next one. A write whose answer
     * was lost and that the SDK sent again finds its own item and is done.
     */
    public void add(String migrationId, AuditEntry entry) {
        Map<String, AttributeValue> item = item(migrationId, entry);
        for (int attempt = 1; ; attempt++) {
            item.put("sk", s(Items.AUDIT + TimeFormats.sortable(entry.at()) + "#" + uniqueIds.get()));
            try {
                table.put(b -> b.item(item).conditionExpression("attribute_not_exists(sk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return;
            } catch (ConditionalCheckFailedException taken) {
                if (item.equals(taken.item())) {
                    return;
                }
                if (attempt == KEY_ATTEMPTS) {
                    throw new AuditKeyCollision(migrationId, attempt);
                }
            }
        }
    }

    /**
     * An entry for an event that may come more than once (SNS delivers at least once): its key
     * is the event's time and the caller's id for it, so a repeated delivery finds it written.
     *
     * @param eventId letters, digits, '-' and '#' only (it is part of the key)
     */
    public void addOnce(String migrationId, AuditEntry entry, String eventId) {
        Map<String, AttributeValue> item = item(migrationId, entry);
        item.put("sk", s(Items.AUDIT + TimeFormats.sortable(entry.at()) + "#" + eventId));
        // false: the same event, delivered again
        table.putIf(b -> b.item(item).conditionExpression("attribute_not_exists(sk)"));
    }

    private Map<String, AttributeValue> item(String migrationId, AuditEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(Items.pk(migrationId)));
        item.put("at", s(entry.at().toString()));
        item.put("actor", s(entry.actor()));
        item.put("action", s(entry.action()));
        item.put(Retention.ATTRIBUTE, n(retention.auditEntryUntil(entry.at())));
        if (entry.detail() != null) {
            item.put("detail", s(entry.detail()));
        }
        if (entry.sourceIp() != null) {
            item.put("sourceIp", s(entry.sourceIp()));
        }
        return item;
    }

    /**
     * The trail in time order. Aggregated refusals have keys of their own ({@code AUDIT#REJECT#...})
     * that sort after every timed key, so the query's order alone would put them last.
     */
    public List<AuditEntry> trail(String migrationId) {
        List<AuditEntry> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.query(migrationId, Items.AUDIT)) {
            if (Rejections.isAggregate(item.get("sk").s())) {
                out.add(Rejections.entry(item));
                continue;
            }
            out.add(new AuditEntry(Instant.parse(item.get("at").s()), item.get("actor").s(), item.get("action").s(),
                    Table.text(item, "detail"), Table.text(item, "sourceIp")));
        }
        out.sort(Comparator.comparing(AuditEntry::at));
        return out;
    }
}
