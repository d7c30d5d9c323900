package de.shopmigration.core.store;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.OfficeHours;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Retention;
import de.shopmigration.core.TransientAwsFailure;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The go-live bookings across all migrations: the places they take in time, and the index the
 * staff calendar reads.
 *
 * <p><b>Places.</b> A go-live occupies its whole slot, so capacity ({@code SlotCapacity}) limits
 * how many run at the same moment. Time is cut into cells ({@link OfficeHours#cells}, an hour
 * each by default); each cell is an item of its own ({@code SLOT#<cell start>}, sort key
 * {@code SLOT}) whose string set {@code migrations} names who holds a place in it. A booking takes
 * a place in every cell of its slot in one DynamoDB transaction, each write on the condition that
 * the cell has room or already holds this migration. Two customers racing for overlapping slots
 * cannot both pass: DynamoDB serialises transactions on an item (the loser's condition fails, or
 * it sees a TransactionConflict and tries again into the failing condition). Taking the same
 * cells again (a retry, a rebooking onto partly the same hours) holds one place each. Releasing
 * removes the migration from the cells it names, each a write of its own that may be repeated.
 *
 * <p><b>Index.</b> One item per migration that has booked ({@code BOOKINGS}, sort key the
 * migration id): the slot, BOOKED or CANCELLED, a sequence that grows with every change (the
 * calendar's SEQUENCE), and what staff need in the calendar. The staff calendar queries this one
 * partition; nothing scans the table. Cells and index entries go with {@link Retention#slotUntil}.
 */
public final class GoLiveBookings {

    public static final String BOOKED = "BOOKED";
    public static final String CANCELLED = "CANCELLED";
    /** Cancellation reasons that pass: another transaction on the same cell, or throttling. */
    private static final Set<String> PASSING = Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");
    private static final int ATTEMPTS = 6;

    private final Table table;
    private final Retention retention;

    GoLiveBookings(Table table, Retention retention) {
        this.table = table;
        this.retention = retention;
    }

    // ---- places ---------------------------------------------------------------------------

    /**
     * Takes a place in every cell for the migration, all or none; false when a cell is full.
     *
     * @param cells at most {@link OfficeHours#MAX_CELLS}, each once
     */
    public boolean take(String migrationId, List<Instant> cells, int capacity) {
        if (cells.isEmpty() || cells.size() > OfficeHours.MAX_CELLS || Set.copyOf(cells).size() != cells.size()) {
            throw new IllegalArgumentException("A booking takes 1 to " + OfficeHours.MAX_CELLS + " distinct cells, not " + cells.size());
        }
        List<TransactWriteItem> writes = new ArrayList<>(cells.size());
        for (Instant cell : cells) {
            writes.add(table.updating(Items.cell(cell), u -> u
                    .updateExpression("ADD migrations :m SET slotStart = :cell, " + Retention.ATTRIBUTE + " = :purge")
                    .conditionExpression("attribute_not_exists(migrations) OR size(migrations) < :cap OR contains(migrations, :id)")
                    .expressionAttributeValues(Map.of(":m", AttributeValue.fromSs(List.of(migrationId)), ":cap", n(capacity),
                            ":id", s(migrationId), ":cell", s(cell.toString()), ":purge", n(retention.slotUntil(cell))))));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                table.transact(writes);
                return true;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = Table.reasons(e);
                if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                    return false;
                }
                boolean passing = !reasons.isEmpty() && reasons.stream().allMatch(r -> r.code() == null || "None".equals(r.code())
                        || PASSING.contains(r.code()));
                if (!passing) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw new TransientAwsFailure("DynamoDB: the go-live cells stayed contended for " + ATTEMPTS + " attempts", e);
                }
                pause(attempt);
            }
        }
    }

    /** Gives the migration's place back in each of these cells; cells it does not hold are left alone. */
    public void release(String migrationId, Collection<Instant> cells) {
        for (Instant cell : Set.copyOf(cells)) {
            // false: not held (any more), nothing to give back
            table.updateIf(Items.cell(cell), b -> b
                    .updateExpression("DELETE migrations :m")
                    .conditionExpression("contains(migrations, :id)")
                    .expressionAttributeValues(Map.of(":m", AttributeValue.fromSs(List.of(migrationId)), ":id", s(migrationId))));
        }
    }

    /** Who holds a place in a cell. */
    public List<String> holders(Instant cell) {
        return table.get(Items.cell(cell)).filter(item -> item.containsKey("migrations")).map(item -> item.get("migrations").ss())
                .orElse(List.of());
    }

    /**
     * Who holds each of these cells, in one BatchGetItem per 100 cells rather than a read per
     * cell: an offer and the booking page look at some hundred cells at once.
     */
    public Map<Instant, List<String>> holders(Collection<Instant> cells) {
        Map<Instant, List<String>> holders = new HashMap<>();
        Map<String, Instant> byPk = new HashMap<>();
        cells.forEach(cell -> byPk.put(Items.cellPk(cell), cell));
        List<Map<String, AttributeValue>> keys = new ArrayList<>(byPk.values().stream().map(Items::cell).toList());
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + 100));
            Map<String, KeysAndAttributes> request = Map.of(table.name(), KeysAndAttributes.builder().keys(chunk).consistentRead(true).build());
            for (int attempt = 0; !request.isEmpty(); attempt++) {
                if (attempt == 5) {
                    throw new TransientAwsFailure("DynamoDB left slot reads unprocessed five times", null);
                }
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = table.dynamo().batchGetItem(b -> b.requestItems(ask));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
                    Instant cell = byPk.get(item.get("pk").s());
                    if (cell != null && item.containsKey("migrations")) {
                        holders.put(cell, item.get("migrations").ss());
                    }
                }
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    pause(attempt);
                }
            }
        }
        return holders;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep((25L << Math.min(attempt, 6)) + java.util.concurrent.ThreadLocalRandom.current().nextLong(25));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the index the staff calendar reads -------------------------------------------------

    /**
     * A booked (or cancelled) go-live as the staff calendar shows it.
     *
     * @param sequence grows with every change of this entry (RFC 5545 SEQUENCE)
     * @param statusLinkId the customer's status page link, shown to staff
     */
    public record Entry(String migrationId, Instant start, Instant end, String status, int sequence, Instant updatedAt,
                        String shopName, String customerName, String customerCompany, String customerEmail, String staffName,
                        String statusLinkId) {
        public boolean cancelled() {
            return CANCELLED.equals(status);
        }
    }

    /**
     * The migration's go-live is booked for this slot: the entry is written (or moved, or booked
     * again after a cancellation) and its sequence grows; the same booking again changes nothing.
     */
    public void confirmed(MigrationRecord record, Instant start, Instant end, Instant now) {
        MigrationRequest request = record.request();
        Map<String, String> names = Map.of("#start", "start", "#end", "end", "#st", "status", "#seq", "sequence");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":start", s(start.toString()));
        values.put(":end", s(end.toString()));
        values.put(":booked", s(BOOKED));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        values.put(":now", s(now.toString()));
        values.put(":id", s(record.migrationId()));
        values.put(":shop", s(request.shopName() != null ? request.shopName() : request.domains().get(0).name()));
        values.put(":cname", s(request.customer().name()));
        values.put(":cmail", s(request.customer().email()));
        values.put(":purge", n(retention.slotUntil(start)));
        StringBuilder update = new StringBuilder("SET #start = :start, #end = :end, #st = :booked, #seq = if_not_exists(#seq, :zero) + :one, "
                + "updatedAt = :now, migrationId = :id, shopName = :shop, customerName = :cname, customerEmail = :cmail, "
                + Retention.ATTRIBUTE + " = :purge");
        Map<String, String> optional = new LinkedHashMap<>();
        optional.put("customerCompany", request.customer().company());
        optional.put("staffName", request.staff() == null ? null : request.staff().name());
        optional.put("statusLinkId", record.standingLinks().get(Purpose.STATUS.name()));
        optional.forEach((attribute, value) -> {
            if (value != null) {
                update.append(", ").append(attribute).append(" = :").append(attribute);
                values.put(":" + attribute, s(value));
            }
        });
        // false: this very booking is in the index already (a retried confirmation)
        table.updateIf(Items.booking(record.migrationId()), b -> b.updateExpression(update.toString())
                .conditionExpression("attribute_not_exists(pk) OR #start <> :start OR #st <> :booked")
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /** The migration's go-live was cancelled (by staff, or by an abort): shown as cancelled; once only. */
    public void cancelled(String migrationId, Instant now) {
        // false: never booked, or cancelled already
        table.updateIf(Items.booking(migrationId), b -> b
                .updateExpression("SET #st = :cancelled, #seq = #seq + :one, updatedAt = :now")
                .conditionExpression("#st = :booked")
                .expressionAttributeNames(Map.of("#st", "status", "#seq", "sequence"))
                .expressionAttributeValues(Map.of(":cancelled", s(CANCELLED), ":booked", s(BOOKED), ":one", n(1),
                        ":now", s(now.toString()))));
    }

    /** Every entry of the index, all pages, in start order. */
    public List<Entry> calendar() {
        List<Entry> entries = new ArrayList<>(table.partitionOf(Items.BOOKINGS).stream().map(GoLiveBookings::entry).toList());
        entries.sort(java.util.Comparator.comparing(Entry::start).thenComparing(Entry::migrationId));
        return entries;
    }

    private static Entry entry(Map<String, AttributeValue> item) {
        return new Entry(item.get("sk").s(), Table.instant(item, "start"), Table.instant(item, "end"),
                Table.text(item, "status"), Integer.parseInt(item.get("sequence").n()), Table.instant(item, "updatedAt"),
                Table.text(item, "shopName"), Table.text(item, "customerName"), Table.text(item, "customerCompany"), Table.text(item, "customerEmail"),
                Table.text(item, "staffName"), Table.text(item, "statusLinkId"));
    }
}
