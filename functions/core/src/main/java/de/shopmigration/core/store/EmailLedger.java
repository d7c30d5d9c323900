package de.shopmigration.core.store;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.json.Json;

import static de.shopmigration.core.store.AttributeValues.s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What became of a migration's emails: a claim per email ({@code EMAIL#key}) so each is sent
 * exactly once, and the bounces and complaints SES reported ({@code EMAILPROBLEM#id}).
 */
public final class EmailLedger {

    private final Table table;

    EmailLedger(Table table) {
        this.table = table;
    }

    /**
     * Claims the right to send one email; false when it was sent (or is being sent) already.
     *
     * @param claimant a random id of this attempt: it makes the claim idempotent, so when
     *     DynamoDB stored the claim but its answer was lost (a timeout), the SDK's retry of this
     *     very request finds its own claim and goes on, instead of taking it for someone else's
     *     and never sending the email
     */
    public boolean claim(String migrationId, String emailKey, Instant now, String claimant) {
        return table.putIf(b -> b
                .item(Map.of("pk", s(Items.pk(migrationId)), "sk", s(Items.EMAIL + emailKey), "claimedAt", s(now.toString()),
                        "claimant", s(claimant)))
                .conditionExpression("attribute_not_exists(pk) OR claimant = :me")
                .expressionAttributeValues(Map.of(":me", s(claimant))));
    }

    /**
     * Gives a claim back when sending failed, so the retried step sends the email; only this
     * claimant's, and only while no message id is recorded. If that fails too, {@code failure}
     * stays the error the state machine sees, carrying the second.
     */
    public void release(String migrationId, String emailKey, String claimant, RuntimeException failure) {
        try {
            // false: never stored, or someone else's; nothing to give back
            table.deleteIf(Items.key(migrationId, Items.EMAIL + emailKey), b -> b
                    .conditionExpression("claimant = :me AND attribute_not_exists(messageId)")
                    .expressionAttributeValues(Map.of(":me", s(claimant))));
        } catch (RuntimeException releaseFailed) {
            failure.addSuppressed(releaseFailed);
        }
    }

    public void sent(String migrationId, String emailKey, String messageId, String kind, String to) {
        table.update(Items.key(migrationId, Items.EMAIL + emailKey), b -> b
                .updateExpression("SET messageId = :m, kind = :k, recipient = :to")
                .expressionAttributeValues(Map.of(":m", s(messageId), ":k", s(kind), ":to", s(to))));
    }

    /**
     * Notes a bounce or complaint as an item of its own, once however often SNS delivers it: a
     * conditional put. Items, not a list in the record: an address can bounce as often as emails
     * go to it, and the record's size is bounded.
     *
     * @return false when it was noted before
     */
    public boolean noteProblem(String migrationId, MigrationRecord.EmailProblem problem) {
        Map<String, AttributeValue> item = new HashMap<>(AttributeValues.of(problem).m());
        item.put("pk", s(Items.pk(migrationId)));
        item.put("sk", s(Items.EMAIL_PROBLEM + problem.id()));
        return table.putIf(b -> b.item(item).conditionExpression("attribute_not_exists(sk)"));
    }

    /** Every bounce and complaint noted for a migration, in the order SES reported them. */
    public List<MigrationRecord.EmailProblem> problems(String migrationId) {
        List<MigrationRecord.EmailProblem> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.query(migrationId, Items.EMAIL_PROBLEM)) {
            ObjectNode json = AttributeValues.json(item);
            json.remove(List.of("pk", "sk"));
            out.add(Json.convert(json, MigrationRecord.EmailProblem.class));
        }
        out.sort(Comparator.comparing(MigrationRecord.EmailProblem::at));
        return out;
    }
}
