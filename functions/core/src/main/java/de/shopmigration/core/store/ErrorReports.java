package de.shopmigration.core.store;

import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.TimeFormats;

import static de.shopmigration.core.store.AttributeValues.n;
import static de.shopmigration.core.store.AttributeValues.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The customer's error reports after the go-live (phase 7), each an item of its own
 * ({@code REPORT#time#id}) in the migration's partition, so no number of them can grow the
 * migration record towards DynamoDB's 400 KB. The report link stays usable through the error
 * window, with limits: one report per link every {@link #PER_LINK_PAUSE}, {@link #PER_MIGRATION} in all.
 * Each report carries its own staff links ("acknowledged", "fixed") and what staff did with it.
 */
public final class ErrorReports {

    /** More reports than this are a conversation, not a form: the page gives the address to write to. */
    public static final int PER_MIGRATION = 20;
    /** A second report through the same link waits this long (ten POSTs in a second are one report). */
    public static final Duration PER_LINK_PAUSE = Duration.ofSeconds(5);
    /**
     * How often the close-out looks for open reports at most, spread over its wait
     * ({@code timing.openReportsWaitSeconds}): 96 checks are one every 15 minutes of a day's wait,
     * and at most about 1,060 history events whatever the timing (docs/history-budget.md).
     */
    public static final int CLOSE_OUT_CHECKS = 96;
    /** The staff actions each report gets, in the order its email shows them. */
    public static final List<Purpose> STAFF_ACTIONS = List.of(Purpose.REPORT_ACKNOWLEDGED, Purpose.REPORT_FIXED);

    private final Table table;
    private final LinkStore links;
    private final Supplier<String> ids;

    ErrorReports(Table table, LinkStore links, Supplier<String> ids) {
        this.table = table;
        this.links = links;
        this.ids = ids;
    }

    /** What became of a report. */
    public enum Outcome { STORED, TOO_SOON, LIMIT_REACHED }

    /** Where a report stands: nobody has taken it on, staff are on it, or it is fixed. */
    public enum State { OPEN, ACKNOWLEDGED, FIXED }

    /**
     * A stored report and what staff did with it.
     *
     * @param number its place among the migration's reports, oldest first (staff and customer say "report 2")
     * @param note what staff wrote to the customer when they fixed it (typed text), or null
     * @param linkIds the staff links acting on this report, by purpose
     */
    public record Report(String key, int number, String description, Instant at, boolean billable, Instant acknowledgedAt,
                         Instant fixedAt, String note, Map<Purpose, String> linkIds) {
        public State state() {
            return fixedAt != null ? State.FIXED : acknowledgedAt != null ? State.ACKNOWLEDGED : State.OPEN;
        }

        /** Not fixed yet, whether or not staff are on it. */
        public boolean open() {
            return fixedAt == null;
        }
    }

    /** The outcome of filing a report, with the report when it was stored. */
    public record Filing(Outcome outcome, Optional<Report> report) {
    }

    /** Stores a report without staff links (the limits are the same). */
    public Outcome add(String migrationId, String linkId, MigrationRecord.ErrorReport report, Instant now) {
        return file(migrationId, linkId, report, now, Map.of(), now).outcome();
    }

    /**
     * Stores a report in one transaction with the record's count (capped), the link's last
     * report time (one every few seconds) and the staff links that act on it, so concurrent
     * POSTs cannot pass either limit and no report exists without its links.
     *
     * @param staffLinks fresh link ids for {@link #STAFF_ACTIONS} (may be empty)
     * @param linksExpire when those links expire
     */
    public Filing file(String migrationId, String linkId, MigrationRecord.ErrorReport report, Instant now,
                       Map<Purpose, String> staffLinks, Instant linksExpire) {
        String key = Items.REPORT + TimeFormats.sortable(now) + "#" + ids.get();
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "pk", s(Items.pk(migrationId)), "sk", s(key), "description", s(report.description()), "at", s(report.at().toString()),
                "billable", AttributeValue.fromBool(report.billable())));
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                table.updating(Items.record(migrationId), u -> u
                        .updateExpression("SET reportCount = if_not_exists(reportCount, :zero) + :one")
                        .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(reportCount) OR reportCount < :max)")
                        .expressionAttributeValues(Map.of(":zero", n(0), ":one", n(1), ":max", n(PER_MIGRATION)))),
                table.updating(Items.link(migrationId, linkId), u -> u
                        .updateExpression("SET lastReportMs = :now")
                        .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(lastReportMs) OR lastReportMs < :earliest)")
                        .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                                ":earliest", n(now.minus(PER_LINK_PAUSE).toEpochMilli()))))));
        if (!staffLinks.isEmpty()) {
            Map<String, AttributeValue> byPurpose = new HashMap<>();
            staffLinks.forEach((purpose, id) -> {
                byPurpose.put(purpose.name(), s(id));
                Link link = new Link(migrationId, id, purpose, null, now, linksExpire, null, null, key);
                writes.add(table.putting(p -> p.item(LinkStore.item(link)).conditionExpression("attribute_not_exists(pk)")));
            });
            item.put("linkIds", AttributeValue.fromM(byPurpose));
        }
        writes.add(table.putting(p -> p.item(item).conditionExpression("attribute_not_exists(sk)")));
        try {
            table.transact(writes);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = Table.reasons(e);
            if (Table.conditionFailed(reasons, 0)) {
                return new Filing(Outcome.LIMIT_REACHED, Optional.empty());
            }
            if (Table.conditionFailed(reasons, 1)) {
                return new Filing(Outcome.TOO_SOON, Optional.empty());
            }
            throw e;
        }
        return new Filing(Outcome.STORED, find(migrationId, key));
    }

    /** What a staff action on a report came to. */
    public sealed interface Handling permits Handling.Done, Handling.LinkUsed, Handling.AlreadyFixed, Handling.Gone {
        /** Stored; the report as it is now. */
        record Done(Report report) implements Handling {
        }

        record LinkUsed() implements Handling {
        }

        /** The report was fixed already (an "acknowledged" after "fixed" tells the customer nothing new). */
        record AlreadyFixed() implements Handling {
        }

        /** The link expired or was revoked in the meantime, or its report is gone. */
        record Gone() implements Handling {
        }
    }

    /**
     * Acknowledges or fixes the link's report, in one transaction with using the link: two
     * clicks cannot both count, and a report is never acknowledged after it was fixed.
     *
     * @param note for {@link Purpose#REPORT_FIXED}: what staff tell the customer, or null
     */
    public Handling handle(Link link, String note, String sourceIp, Instant now) {
        boolean fix = link.purpose() == Purpose.REPORT_FIXED;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", s(now.toString())));
        StringBuilder update = new StringBuilder(fix ? "SET fixedAt = :now" : "SET acknowledgedAt = :now");
        if (fix && note != null && !note.isBlank()) {
            update.append(", note = :note");
            values.put(":note", s(note));
        }
        String condition = "attribute_exists(pk) AND attribute_not_exists(fixedAt)" + (fix ? "" : " AND attribute_not_exists(acknowledgedAt)");
        try {
            table.transact(List.of(links.using(link, sourceIp, now),
                    table.updating(Items.key(link.migrationId(), link.reportKey()), u -> u
                            .updateExpression(update.toString()).conditionExpression(condition).expressionAttributeValues(values))));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = Table.reasons(e);
            if (Table.conditionFailed(reasons, 0)) {
                return links.find(link.migrationId(), link.id()).filter(Link::used).isPresent()
                        ? new Handling.LinkUsed() : new Handling.Gone();
            }
            if (Table.conditionFailed(reasons, 1)) {
                return find(link.migrationId(), link.reportKey()).isPresent() ? new Handling.AlreadyFixed() : new Handling.Gone();
            }
            throw e;
        }
        return find(link.migrationId(), link.reportKey()).<Handling>map(Handling.Done::new).orElseGet(Handling.Gone::new);
    }

    /** One report by its key. */
    public Optional<Report> find(String migrationId, String key) {
        return list(migrationId).stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /** Every report of a migration, oldest first, numbered from 1. */
    public List<Report> list(String migrationId) {
        List<Report> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : table.query(migrationId, Items.REPORT)) {
            Map<Purpose, String> links = new EnumMap<>(Purpose.class);
            if (i.containsKey("linkIds")) {
                i.get("linkIds").m().forEach((p, v) -> links.put(Purpose.valueOf(p), v.s()));
            }
            out.add(new Report(i.get("sk").s(), out.size() + 1, i.get("description").s(), Instant.parse(i.get("at").s()),
                    i.get("billable").bool(), Table.instant(i, "acknowledgedAt"), Table.instant(i, "fixedAt"),
                    Table.text(i, "note"), links));
        }
        return out;
    }

    /** The reports not fixed yet, oldest first. */
    public List<Report> open(String migrationId) {
        return list(migrationId).stream().filter(Report::open).toList();
    }

    /**
     * Until when the close-out waits for open reports to be fixed: the error window's end plus
     * {@code timing.openReportsWaitSeconds}. Null before the go-live (no window yet).
     */
    public static Instant closeOutWaitEnds(MigrationRecord record) {
        return record.errorWindowEndsAt() == null ? null
                : record.errorWindowEndsAt().plusSeconds(record.request().timing().openReportsWaitSeconds());
    }
}
