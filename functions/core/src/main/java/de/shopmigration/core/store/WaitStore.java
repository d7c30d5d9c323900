package de.shopmigration.core.store;

import de.shopmigration.core.Link;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Step;
import de.shopmigration.core.Wait;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The waits of a migration ({@code WAIT#step#round}): the newest task token, the link ids that
 * answer it, reminders, the copy tooling's signs of life, and the decision, taken once.
 */
public final class WaitStore {

    private final Table table;
    private final RecordStore records;
    private final LinkStore links;

    WaitStore(Table table, RecordStore records, LinkStore links) {
        this.table = table;
        this.records = records;
        this.links = links;
    }

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
    public Optional<Wait> open(String migrationId, Step step, int round, String taskToken, Instant now, Instant enteredAt,
                               Map<Purpose, String> proposedLinks) {
        String waitKey = Wait.key(step, round);
        AttributeValue entered = n(enteredAt.toEpochMilli());
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", s(taskToken), ":s", s(step.name()), ":r", n(round),
                ":now", s(now.toString()), ":zero", n(0), ":e", entered));
        String linkIds = "";
        if (!proposedLinks.isEmpty()) {
            values.put(":ids", linkIds(proposedLinks));
            linkIds = ", linkIds = if_not_exists(linkIds, :ids)";
        }
        String update = "SET taskToken = :t, step = :s, round = :r, openedAt = if_not_exists(openedAt, :now), "
                + "nudges = if_not_exists(nudges, :zero), enteredAt = :e" + linkIds;
        UpdateItemResponse response;
        try {
            response = table.update(Items.wait(migrationId, waitKey), b -> b.updateExpression(update)
                    .conditionExpression("attribute_not_exists(enteredAt) OR enteredAt <= :e")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        records.update(migrationId, "SET openWait = :w, openWaitEnteredAt = :e", null, Map.of(":w", s(waitKey), ":e", entered),
                "attribute_not_exists(openWaitEnteredAt) OR openWaitEnteredAt <= :e");
        return Optional.of(wait(migrationId, response.attributes()));
    }

    /**
     * Records the link ids of a wait the first time; later calls return the first ones. For a
     * wait opened without them (by a version before {@link #open} proposed them).
     */
    public Map<Purpose, String> settleLinkIds(String migrationId, String waitKey, Map<Purpose, String> proposed) {
        boolean first = table.updateIf(Items.wait(migrationId, waitKey), b -> b.updateExpression("SET linkIds = :ids")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(linkIds)")
                .expressionAttributeValues(Map.of(":ids", linkIds(proposed))));
        return first ? proposed : find(migrationId, waitKey).orElseThrow().linkIds();
    }

    private static AttributeValue linkIds(Map<Purpose, String> ids) {
        Map<String, AttributeValue> byPurpose = new HashMap<>();
        ids.forEach((p, id) -> byPurpose.put(p.name(), s(id)));
        return AttributeValue.fromM(byPurpose);
    }

    public Optional<Wait> find(String migrationId, String waitKey) {
        return table.get(Items.wait(migrationId, waitKey)).map(item -> wait(migrationId, item));
    }

    /** Notes when a copy job went to the copy tooling (the first time only). */
    public void markJobSent(String migrationId, String waitKey, Instant now) {
        table.update(Items.wait(migrationId, waitKey), b -> b.updateExpression("SET jobSentAt = if_not_exists(jobSentAt, :now)")
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
            return Optional.of(wait(migrationId, table.update(Items.wait(migrationId, waitKey), b -> b
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
            UpdateItemResponse response = table.update(Items.wait(migrationId, waitKey), b -> b
                    .updateExpression("SET nudges = if_not_exists(nudges, :zero) + :one, lastNudge = :k")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastNudge) OR lastNudge <> :k)")
                    .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":k", s(nudgeKey)))
                    .returnValues(ReturnValue.ALL_NEW));
            return Integer.parseInt(response.attributes().get("nudges").n());
        } catch (ConditionalCheckFailedException e) {
            return find(migrationId, waitKey).map(Wait::nudges).orElse(0);
        }
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

    /**
     * Uses a link, decides its wait and records the answer in one transaction, so two clicks
     * (or two links of one wait) can never both count, and an answer is stored before anyone
     * is told it was received.
     */
    public Use answer(Link link, String output, String actor, String sourceIp, Instant now, RecordStore.Answer answer) {
        try {
            table.transact(List.of(
                    links.using(link, sourceIp, now),
                    table.updating(Items.wait(link.migrationId(), link.waitKey()), u -> u
                            .updateExpression("SET resolvedAt = :now, #o = :out, resolvedBy = :by")
                            .conditionExpression("attribute_exists(pk) AND attribute_not_exists(resolvedAt)")
                            .expressionAttributeNames(Map.of("#o", "output"))
                            .expressionAttributeValues(Map.of(":now", s(now.toString()), ":out", s(output), ":by", s(actor)))),
                    records.answering(link.migrationId(), answer)));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = Table.reasons(e);
            if (Table.conditionFailed(reasons, 0)) {
                Link now2 = links.find(link.migrationId(), link.id()).orElse(link);
                return now2.used() ? new Use.LinkAlreadyUsed() : new Use.Gone();
            }
            if (Table.conditionFailed(reasons, 1)) {
                return new Use.WaitAlreadyDecided();
            }
            throw e;
        }
        return new Use.Accepted(find(link.migrationId(), link.waitKey()).orElseThrow());
    }

    private static Wait wait(String migrationId, Map<String, AttributeValue> item) {
        Map<Purpose, String> ids = new EnumMap<>(Purpose.class);
        if (item.containsKey("linkIds")) {
            item.get("linkIds").m().forEach((p, v) -> ids.put(Purpose.valueOf(p), v.s()));
        }
        return new Wait(migrationId, Step.valueOf(item.get("step").s()), Integer.parseInt(item.get("round").n()),
                item.get("taskToken").s(), ids, Table.instant(item, "openedAt"), Table.instant(item, "resolvedAt"),
                Table.text(item, "output"),
                item.containsKey("nudges") ? Integer.parseInt(item.get("nudges").n()) : 0,
                Table.instant(item, "jobSentAt"), Table.instant(item, "heartbeatAt"),
                Table.text(item, "progress"));
    }
}
