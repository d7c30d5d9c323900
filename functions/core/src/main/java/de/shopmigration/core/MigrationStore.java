package de.shopmigration.core;

import static de.shopmigration.core.AttributeValues.n;
import static de.shopmigration.core.AttributeValues.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * All DynamoDB access of the workflow, in one table. A migration's partition
 * ({@code MIGRATION#id}) holds its record ({@code RECORD}), its waits ({@code WAIT#step#round}),
 * its links ({@code LINK#id}), its email markers ({@code EMAIL#...}) and its audit trail
 * ({@code AUDIT#time#n}). Go-live cells ({@code SLOT#start}, {@link GoLiveBookings}) and the holds
 * on domain names ({@code HOLD#name}, {@link DomainHolds}) are partitions of their own; the
 * bookings' index is the partition {@code BOOKINGS}. Every write that must
 * happen once is a conditional write.
 */
public final class MigrationStore {

    public static final String RECORD = "RECORD";
    /** How often an audit entry looks for a free key before the write is given up. */
    private static final int AUDIT_KEY_ATTEMPTS = 8;
    private final DynamoDbClient dynamo;
    private final String table;
    private final java.util.function.Supplier<String> uniqueIds;
    private final ErrorReports errorReports;
    private final Rejections rejections;
    private final DomainHolds domainHolds;
    private final Retention retention;
    private final DataExpiry expiry;
    private final GoLiveBookings bookings;

    public MigrationStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, new RandomIds());
    }

    /** @param uniqueIds the audit keys' random part (a source renewed after SnapStart restores) */
    public MigrationStore(DynamoDbClient dynamo, String table, java.util.function.Supplier<String> uniqueIds) {
        this(dynamo, table, uniqueIds, Retention.DEFAULT);
    }

    /** @param retention how long items are kept (the table's time to live) */
    public MigrationStore(DynamoDbClient dynamo, String table, java.util.function.Supplier<String> uniqueIds, Retention retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.uniqueIds = uniqueIds;
        this.retention = retention;
        this.errorReports = new ErrorReports(this, dynamo, uniqueIds);
        this.rejections = new Rejections(dynamo, table, retention);
        this.domainHolds = new DomainHolds(dynamo, table);
        this.expiry = new DataExpiry(this, dynamo, retention);
        this.bookings = new GoLiveBookings(dynamo, table, retention);
    }

    public String table() {
        return table;
    }

    /** The customer's error reports, items of their own. */
    public ErrorReports errorReports() {
        return errorReports;
    }

    /** Which running migration holds each domain name. */
    public DomainHolds domainHolds() {
        return domainHolds;
    }

    /** When the items of an ended migration are deleted (the table's time to live). */
    public DataExpiry expiry() {
        return expiry;
    }

    /** The go-live bookings across migrations: places in time (capacity by overlap) and the staff calendar's index. */
    public GoLiveBookings bookings() {
        return bookings;
    }

    /** Rejected requests, aggregated per reason and source. */
    public Rejections rejections() {
        return rejections;
    }

    public static String pk(String migrationId) {
        return "MIGRATION#" + migrationId;
    }

    private static Map<String, AttributeValue> key(String migrationId, String sk) {
        return Map.of("pk", s(pk(migrationId)), "sk", s(sk));
    }

    // ---- the record -------------------------------------------------------------------------

    /**
     * Opens the record once, in one transaction with the holds on its domain names
     * ({@link DomainHolds}). A retry with the same request finds it and changes nothing; a
     * different request under the same id is refused, and so is a request for a name another
     * running migration holds ({@link DomainHeldByAnotherMigration}).
     *
     * @return the standing link ids in effect: the proposed ones, or on a retry the first attempt's
     */
    public Map<String, String> createRecord(MigrationRequest request, Instant now, Map<String, String> standingLinks) {
        ObjectNode item = Json.object();
        item.put("pk", pk(request.migrationId()));
        item.put("sk", RECORD);
        item.put("migrationId", request.migrationId());
        item.put("status", MigrationRecord.RUNNING);
        item.put("currentPhase", 0);
        item.putArray("phaseLog");
        item.set("request", Json.tree(request));
        item.put("createdAt", now.toString());
        item.putObject("answers");
        ObjectNode dns = item.putObject("dns");
        dns.putObject("originals");
        dns.putObject("external");
        dns.putArray("skipped");
        item.putArray("slotOffer");
        item.putArray("copies");
        item.putArray("decisions");
        item.putArray("reports");
        item.set("standingLinks", Json.tree(standingLinks));
        List<String> names = DomainHolds.names(request);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(AttributeValues.item(item))
                .conditionExpression("attribute_not_exists(pk)")).build());
        writes.addAll(domainHolds.takeAll(request.migrationId(), names, now));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(writes));
            return standingLinks;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (reasons.isEmpty() || !"ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw domainHolds.refusal(request.migrationId(), names, reasons.isEmpty() ? reasons : reasons.subList(1, reasons.size()), e);
            }
            // The record exists: a retry of this intake (its holds came with it), or another request under this id.
            MigrationRecord existing = record(request.migrationId());
            if (!Json.tree(existing.request()).equals(Json.tree(request))) {
                throw new DuplicateMigration(request.migrationId());
            }
            return existing.standingLinks();
        }
    }

    public MigrationRecord record(String migrationId) {
        return findRecord(migrationId).orElseThrow(() -> new UnknownMigration(migrationId));
    }

    public Optional<MigrationRecord> findRecord(String migrationId) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(migrationId, RECORD)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Json.convert(AttributeValues.json(response.item()), MigrationRecord.class));
    }

    /** The raw record as JSON, for summaries and tests that read what staff would read. */
    public ObjectNode rawRecord(String migrationId) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(migrationId, RECORD)).consistentRead(true));
        if (!response.hasItem()) {
            throw new UnknownMigration(migrationId);
        }
        return AttributeValues.json(response.item());
    }

    /** A targeted update of the record; the condition (may be null) guards it. */
    public boolean updateRecord(String migrationId, String update, Map<String, String> names,
                                Map<String, AttributeValue> values, String condition) {
        try {
            dynamo.updateItem(b -> {
                b.tableName(table).key(key(migrationId, RECORD)).updateExpression(update);
                if (names != null && !names.isEmpty()) {
                    b.expressionAttributeNames(names);
                }
                if (values != null && !values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
                b.conditionExpression(condition == null ? "attribute_exists(pk)" : "attribute_exists(pk) AND (" + condition + ")");
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * A targeted update of an existing record that answers with the whole record as it is
     * after the update: a write and the read that would follow it in one round trip.
     */
    public MigrationRecord updateRecordAndRead(String migrationId, String update, Map<String, String> names,
                                               Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, RECORD))
                    .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values)
                    .conditionExpression("attribute_exists(pk)").returnValues(ReturnValue.ALL_NEW));
            return Json.convert(AttributeValues.json(response.attributes()), MigrationRecord.class);
        } catch (ConditionalCheckFailedException e) {
            throw new UnknownMigration(migrationId);
        }
    }

    /** Adds one to a counter of the record and returns the new value. */
    public int countUp(String migrationId, String counter) {
        return Integer.parseInt(dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, RECORD))
                .updateExpression("SET #c = if_not_exists(#c, :zero) + :one").conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#c", counter))
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(counter).n());
    }

    public void appendToRecordList(String migrationId, String listName, Object entry) {
        updateRecord(migrationId, "SET #l = list_append(if_not_exists(#l, :empty), :entry)",
                Map.of("#l", listName),
                Map.of(":empty", AttributeValue.fromL(List.of()), ":entry", AttributeValue.fromL(List.of(AttributeValues.of(entry)))),
                null);
    }

    public void setRecordField(String migrationId, String field, Object value) {
        updateRecord(migrationId, "SET #f = :v", Map.of("#f", field), Map.of(":v", AttributeValues.of(value)), null);
    }

    // ---- bounces and complaints -------------------------------------------------------------

    /**
     * Notes a bounce or complaint as an item of its own ({@code EMAILPROBLEM#id}), once however
     * often SNS delivers it: a conditional put. Items, not a list in the record: an address can
     * bounce as often as emails go to it, and the record's size is bounded.
     *
     * @return false when it was noted before
     */
    public boolean noteEmailProblem(String migrationId, MigrationRecord.EmailProblem problem) {
        Map<String, AttributeValue> item = new HashMap<>(AttributeValues.of(problem).m());
        item.put("pk", s(pk(migrationId)));
        item.put("sk", s("EMAILPROBLEM#" + problem.id()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(sk)"));
            return true;
        } catch (ConditionalCheckFailedException noted) {
            return false;
        }
    }

    /** Every bounce and complaint noted for a migration, in the order SES reported them. */
    public List<MigrationRecord.EmailProblem> emailProblems(String migrationId) {
        List<MigrationRecord.EmailProblem> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(migrationId, "EMAILPROBLEM#")) {
            ObjectNode json = AttributeValues.json(item);
            json.remove(List.of("pk", "sk"));
            out.add(Json.convert(json, MigrationRecord.EmailProblem.class));
        }
        out.sort(java.util.Comparator.comparing(MigrationRecord.EmailProblem::at));
        return out;
    }

    /**
     * Marks the customer's ({@code customerUnreachable}) or staff's ({@code staffUnreachable})
     * address as one the workflow no longer reaches, unless an earlier event already marked
     * this very address.
     *
     * @return true when this event is the one that marked it (again true when it is delivered again),
     *     false when the address was marked before by another event
     */
    public boolean markUnreachable(String migrationId, String field, MigrationRecord.Unreachable unreachable) {
        return updateRecord(migrationId, "SET #f = :u", Map.of("#f", field, "#a", "address", "#p", "problemId"),
                Map.of(":u", AttributeValues.of(unreachable), ":id", s(unreachable.problemId()), ":a", s(unreachable.address()),
                        ":null", s("NULL")),
                "attribute_not_exists(#f) OR attribute_type(#f, :null) OR #f.#p = :id OR #f.#a <> :a");
    }

    // ---- waits ------------------------------------------------------------------------------

    /**
     * Stores the newest task token of a wait (a reminder re-enters the wait and gets a new one)
     * and marks the wait as the migration's open one. Entries are ordered by the time the state
     * machine entered the wait: an invocation that arrives after a later entry (or after a later
     * wait was opened) is stale and changes nothing.
     *
     * @param enteredAt when the state machine entered the wait's state ({@code $$.State.EnteredTime})
     * @param proposedLinks link ids for the wait's answers, kept only if the wait has none yet
     *     (the first entry's ids stay valid through every re-entry); in the same write, so
     *     opening a wait is one round trip
     * @return the wait, or empty when this entry is stale
     */
    public Optional<Wait> openWait(String migrationId, Step step, int round, String taskToken, Instant now, Instant enteredAt,
                                   Map<Purpose, String> proposedLinks) {
        String waitKey = Wait.key(step, round);
        AttributeValue entered = n(enteredAt.toEpochMilli());
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", s(taskToken), ":s", s(step.name()), ":r", n(round),
                ":now", s(now.toString()), ":zero", n(0), ":e", entered));
        String links = "";
        if (!proposedLinks.isEmpty()) {
            values.put(":ids", linkIds(proposedLinks));
            links = ", linkIds = if_not_exists(linkIds, :ids)";
        }
        String update = "SET taskToken = :t, step = :s, round = :r, openedAt = if_not_exists(openedAt, :now), "
                + "nudges = if_not_exists(nudges, :zero), enteredAt = :e" + links;
        UpdateItemResponse response;
        try {
            response = dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey))
                    .updateExpression(update)
                    .conditionExpression("attribute_not_exists(enteredAt) OR enteredAt <= :e")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        updateRecord(migrationId, "SET openWait = :w, openWaitEnteredAt = :e", null, Map.of(":w", s(waitKey), ":e", entered),
                "attribute_not_exists(openWaitEnteredAt) OR openWaitEnteredAt <= :e");
        return Optional.of(wait(migrationId, response.attributes()));
    }

    /**
     * Records the link ids of a wait the first time; later calls return the first ones. For a
     * wait opened without them (by a version before {@link #openWait} proposed them).
     */
    public Map<Purpose, String> waitLinks(String migrationId, String waitKey, Map<Purpose, String> proposed) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey))
                    .updateExpression("SET linkIds = :ids")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(linkIds)")
                    .expressionAttributeValues(Map.of(":ids", linkIds(proposed))));
            return proposed;
        } catch (ConditionalCheckFailedException e) {
            return findWait(migrationId, waitKey).orElseThrow().linkIds();
        }
    }

    private static AttributeValue linkIds(Map<Purpose, String> ids) {
        Map<String, AttributeValue> byPurpose = new HashMap<>();
        ids.forEach((p, id) -> byPurpose.put(p.name(), s(id)));
        return AttributeValue.fromM(byPurpose);
    }

    public Optional<Wait> findWait(String migrationId, String waitKey) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey)).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(wait(migrationId, response.item())) : Optional.empty();
    }

    /** Notes when a copy job went to the copy tooling (the first time only). */
    public void markJobSent(String migrationId, String waitKey, Instant now) {
        dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey))
                .updateExpression("SET jobSentAt = if_not_exists(jobSentAt, :now)")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":now", s(now.toString()))));
    }

    /**
     * Notes a sign of life from the copy tooling while the wait is open.
     *
     * @return the wait (with its current task token), or empty when it was already decided
     */
    public Optional<Wait> heartbeat(String migrationId, String waitKey, Instant now, String progress) {
        try {
            return Optional.of(wait(migrationId, dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey))
                    .updateExpression("SET heartbeatAt = :now, progress = :p")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(resolvedAt)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()), ":p", s(progress)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Counts one reminder for a wait, once per reminder state entry (a retried reminder step
     * carries the same key and does not count twice). Returns the number of reminders so far.
     */
    public int nudge(String migrationId, String waitKey, String nudgeKey) {
        try {
            UpdateItemResponse response = dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "WAIT#" + waitKey))
                    .updateExpression("SET nudges = if_not_exists(nudges, :zero) + :one, lastNudge = :k")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastNudge) OR lastNudge <> :k)")
                    .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":k", s(nudgeKey)))
                    .returnValues(ReturnValue.ALL_NEW));
            return Integer.parseInt(response.attributes().get("nudges").n());
        } catch (ConditionalCheckFailedException e) {
            return findWait(migrationId, waitKey).map(Wait::nudges).orElse(0);
        }
    }

    private static Wait wait(String migrationId, Map<String, AttributeValue> item) {
        Map<Purpose, String> ids = new EnumMap<>(Purpose.class);
        if (item.containsKey("linkIds")) {
            item.get("linkIds").m().forEach((p, v) -> ids.put(Purpose.valueOf(p), v.s()));
        }
        return new Wait(migrationId, Step.valueOf(item.get("step").s()), Integer.parseInt(item.get("round").n()),
                item.get("taskToken").s(), ids, instant(item, "openedAt"), instant(item, "resolvedAt"),
                item.containsKey("output") ? item.get("output").s() : null,
                item.containsKey("nudges") ? Integer.parseInt(item.get("nudges").n()) : 0,
                instant(item, "jobSentAt"), instant(item, "heartbeatAt"),
                item.containsKey("progress") ? item.get("progress").s() : null);
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? null : Instant.parse(v.s());
    }

    // ---- links ------------------------------------------------------------------------------

    public void putLink(Link link) {
        dynamo.putItem(b -> b.tableName(table).item(linkItem(link)).conditionExpression("attribute_not_exists(pk)"));
    }

    /** A new link as its item, for {@link #putLink} and for transactions that create links with what they act on. */
    static Map<String, AttributeValue> linkItem(Link link) {
        Map<String, AttributeValue> item = new HashMap<>(key(link.migrationId(), "LINK#" + link.id()));
        item.put("purpose", s(link.purpose().name()));
        if (link.waitKey() != null) {
            item.put("waitKey", s(link.waitKey()));
        }
        if (link.reportKey() != null) {
            item.put("reportKey", s(link.reportKey()));
        }
        item.put("createdAt", s(link.createdAt().toString()));
        item.put("expiresAt", s(link.expiresAt().toString()));
        return item;
    }

    /**
     * The part of a transaction that uses a link: only an existing, unused, unrevoked and unexpired
     * one. On failure it returns the link's item, so the caller can tell "used" from "gone".
     */
    TransactWriteItem linkUse(Link link, String sourceIp, Instant now) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(link.migrationId(), "LINK#" + link.id()))
                .updateExpression("SET usedAt = :now, usedFrom = :ip")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :now")
                .expressionAttributeValues(Map.of(":now", s(now.toString()), ":ip", s(sourceIp)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    public Optional<Link> link(String migrationId, String linkId) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(table).key(key(migrationId, "LINK#" + linkId)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new Link(migrationId, linkId, Purpose.valueOf(item.get("purpose").s()),
                item.containsKey("waitKey") ? item.get("waitKey").s() : null,
                instant(item, "createdAt"), instant(item, "expiresAt"), instant(item, "usedAt"), instant(item, "revokedAt"),
                item.containsKey("reportKey") ? item.get("reportKey").s() : null));
    }

    /** The outcome of trying to use a link that answers a wait. */
    public sealed interface Use permits Use.Accepted, Use.LinkAlreadyUsed, Use.WaitAlreadyDecided, Use.Gone {
        /** The link was unused and the wait open: both are now closed; the token is returned. */
        record Accepted(Wait decided) implements Use {
        }

        record LinkAlreadyUsed() implements Use {
        }

        /** Another link of the same wait (e.g. "problems found" after "all passed") came first. */
        record WaitAlreadyDecided() implements Use {
        }

        /** Expired or revoked in the meantime. */
        record Gone() implements Use {
        }
    }

    /** An update of the record that happens together with a decision, or not at all. */
    public record RecordChange(String update, Map<String, String> names, Map<String, AttributeValue> values) {
        public RecordChange {
            names = Map.copyOf(names);
            values = Map.copyOf(values);
        }
    }

    /**
     * Uses a link, decides its wait and records the decision in one transaction, so two clicks
     * (or two links of one wait) can never both count, and an answer is stored before anyone
     * is told it was received.
     */
    public Use useLinkForWait(Link link, String output, String actor, String sourceIp, Instant now, RecordChange change) {
        String waitSk = "WAIT#" + link.waitKey();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    linkUse(link, sourceIp, now),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(key(link.migrationId(), waitSk))
                            .updateExpression("SET resolvedAt = :now, #o = :out, resolvedBy = :by")
                            .conditionExpression("attribute_exists(pk) AND attribute_not_exists(resolvedAt)")
                            .expressionAttributeNames(Map.of("#o", "output"))
                            .expressionAttributeValues(Map.of(":now", s(now.toString()), ":out", s(output), ":by", s(actor)))).build(),
                    TransactWriteItem.builder().update(u -> {
                        u.tableName(table).key(key(link.migrationId(), RECORD)).updateExpression(change.update())
                                .conditionExpression("attribute_exists(pk)").expressionAttributeValues(change.values());
                        if (!change.names().isEmpty()) {
                            u.expressionAttributeNames(change.names());
                        }
                    }).build()));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean linkFailed = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code());
            if (linkFailed) {
                Link now2 = link(link.migrationId(), link.id()).orElse(link);
                return now2.used() ? new Use.LinkAlreadyUsed() : new Use.Gone();
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                return new Use.WaitAlreadyDecided();
            }
            throw e;
        }
        return new Use.Accepted(findWait(link.migrationId(), link.waitKey()).orElseThrow());
    }

    /** Uses a link that answers no wait (an error report, an abort): once only. */
    public boolean useLink(Link link, String sourceIp, Instant now) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(link.migrationId(), "LINK#" + link.id()))
                    .updateExpression("SET usedAt = :now, usedFrom = :ip")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :now")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()), ":ip", s(sourceIp))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Revokes every unused link of a migration (abort, close-out); returns how many. */
    public int revokeOpenLinks(String migrationId, Instant now, Purpose... keep) {
        List<Purpose> kept = List.of(keep);
        return revokeOpenLinks(migrationId, now, item -> kept.contains(Purpose.valueOf(item.get("purpose").s())));
    }

    /** Revokes every unused link of a scope but one (the staff calendar's rotation); returns how many. */
    public int revokeOpenLinksBut(String scope, String keptLinkId, Instant now) {
        return revokeOpenLinks(scope, now, item -> item.get("sk").s().equals("LINK#" + keptLinkId));
    }

    private int revokeOpenLinks(String migrationId, Instant now, java.util.function.Predicate<Map<String, AttributeValue>> kept) {
        int revoked = 0;
        for (Map<String, AttributeValue> item : query(migrationId, "LINK#")) {
            if (item.containsKey("usedAt") || item.containsKey("revokedAt") || kept.test(item)) {
                continue;
            }
            try {
                dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                        .updateExpression("SET revokedAt = :now")
                        .conditionExpression("attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt)")
                        .expressionAttributeValues(Map.of(":now", s(now.toString()))));
                revoked++;
            } catch (ConditionalCheckFailedException e) {
                // used or revoked in the meantime: nothing left to revoke
            }
        }
        return revoked;
    }

    // ---- go-live slots ------------------------------------------------------------------------

    /** Who holds a place at this moment (the cell starting here): the start cell of a slot. */
    public List<String> slotHolders(Instant cell) {
        return bookings.holders(cell);
    }

    // ---- the staff calendar's standing link -------------------------------------------------

    private static Map<String, AttributeValue> calendarPointer() {
        return key(StaffCalendar.SCOPE, "CALENDAR");
    }

    /** The id of the staff calendar link in use, if one was made. */
    public Optional<String> staffCalendarLinkId() {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(calendarPointer()).consistentRead(true));
        return r.hasItem() && r.item().containsKey("linkId") ? Optional.of(r.item().get("linkId").s()) : Optional.empty();
    }

    /**
     * Makes another link the staff calendar's, if the one in use is still {@code expected} (null:
     * none yet, or any when {@code expected} is {@link StaffCalendar#ANY}); false when someone else
     * changed it first.
     */
    public boolean replaceStaffCalendarLinkId(String expected, String linkId, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(calendarPointer());
        item.put("linkId", s(linkId));
        item.put("since", s(now.toString()));
        try {
            dynamo.putItem(b -> {
                b.tableName(table).item(item);
                if (expected == null) {
                    b.conditionExpression("attribute_not_exists(pk)");
                } else if (!StaffCalendar.ANY.equals(expected)) {
                    b.conditionExpression("linkId = :old").expressionAttributeValues(Map.of(":old", s(expected)));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    // ---- documents (attachments written by the documents function) -------------------------

    /** Stores a document of a migration (a few KB; DynamoDB items hold up to 400 KB). */
    public void putDocument(String migrationId, String kind, de.shopmigration.core.mail.Attachment document) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk(migrationId)), "sk", s("DOC#" + kind),
                "filename", s(document.filename()), "contentType", s(document.contentType()),
                "content", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(document.content())))));
    }

    public Optional<de.shopmigration.core.mail.Attachment> document(String migrationId, String kind) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(migrationId, "DOC#" + kind)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new de.shopmigration.core.mail.Attachment(r.item().get("filename").s(),
                r.item().get("contentType").s(), r.item().get("content").b().asByteArray()));
    }

    // ---- emails (exactly once) --------------------------------------------------------------

    /** Claims the right to send one email; false when it was sent (or is being sent) already. */
    /**
     * @param claimant a random id of this attempt: it makes the claim idempotent, so when
     *     DynamoDB stored the claim but its answer was lost (a timeout), the SDK's retry of this
     *     very request finds its own claim and goes on, instead of taking it for someone else's
     *     and never sending the email
     */
    public boolean claimEmail(String migrationId, String emailKey, Instant now, String claimant) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("pk", s(pk(migrationId)), "sk", s("EMAIL#" + emailKey), "claimedAt", s(now.toString()),
                            "claimant", s(claimant)))
                    .conditionExpression("attribute_not_exists(pk) OR claimant = :me")
                    .expressionAttributeValues(Map.of(":me", s(claimant))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Gives a claim back when sending failed, so the retried step sends the email; only this
     * claimant's, and only while no message id is recorded. If that fails too, {@code failure}
     * stays the error the state machine sees, carrying the second.
     */
    public void releaseEmail(String migrationId, String emailKey, String claimant, RuntimeException failure) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(migrationId, "EMAIL#" + emailKey))
                    .conditionExpression("claimant = :me AND attribute_not_exists(messageId)")
                    .expressionAttributeValues(Map.of(":me", s(claimant))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Never stored, or someone else's: nothing to give back.
        } catch (RuntimeException releaseFailed) {
            failure.addSuppressed(releaseFailed);
        }
    }

    public void emailSent(String migrationId, String emailKey, String messageId, String kind, String to) {
        dynamo.updateItem(b -> b.tableName(table).key(key(migrationId, "EMAIL#" + emailKey))
                .updateExpression("SET messageId = :m, kind = :k, recipient = :to")
                .expressionAttributeValues(Map.of(":m", s(messageId), ":k", s(kind), ":to", s(to))));
    }

    // ---- audit trail ------------------------------------------------------------------------

    public record AuditEntry(Instant at, String actor, String action, String detail, String sourceIp) {
    }

    /**
     * Adds an entry to the trail; it never replaces another. The key's random part comes from a
     * source renewed after every SnapStart restore, and the write is conditional: should two
     * environments still draw the same key, the second takes the next one. A write whose answer
     * was lost and that the SDK sent again finds its own item and is done.
     */
    public void audit(String migrationId, AuditEntry entry) {
        Map<String, AttributeValue> item = auditItem(migrationId, entry);
        for (int attempt = 1; ; attempt++) {
            item.put("sk", s("AUDIT#" + Times.sortable(entry.at()) + "#" + uniqueIds.get()));
            try {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(sk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return;
            } catch (ConditionalCheckFailedException taken) {
                if (item.equals(taken.item())) {
                    return;
                }
                if (attempt == AUDIT_KEY_ATTEMPTS) {
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
    public void auditOnce(String migrationId, AuditEntry entry, String eventId) {
        Map<String, AttributeValue> item = auditItem(migrationId, entry);
        item.put("sk", s("AUDIT#" + Times.sortable(entry.at()) + "#" + eventId));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(sk)"));
        } catch (ConditionalCheckFailedException written) {
            // the same event, delivered again
        }
    }

    private Map<String, AttributeValue> auditItem(String migrationId, AuditEntry entry) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk(migrationId)));
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
    public List<AuditEntry> auditTrail(String migrationId) {
        List<AuditEntry> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(migrationId, "AUDIT#")) {
            if (Rejections.isAggregate(item.get("sk").s())) {
                out.add(Rejections.entry(item));
                continue;
            }
            out.add(new AuditEntry(Instant.parse(item.get("at").s()), item.get("actor").s(), item.get("action").s(),
                    item.containsKey("detail") ? item.get("detail").s() : null,
                    item.containsKey("sourceIp") ? item.get("sourceIp").s() : null));
        }
        out.sort(java.util.Comparator.comparing(AuditEntry::at));
        return out;
    }

    /** Every item of a migration whose sort key starts with the prefix, all pages. */
    public List<Map<String, AttributeValue>> query(String migrationId, String skPrefix) {
        return queryPages("pk = :pk AND begins_with(sk, :p)", Map.of(":pk", s(pk(migrationId)), ":p", s(skPrefix)));
    }

    /** Every item of a migration's partition, all pages. */
    public List<Map<String, AttributeValue>> partition(String migrationId) {
        return queryPages("pk = :pk", Map.of(":pk", s(pk(migrationId))));
    }

    private List<Map<String, AttributeValue>> queryPages(String condition, Map<String, AttributeValue> values) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> {
                b.tableName(table).keyConditionExpression(condition).expressionAttributeValues(values).consistentRead(true);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    public static JsonNode toJson(Object value) {
        return Json.tree(value);
    }
}
