package de.shopmigration.core.store;

import de.shopmigration.core.Link;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.StaffCalendar;

import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The links of a migration ({@code LINK#id}): created once, used once (a conditional write),
 * revoked when the migration ends; and the staff calendar's pointer to its link in use.
 */
public final class LinkStore {

    private final Table table;

    LinkStore(Table table) {
        this.table = table;
    }

    public void put(Link link) {
        table.put(b -> b.item(item(link)).conditionExpression("attribute_not_exists(pk)"));
    }

    /** A new link as its item, for {@link #put} and for transactions that create links with what they act on. */
    static Map<String, AttributeValue> item(Link link) {
        Map<String, AttributeValue> item = new HashMap<>(Items.link(link.migrationId(), link.id()));
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

    public Optional<Link> find(String migrationId, String linkId) {
        return table.get(Items.link(migrationId, linkId)).map(item -> new Link(migrationId, linkId, Purpose.valueOf(item.get("purpose").s()),
                Table.text(item, "waitKey"),
                Table.instant(item, "createdAt"), Table.instant(item, "expiresAt"), Table.instant(item, "usedAt"),
                Table.instant(item, "revokedAt"), Table.text(item, "reportKey")));
    }

    private static final String USE = "SET usedAt = :now, usedFrom = :ip";
    private static final String USABLE = "attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :now";

    /**
     * The part of a transaction that uses a link: only an existing, unused, unrevoked and unexpired
     * one. On failure it returns the link's item, so the caller can tell "used" from "gone".
     */
    TransactWriteItem using(Link link, String sourceIp, Instant now) {
        return table.updating(Items.link(link.migrationId(), link.id()), u -> u.updateExpression(USE).conditionExpression(USABLE)
                .expressionAttributeValues(Map.of(":now", s(now.toString()), ":ip", s(sourceIp)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    /** Uses a link that answers no wait (an error report, an abort): once only. */
    public boolean use(Link link, String sourceIp, Instant now) {
        return table.updateIf(Items.link(link.migrationId(), link.id()), b -> b.updateExpression(USE).conditionExpression(USABLE)
                .expressionAttributeValues(Map.of(":now", s(now.toString()), ":ip", s(sourceIp))));
    }

    /** Revokes every unused link of a migration (abort, close-out) but those of the kept purposes; returns how many. */
    public int revokeOpen(String migrationId, Instant now, Purpose... keep) {
        List<Purpose> kept = List.of(keep);
        return revokeOpen(migrationId, now, item -> kept.contains(Purpose.valueOf(item.get("purpose").s())));
    }

    /** Revokes every unused link of a scope but one (the staff calendar's rotation); returns how many. */
    public int revokeOpenBut(String scope, String keptLinkId, Instant now) {
        return revokeOpen(scope, now, item -> item.get("sk").s().equals(Items.LINK + keptLinkId));
    }

    private int revokeOpen(String migrationId, Instant now, Predicate<Map<String, AttributeValue>> kept) {
        int revoked = 0;
        for (Map<String, AttributeValue> item : table.query(migrationId, Items.LINK)) {
            if (item.containsKey("usedAt") || item.containsKey("revokedAt") || kept.test(item)) {
                continue;
            }
            // false: used or revoked in the meantime, nothing left to revoke
            if (table.updateIf(Map.of("pk", item.get("pk"), "sk", item.get("sk")), b -> b.updateExpression("SET revokedAt = :now")
                    .conditionExpression("attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()))))) {
                revoked++;
            }
        }
        return revoked;
    }

    // ---- the staff calendar's standing link -------------------------------------------------

    private static Map<String, AttributeValue> calendarPointer() {
        return Items.key(StaffCalendar.SCOPE, Items.CALENDAR);
    }

    /** The id of the staff calendar link in use, if one was made. */
    public Optional<String> staffCalendarLinkId() {
        return table.get(calendarPointer()).filter(item -> item.containsKey("linkId")).map(item -> item.get("linkId").s());
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
        return table.putIf(b -> {
            b.item(item);
            if (expected == null) {
                b.conditionExpression("attribute_not_exists(pk)");
            } else if (!StaffCalendar.ANY.equals(expected)) {
                b.conditionExpression("linkId = :old").expressionAttributeValues(Map.of(":old", s(expected)));
            }
        });
    }
}
