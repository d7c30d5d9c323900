package de.shopmigration.dns;

import static de.shopmigration.dns.ChangePlanner.TYPES;
import static de.shopmigration.dns.ChangePlanner.withTtlSkips;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Metrics;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRecord.RecordOriginal;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.store.MigrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.time.Duration;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The DNS side of a migration in Route 53. Every step sends at most one change batch per zone
 * and returns the change ids; the state machine waits for INSYNC (no Lambda sleeps). Original
 * TTLs and values are stored once, before the first change, and never overwritten. What each
 * step changes is {@link ChangePlanner}'s to decide; this class reads the zones, keeps the
 * record and sends the batches. What the authoritative servers answer is {@link DnsChecks}'s.
 */
public final class DnsLifecycle {

    /** Values of one moving record the workflow keeps as its original; a record with more is left to staff. */
    public static final int MAX_VALUES_PER_RECORD = ChangePlanner.MAX_VALUES_PER_RECORD;

    private final Route53Client route53;
    private final MigrationStore store;
    private final java.time.Clock clock;
    /** Lookups are needed only for domains with DNS elsewhere and the phase 5 check: set up then. */
    private final Supplier<DnsLookup> lookups;
    private final DnsChecks checks;

    public DnsLifecycle(Route53Client route53, MigrationStore store, java.time.Clock clock, DnsLookup lookup) {
        this(route53, store, clock, de.shopmigration.core.lambda.Lazy.ready(lookup),
                Metrics.from(new de.shopmigration.core.lambda.Env(Map.of()), clock));
    }

    public DnsLifecycle(Route53Client route53, MigrationStore store, java.time.Clock clock, Supplier<DnsLookup> lookups, Metrics metrics) {
        this.route53 = route53;
        this.store = store;
        this.clock = clock;
        this.lookups = lookups;
        this.checks = new DnsChecks(route53, store, clock, lookups, metrics);
    }

    /**
     * SnapStart priming: the DNS library set up and a Route 53 read of one allowed hosted zone
     * (its record listing, as lowering and switching read it); nothing changed.
     */
    public void prime(Optional<String> zoneId) {
        lookups.get();
        zoneId.ifPresent(zone -> route53.listResourceRecordSets(b -> b.hostedZoneId(zone).maxItems("1")));
    }

    /** Phase 1: remember each moving record's TTL and values once, then lower the TTL. */
    public ObjectNode lowerTtls(String migrationId) {
        MigrationRecord record = running(migrationId);
        MigrationRequest request = record.request();
        Map<String, ZoneRecords> zones = zones(request.route53Domains().stream().map(MigrationRequest.Domain::hostedZoneId).toList());
        ChangePlanner.Survey survey = ChangePlanner.survey(request.route53Domains(), zones);
        List<String> skipped = survey.skipped();
        Map<String, RecordOriginal> found = survey.found();
        // After a partial failure the stored originals are the true ones, not the zone's: an
        // earlier attempt's originals stay, and the skipped list is written with them.
        Map<String, RecordOriginal> expected = survey.storedWith(record.dns().originals());
        List<String> skippedAll = withTtlSkips(skipped, expected, request.targetTtl());
        Map<String, RecordOriginal> originals = rememberOriginals(record, found, skippedAll);
        if (!originals.equals(expected)) {
            // A concurrent attempt stored its originals first: they count.
            skippedAll = withTtlSkips(skipped, originals, request.targetTtl());
            storeSkipped(migrationId, skippedAll);
        }
        checks.rememberExternalOriginals(migrationId, request);
        ChangePlanner.Plan plan = ChangePlanner.lower(originals.values(), zones, request.targetTtl());
        return result(submit(migrationId, plan.batches(), "lower the TTL to " + request.targetTtl() + " s"), skippedAll,
                originals.size(), request.externalDomains().size());
    }

    private void storeSkipped(String migrationId, List<String> skipped) {
        store.dns().storeSkipped(migrationId, skipped);
    }

    /**
     * Stores each found record's original unless one is stored already, and the skipped list
     * with the last of them; returns the originals stored then (the update answers with the
     * record as it is after it, so no second read).
     */
    private Map<String, RecordOriginal> rememberOriginals(MigrationRecord record, Map<String, RecordOriginal> found,
                                                          List<String> skipped) {
        String migrationId = record.migrationId();
        if (found.isEmpty()) {
            storeSkipped(migrationId, skipped);
            return record.dns().originals();
        }
        return store.dns().rememberOriginals(migrationId, found, skipped);
    }

    /**
     * How long a change may stay PENDING before the workflow stops waiting for Route 53's INSYNC:
     * Route 53 applies every change it accepted (usually within a minute), so the poll ends then
     * and the audit trail says the propagation was not confirmed.
     */
    static final Duration SYNC_PATIENCE = Duration.ofHours(1);
    /** The longest pause between two polls of a pending change. */
    static final long LONGEST_POLL_SECONDS = 300;

    /**
     * Polled by the state machine: are all changes INSYNC? Records when they became so, and says
     * when to look again: the pause grows with the time the change has been pending (a quarter
     * of it, from {@code pollSeconds} up to five minutes), so a poll loop takes some 40 rounds
     * at most before {@link #SYNC_PATIENCE} ends it.
     */
    public ObjectNode checkSync(String migrationId, String operation, List<String> changeIds, long pollSeconds) {
        Instant now = clock.instant();
        boolean inSync = true;
        Duration pending = Duration.ZERO;
        for (String id : changeIds) {
            var info = route53.getChange(b -> b.id(id)).changeInfo();
            if (info.status() != ChangeStatus.INSYNC) {
                inSync = false;
                pending = info.submittedAt() == null ? Duration.ZERO : Duration.between(info.submittedAt(), now);
                break;
            }
        }
        boolean gaveUp = !inSync && pending.compareTo(SYNC_PATIENCE) > 0;
        ObjectNode result = Json.object().put("inSync", inSync || gaveUp)
                .put("nextPollSeconds", Math.max(pollSeconds, Math.min(LONGEST_POLL_SECONDS, pending.getSeconds() / 4)));
        if (gaveUp) {
            store.audit().add(migrationId, new AuditEntry(now, "system", "Route 53 did not confirm the change (" + operation + ")",
                    "still PENDING after " + pending.toMinutes() + " minutes; the migration goes on, as Route 53 applies every change it accepted", null));
        }
        if (inSync || gaveUp) {
            String field = switch (operation) {
                case "LOWER" -> "loweredAt";
                case "SWITCH" -> "switchedAt";
                case "RESTORE" -> "restoredAt";
                case "ROLLBACK" -> "switchedBackAt";
                default -> throw new IllegalArgumentException("Unknown DNS operation " + operation);
            };
            store.dns().changeDone(migrationId, field, now);
        }
        return result;
    }

    /** Phase 6: each moving record from its recorded values to the new server (see {@link ChangePlanner#switchTo}). */
    public ObjectNode switchToNewServer(String migrationId) {
        MigrationRecord record = running(migrationId);
        MigrationRequest request = record.request();
        Collection<RecordOriginal> originals = record.dns().originals().values();
        ChangePlanner.Target target = ChangePlanner.Target.of(request);
        ChangePlanner.Plan plan = ChangePlanner.switchTo(originals, zones(ChangePlanner.zonesToSwitch(originals, target)), target,
                request.targetTtl());
        return result(submit(migrationId, plan.batches(), "switch to " + request.newIp()), List.of(), plan.batches().size(),
                request.externalDomains().size());
    }

    /** Phase 7: every lowered TTL back to its original, keeping the record's current values. */
    public ObjectNode restoreTtls(String migrationId) {
        Collection<RecordOriginal> originals = running(migrationId).dns().originals().values();
        ChangePlanner.Plan plan = ChangePlanner.restore(originals, zonesOf(originals));
        return result(submit(migrationId, plan.batches(), "restore the original TTLs"), List.of(), plan.batches().size(), 0);
    }

    /** Abort: undo whatever was done (see {@link ChangePlanner#rollback}). */
    public ObjectNode rollback(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        MigrationRequest request = record.request();
        Collection<RecordOriginal> originals = record.dns().originals().values();
        ChangePlanner.Plan plan = ChangePlanner.rollback(originals, zonesOf(originals),
                ChangePlanner.Target.of(request), record.dns().switchedAt() != null);
        ObjectNode result = result(submit(migrationId, plan.batches(), "roll back"), List.of(), plan.batches().size(), 0);
        result.put("switchedBack", plan.switchedBack());
        return result;
    }

    /**
     * The watch's rollback link: the switched records back to the old server's addresses at the
     * lowered TTL (compare-and-swap; a record changed by hand since the switch is left alone).
     */
    public ObjectNode switchBack(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        MigrationRequest request = record.request();
        Collection<RecordOriginal> originals = record.dns().originals().values();
        ChangePlanner.Plan plan = ChangePlanner.switchBack(originals, zonesOf(originals), ChangePlanner.Target.of(request), request.targetTtl());
        ObjectNode result = result(submit(migrationId, plan.batches(), "switch back"), List.of(), plan.batches().size(), 0);
        result.put("switchedBack", plan.switchedBack());
        return result;
    }

    /** Phase 5's check of the delegation and the lowered TTLs (see {@link DnsChecks#verify}). */
    public ObjectNode verify(String migrationId) {
        return checks.verify(migrationId);
    }

    /** Phase 6: has every provider elsewhere the new address yet (see {@link DnsChecks#checkExternalSwitch})? */
    public ObjectNode checkExternalSwitch(String migrationId) {
        return checks.checkExternalSwitch(migrationId);
    }

    /** Phase 6: when visitors reached the new server (see {@link DnsChecks#measureDowntime}). */
    public ObjectNode measureDowntime(String migrationId) {
        return checks.measureDowntime(migrationId);
    }

    /** DNS changes only for a running migration: an abort's cleanup owns the records from then on. */
    private MigrationRecord running(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            throw new de.shopmigration.core.MigrationNotRunning(migrationId, record.status());
        }
        return record;
    }

    /**
     * Submits one batch per zone; a refused compare-and-swap is stored for staff, then thrown.
     * The planner has checked every batch against Route 53's limits before the first is sent.
     */
    private List<String> submit(String migrationId, Map<String, List<Change>> batches, String comment) {
        List<String> changeIds = new ArrayList<>();
        batches.forEach((zoneId, changes) -> {
            try {
                changeIds.add(route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId)
                        .changeBatch(cb -> cb.comment("Migration: " + comment).changes(changes))).changeInfo().id());
            } catch (InvalidChangeBatchException e) {
                DnsMismatch mismatch = new DnsMismatch("Route 53 refused to " + comment + " in zone " + zoneId + ": "
                        + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage())
                        + ". A record no longer holds the values recorded in phase 1; nothing in this zone was changed.");
                store.dns().mismatch(migrationId, mismatch.getMessage());
                store.audit().add(migrationId, new AuditEntry(clock.instant(), "system", "Route 53 refused: " + comment,
                        mismatch.getMessage(), null));
                throw mismatch;
            }
            store.audit().add(migrationId, new AuditEntry(clock.instant(), "system", "Route 53: " + comment,
                    "zone " + zoneId + ": " + changes.size() + " change(s), " + changeIds.get(changeIds.size() - 1), null));
        });
        return changeIds;
    }

    private static ObjectNode result(List<String> changeIds, List<String> skipped, int records, int external) {
        ObjectNode result = Json.object();
        ArrayNode ids = result.putArray("changeIds");
        changeIds.forEach(ids::add);
        result.put("pending", !changeIds.isEmpty());
        result.put("records", records);
        result.put("externalDomains", external);
        ArrayNode s = result.putArray("skipped");
        skipped.forEach(s::add);
        return result;
    }

    /** The zones of these records, each read once, in the order the records name them. */
    private Map<String, ZoneRecords> zonesOf(Collection<RecordOriginal> originals) {
        return zones(originals.stream().map(RecordOriginal::zoneId).toList());
    }

    private Map<String, ZoneRecords> zones(Collection<String> zoneIds) {
        Map<String, ZoneRecords> zones = new HashMap<>();
        zoneIds.forEach(zoneId -> zones.computeIfAbsent(zoneId, this::zone));
        return zones;
    }

    /** Every record set of a zone, all pages. */
    private ZoneRecords zone(String zoneId) {
        List<ResourceRecordSet> sets = new ArrayList<>();
        String nextName = null;
        RRType nextType = null;
        do {
            String startName = nextName;
            RRType startType = nextType;
            ListResourceRecordSetsResponse page = route53.listResourceRecordSets(b -> {
                b.hostedZoneId(zoneId).maxItems("300");
                if (startName != null) {
                    b.startRecordName(startName).startRecordType(startType);
                }
            });
            sets.addAll(page.resourceRecordSets());
            nextName = Boolean.TRUE.equals(page.isTruncated()) ? page.nextRecordName() : null;
            nextType = page.nextRecordType();
        } while (nextName != null);
        return ZoneRecords.of(sets);
    }
}
