package de.shopmigration.core;

import static de.shopmigration.core.AttributeValues.n;
import static de.shopmigration.core.AttributeValues.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The customer's error reports after the go-live (phase 7), each an item of its own
 * ({@code REPORT#time#id}) in the migration's partition, so no number of them can grow the
 * migration record towards DynamoDB's 400 KB. The report link stays usable through the error
 * window, with limits: one report per link every {@link #PER_LINK_PAUSE}, {@link #PER_MIGRATION} in all.
 */
public final class ErrorReports {

    /** More reports than this are a conversation, not a form: the page gives the address to write to. */
    public static final int PER_MIGRATION = 20;
    /** A second report through the same link waits this long (ten POSTs in a second are one report). */
    public static final Duration PER_LINK_PAUSE = Duration.ofSeconds(5);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Supplier<String> ids;

    public ErrorReports(DynamoDbClient dynamo, String table, Supplier<String> ids) {
        this.dynamo = dynamo;
        this.table = table;
        this.ids = ids;
    }

    /** What became of a report. */
    public enum Outcome { STORED, TOO_SOON, LIMIT_REACHED }

    /**
     * Stores a report in one transaction with the record's count (capped) and the link's last
     * report time (one a minute), so concurrent POSTs cannot pass either limit.
     */
    public Outcome add(String migrationId, String linkId, MigrationRecord.ErrorReport report, Instant now) {
        String pk = MigrationStore.pk(migrationId);
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s(MigrationStore.RECORD)))
                            .updateExpression("SET reportCount = if_not_exists(reportCount, :zero) + :one")
                            .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(reportCount) OR reportCount < :max)")
                            .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":max", n(PER_MIGRATION)))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("LINK#" + linkId)))
                            .updateExpression("SET lastReportMs = :now")
                            .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastReportMs) OR lastReportMs < :earliest)")
                            .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                                    ":earliest", n(now.minus(PER_LINK_PAUSE).toEpochMilli())))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of(
                            "pk", s(pk), "sk", s("REPORT#" + Times.sortable(now) + "#" + ids.get()),
                            "description", s(report.description()), "at", s(report.at().toString()),
                            "billable", AttributeValue.fromBool(report.billable())))
                            .conditionExpression("attribute_not_exists(sk)")).build()));
            return Outcome.STORED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (failed(reasons, 0)) {
                return Outcome.LIMIT_REACHED;
            }
            if (failed(reasons, 1)) {
                return Outcome.TOO_SOON;
            }
            throw e;
        }
    }

    private static boolean failed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Every report of a migration, oldest first. */
    public List<MigrationRecord.ErrorReport> list(String migrationId) {
        List<MigrationRecord.ErrorReport> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.query(b -> {
                b.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(MigrationStore.pk(migrationId)), ":p", s("REPORT#"))).consistentRead(true);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            page.items().forEach(i -> out.add(new MigrationRecord.ErrorReport(i.get("description").s(), Instant.parse(i.get("at").s()),
                    i.get("billable").bool())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
