package de.shopmigration.core.store;

import de.shopmigration.core.DuplicateMigration;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.UnknownMigration;
import de.shopmigration.core.json.Json;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.of;
import static de.shopmigration.core.store.AttributeValues.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The migration record ({@code RECORD} in the migration's partition): opened once with the holds
 * on its domain names, read whole, and changed by targeted updates that each say what happened.
 * Every change requires the record to exist. What the DNS steps note in it is {@link DnsProgress}'.
 */
public final class RecordStore {

    private final Table table;
    private final DomainHolds domainHolds;

    RecordStore(Table table, DomainHolds domainHolds) {
        this.table = table;
        this.domainHolds = domainHolds;
    }

    /**
     * Opens the record once, in one transaction with the holds on its domain names
     * ({@link DomainHolds}). A retry with the same request finds it and changes nothing; a
     * different request under the same id is refused, and so is a request for a name another
     * running migration holds ({@link DomainHeldByAnotherMigration}).
     *
     * @return the standing link ids in effect: the proposed ones, or on a retry the first attempt's
     */
    public Map<String, String> open(MigrationRequest request, Instant now, Map<String, String> standingLinks) {
        ObjectNode item = Json.object();
        item.put("pk", Items.pk(request.migrationId()));
        item.put("sk", Items.RECORD);
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
        writes.add(table.putting(p -> p.item(AttributeValues.item(item)).conditionExpression("attribute_not_exists(pk)")));
        writes.addAll(domainHolds.takeAll(request.migrationId(), names, now));
        try {
            table.transact(writes);
            return standingLinks;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = Table.reasons(e);
            if (!Table.conditionFailed(reasons, 0)) {
                throw domainHolds.refusal(request.migrationId(), names, reasons.isEmpty() ? reasons : reasons.subList(1, reasons.size()), e);
            }
            // The record exists: a retry of this intake (its holds came with it), or another request under this id.
            MigrationRecord existing = get(request.migrationId());
            if (!Json.tree(existing.request()).equals(Json.tree(request))) {
                throw new DuplicateMigration(request.migrationId());
            }
            return existing.standingLinks();
        }
    }

    public MigrationRecord get(String migrationId) {
        return find(migrationId).orElseThrow(() -> new UnknownMigration(migrationId));
    }

    public Optional<MigrationRecord> find(String migrationId) {
        return table.get(Items.record(migrationId)).map(item -> Json.convert(AttributeValues.json(item), MigrationRecord.class));
    }

    /** The raw record as JSON, for summaries and tests that read what staff would read. */
    public ObjectNode raw(String migrationId) {
        return AttributeValues.json(table.get(Items.record(migrationId)).orElseThrow(() -> new UnknownMigration(migrationId)));
    }

    // ---- what happens to a migration ----------------------------------------------------------

    /** The go-live slots offered to the customer. */
    public void offerSlots(String migrationId, List<MigrationRecord.GoLiveSlot> offer) {
        setField(migrationId, "slotOffer", offer);
    }

    /** The go-live booked (or its cells noted). */
    public void book(String migrationId, MigrationRecord.Booking booking) {
        setField(migrationId, "booking", booking);
    }

    /** Staff cancelled the booking: the customer is asked again. */
    public void removeBooking(String migrationId) {
        update(migrationId, "REMOVE booking", null, null, null);
    }

    /** Staff asked for an abort; the execution is stopped next. */
    public void requestAbort(String migrationId, MigrationRecord.Abort request) {
        setField(migrationId, "abortRequest", request);
    }

    /** The cleanup takes a running migration over (ABORTING): false when it is not running. */
    public boolean claimAbort(String migrationId, MigrationRecord.Abort abort) {
        return update(migrationId, "SET #s = :aborting, #abort = :abort", Map.of("#s", "status", "#abort", "abort"),
                Map.of(":aborting", s(MigrationRecord.ABORTING), ":running", s(MigrationRecord.RUNNING), ":abort", of(abort)),
                "#s = :running");
    }

    /** The cleanup is done (ABORTED): false when the migration was not ABORTING. */
    public boolean markAborted(String migrationId, Instant now) {
        return update(migrationId, "SET #s = :aborted, closedAt = :now", Map.of("#s", "status"),
                Map.of(":aborted", s(MigrationRecord.ABORTED), ":now", s(now.toString()), ":aborting", s(MigrationRecord.ABORTING)),
                "#s = :aborting");
    }

    /**
     * The go-live is done: the error window's end and the report link's id, each stored the
     * first time only, so every later reader agrees on them.
     */
    public void openErrorWindow(String migrationId, Instant windowEnd, String proposedReportLinkId) {
        update(migrationId,
                "SET errorWindowEndsAt = if_not_exists(errorWindowEndsAt, :end), standingLinks.#r = if_not_exists(standingLinks.#r, :id)",
                Map.of("#r", Purpose.REPORT_ERROR.name()), Map.of(":end", s(windowEnd.toString()), ":id", s(proposedReportLinkId)), null);
    }

    /** Counts a correction of the customer's address; returns how many there were. */
    public int countCustomerEmailCorrection(String migrationId) {
        return countUp(migrationId, "customerEmailCorrections");
    }

    /** Staff corrected the customer's address: stored, and the "unreachable" mark cleared. */
    public MigrationRecord correctCustomerEmail(String migrationId, String email) {
        return updateAndRead(migrationId, "SET #r.#c.#e = :e REMOVE customerUnreachable",
                Map.of("#r", "request", "#c", "customer", "#e", "email"), Map.of(":e", AttributeValue.fromS(email)));
    }

    /**
     * Marks the customer's address as one the workflow no longer reaches, unless an earlier
     * event already marked this very address.
     *
     * @return true when this event is the one that marked it (again true when it is delivered again),
     *     false when the address was marked before by another event
     */
    public boolean markCustomerUnreachable(String migrationId, MigrationRecord.Unreachable unreachable) {
        return markUnreachable(migrationId, "customerUnreachable", unreachable);
    }

    /** As {@link #markCustomerUnreachable}, for the staff's address. */
    public boolean markStaffUnreachable(String migrationId, MigrationRecord.Unreachable unreachable) {
        return markUnreachable(migrationId, "staffUnreachable", unreachable);
    }

    private boolean markUnreachable(String migrationId, String field, MigrationRecord.Unreachable unreachable) {
        return update(migrationId, "SET #f = :u", Map.of("#f", field, "#a", "address", "#p", "problemId"),
                Map.of(":u", of(unreachable), ":id", s(unreachable.problemId()), ":a", s(unreachable.address()), ":null", s("NULL")),
                "attribute_not_exists(#f) OR attribute_type(#f, :null) OR #f.#p = :id OR #f.#a <> :a");
    }

    // ---- an answer to a wait --------------------------------------------------------------------

    /**
     * What an answer to a wait writes into the record, in the transaction that uses its link:
     * the decision, and what its purpose stores with it (each null when it stores none).
     *
     * @param downtimeStarted the downtime as maintenance mode starts it (kept if one was noted)
     */
    public record Answer(MigrationRecord.Decision decision, JsonNode answers, MigrationRecord.Downtime downtimeStarted,
                         MigrationRecord.CopyResult copy, MigrationRecord.TestAccess testAccess) {
        public static Answer of(MigrationRecord.Decision decision) {
            return new Answer(decision, null, null, null, null);
        }

        public Answer withAnswers(JsonNode questionnaire) {
            return new Answer(decision, questionnaire, downtimeStarted, copy, testAccess);
        }

        public Answer withDowntimeStarted(MigrationRecord.Downtime downtime) {
            return new Answer(decision, answers, downtime, copy, testAccess);
        }

        /** @param access the test access staff corrected with the copy, or null */
        public Answer withCopy(MigrationRecord.CopyResult result, MigrationRecord.TestAccess access) {
            return new Answer(decision, answers, downtimeStarted, result, access);
        }
    }

    /** The record's part of the transaction that answers a wait. */
    TransactWriteItem answering(String migrationId, Answer answer) {
        StringBuilder update = new StringBuilder("SET decisions = list_append(if_not_exists(decisions, :empty), :decision)");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":empty", AttributeValue.fromL(List.of()));
        values.put(":decision", AttributeValue.fromL(List.of(of(answer.decision()))));
        if (answer.answers() != null) {
            update.append(", answers = :answers");
            values.put(":answers", of(answer.answers()));
        }
        if (answer.downtimeStarted() != null) {
            update.append(", downtime = if_not_exists(downtime, :downtime)");
            values.put(":downtime", of(answer.downtimeStarted()));
        }
        if (answer.copy() != null) {
            update.append(", copies = list_append(if_not_exists(copies, :empty), :copy)");
            values.put(":copy", AttributeValue.fromL(List.of(of(answer.copy()))));
        }
        if (answer.testAccess() != null) {
            update.append(", testAccess = :access");
            values.put(":access", of(answer.testAccess()));
        }
        return table.updating(Items.record(migrationId), u -> u.updateExpression(update.toString())
                .conditionExpression("attribute_exists(pk)").expressionAttributeValues(Map.copyOf(values)));
    }

    // ---- by hand --------------------------------------------------------------------------------

    /**
     * Sets one attribute. By hand: for tests that put a record where the workflow takes long to
     * bring it, and for repairs; the workflow says what it changes through the methods above.
     */
    public void setField(String migrationId, String field, Object value) {
        update(migrationId, "SET #f = :v", Map.of("#f", field), Map.of(":v", of(value)), null);
    }

    /**
     * A targeted update of the record; the condition (may be null) guards it. By hand, as
     * {@link #setField}; and the plumbing of the named changes.
     *
     * @return false when the record is missing or the condition failed
     */
    public boolean update(String migrationId, String update, Map<String, String> names, Map<String, AttributeValue> values,
                          String condition) {
        return table.updateIf(Items.record(migrationId), b -> {
            b.updateExpression(update);
            if (names != null && !names.isEmpty()) {
                b.expressionAttributeNames(names);
            }
            if (values != null && !values.isEmpty()) {
                b.expressionAttributeValues(values);
            }
            b.conditionExpression(condition == null ? "attribute_exists(pk)" : "attribute_exists(pk) AND (" + condition + ")");
        });
    }

    /**
     * A targeted update of an existing record that answers with the whole record as it is
     * after the update: a write and the read that would follow it in one round trip.
     */
    MigrationRecord updateAndRead(String migrationId, String update, Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse response = table.update(Items.record(migrationId), b -> b.updateExpression(update)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .conditionExpression("attribute_exists(pk)").returnValues(ReturnValue.ALL_NEW));
            return Json.convert(AttributeValues.json(response.attributes()), MigrationRecord.class);
        } catch (ConditionalCheckFailedException e) {
            throw new UnknownMigration(migrationId);
        }
    }

    /** Adds one to a counter of the record and returns the new value. */
    int countUp(String migrationId, String counter) {
        return Integer.parseInt(table.update(Items.record(migrationId), b -> b
                .updateExpression("SET #c = if_not_exists(#c, :zero) + :one").conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#c", counter))
                .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(counter).n());
    }
}
