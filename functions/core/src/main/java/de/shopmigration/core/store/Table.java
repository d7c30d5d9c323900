package de.shopmigration.core.store;

import static de.shopmigration.core.store.AttributeValues.s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The plumbing the stores share over the one table: consistent reads, paged queries, writes
 * that answer false when their condition fails, and transaction parts. The item layout is
 * {@link Items}'; what each write means is its store's.
 */
public final class Table {

    private final DynamoDbClient dynamo;
    private final String name;

    public Table(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    public String name() {
        return name;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    /** One item, read consistently; empty when there is none. */
    Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(name).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    UpdateItemResponse update(Map<String, AttributeValue> key, Consumer<UpdateItemRequest.Builder> request) {
        return dynamo.updateItem(b -> request.accept(b.tableName(name).key(key)));
    }

    /** An update whose condition decides whether it happens: false when it failed. */
    boolean updateIf(Map<String, AttributeValue> key, Consumer<UpdateItemRequest.Builder> request) {
        try {
            update(key, request);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    void put(Consumer<PutItemRequest.Builder> request) {
        dynamo.putItem(b -> request.accept(b.tableName(name)));
    }

    /** A put whose condition decides whether it happens: false when it failed. */
    boolean putIf(Consumer<PutItemRequest.Builder> request) {
        try {
            put(request);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A delete whose condition decides whether it happens: false when it failed. */
    boolean deleteIf(Map<String, AttributeValue> key, Consumer<DeleteItemRequest.Builder> request) {
        try {
            dynamo.deleteItem(b -> request.accept(b.tableName(name).key(key)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    void transact(List<TransactWriteItem> writes) {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
    }

    TransactWriteItem updating(Map<String, AttributeValue> key, Consumer<Update.Builder> update) {
        return TransactWriteItem.builder().update(u -> update.accept(u.tableName(name).key(key))).build();
    }

    TransactWriteItem putting(Consumer<Put.Builder> put) {
        return TransactWriteItem.builder().put(p -> put.accept(p.tableName(name))).build();
    }

    /** Why a transaction was cancelled, one reason per part in order (empty when DynamoDB gave none). */
    static List<CancellationReason> reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    }

    /** Whether the transaction's part at this index failed its condition. */
    static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Every item of a migration whose sort key starts with the prefix, all pages. */
    public List<Map<String, AttributeValue>> query(String migrationId, String skPrefix) {
        return queryPages("pk = :pk AND begins_with(sk, :p)", Map.of(":pk", s(Items.pk(migrationId)), ":p", s(skPrefix)));
    }

    /** Every item of a migration's partition, all pages. */
    public List<Map<String, AttributeValue>> partition(String migrationId) {
        return partitionOf(Items.pk(migrationId));
    }

    /** Every item of a partition, all pages. */
    List<Map<String, AttributeValue>> partitionOf(String pk) {
        return queryPages("pk = :pk", Map.of(":pk", s(pk)));
    }

    private List<Map<String, AttributeValue>> queryPages(String condition, Map<String, AttributeValue> values) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> {
                b.tableName(name).keyConditionExpression(condition).expressionAttributeValues(values).consistentRead(true);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** A time attribute of an item, or null. */
    static java.time.Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : java.time.Instant.parse(v.s());
    }

    /** A text attribute of an item, or null. */
    static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
