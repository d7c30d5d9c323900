package de.shopmigration.core.store;

import de.shopmigration.core.DomainHeldByAnotherMigration;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.TransientAwsFailure;

import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Which running migration holds each domain and moving host name. A second migration of a name
 * still being moved would read the TTLs the first one lowered and keep them as the "originals",
 * so its close-out would leave the lowered TTL for good. Each name is one item
 * ({@code HOLD#name}) whose holder is the migration id; the holds are written in the same
 * DynamoDB transaction as the migration's record ({@link RecordStore#open}), each on
 * the condition that nobody else holds the name. Two requests for one name at the same moment
 * cannot both pass: DynamoDB serialises transactions on an item (the loser sees the condition
 * fail, or a TransactionConflict and retries into it), and holds exist exactly when the record
 * does. A retried intake of the holder passes its own holds.
 *
 * <p>Names are compared in the form the intake's RequestParser gives them: lower case (DNS names are
 * case-insensitive), without the root dot, and ASCII only, because the parser refuses a name with
 * non-ASCII characters and asks for its Punycode form (xn--...), the form Route 53 stores. So every
 * spelling of a name meets the same item; no IDNA mapping is needed here.
 *
 * <p>The holds are given back only once the migration has ended and will touch no DNS record
 * again: after the close-out marked it COMPLETED, or the cleanup marked it ABORTED (after putting
 * the DNS back). A cleanup that fails for good leaves them held, as the DNS may still be lowered.
 */
public final class DomainHolds {

    /** Cancellation reasons that pass: another transaction on the same item, or throttling. */
    private static final Set<String> PASSING = Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    private final Table table;

    public DomainHolds(DynamoDbClient dynamo, String table) {
        this(new Table(dynamo, table));
    }

    DomainHolds(Table table) {
        this.table = table;
    }

    /** Who holds a name and since when. */
    public record Hold(String name, String holder, Instant since) {
    }

    /** Every name a request moves: each domain and each of its moving hosts, once, sorted. */
    public static List<String> names(MigrationRequest request) {
        Set<String> names = new TreeSet<>();
        for (MigrationRequest.Domain d : request.domains()) {
            names.add(d.name());
            names.addAll(d.records());
        }
        return List.copyOf(names);
    }

    /** The transaction items that take every name for the migration (or find them its own already). */
    List<TransactWriteItem> takeAll(String migrationId, List<String> names, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>(names.size());
        for (String name : names) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(Items.hold(name));
            item.put("name", s(name));
            item.put("holder", s(migrationId));
            item.put("since", s(now.toString()));
            items.add(table.putting(p -> p.item(item)
                    .conditionExpression("attribute_not_exists(pk) OR holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(migrationId)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        }
        return items;
    }

    /**
     * What a cancelled transaction of {@link #takeAll} items means, {@code reasons} in the order
     * of {@code names}: the names another migration holds (as {@link DomainHeldByAnotherMigration}),
     * a conflict with a concurrent transaction or throttling ({@link TransientAwsFailure}: the
     * state machine retries the step, which then sees who won), or else the original error.
     */
    RuntimeException refusal(String migrationId, List<String> names, List<CancellationReason> reasons, TransactionCanceledException e) {
        List<Hold> held = new ArrayList<>();
        boolean conflict = false;
        for (int i = 0; i < Math.min(names.size(), reasons.size()); i++) {
            CancellationReason r = reasons.get(i);
            if ("ConditionalCheckFailed".equals(r.code())) {
                Optional<Hold> hold = r.hasItem() && !r.item().isEmpty() ? Optional.of(hold(r.item())) : hold(names.get(i));
                if (hold.isEmpty() || hold.get().holder().equals(migrationId)) {
                    // Released, or taken by this very migration, between the write and this read.
                    conflict = true;
                } else {
                    held.add(hold.get());
                }
            } else if (PASSING.contains(String.valueOf(r.code()))) {
                conflict = true;
            }
        }
        if (!held.isEmpty()) {
            return new DomainHeldByAnotherMigration(migrationId, held);
        }
        return conflict ? new TransientAwsFailure("DynamoDB cancelled taking the domain names: " + e.getMessage(), e) : e;
    }

    /** The current holder of a name, if any. */
    public Optional<Hold> hold(String name) {
        return table.get(Items.hold(name)).map(DomainHolds::hold);
    }

    private static Hold hold(Map<String, AttributeValue> item) {
        return new Hold(item.get("name").s(), item.get("holder").s(), Instant.parse(item.get("since").s()));
    }

    /**
     * Gives back every name the migration holds, only once it has ended; names held by another
     * migration (or by nobody) stay as they are, so running this twice, or for a migration whose
     * request was refused, changes nothing.
     *
     * @return how many names were given back
     * @throws MigrationStillRunning when it is RUNNING or ABORTING: its DNS work may not be done
     */
    public int release(MigrationRecord record) {
        if (!MigrationRecord.COMPLETED.equals(record.status()) && !MigrationRecord.ABORTED.equals(record.status())) {
            throw new MigrationStillRunning(record.migrationId(), record.status());
        }
        int released = 0;
        for (String name : names(record.request())) {
            // false: given back already, or never ours (a record from before the holds existed)
            if (table.deleteIf(Items.hold(name), b -> b.conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", s(record.migrationId()))))) {
                released++;
            }
        }
        return released;
    }

    /** Release was asked for a migration that may still change DNS records. */
    public static final class MigrationStillRunning extends IllegalStateException {
        public MigrationStillRunning(String migrationId, String status) {
            super("Migration " + migrationId + " is " + status + ": its domain names are released only once it has ended");
        }
    }
}
