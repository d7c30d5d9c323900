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
 * record and sends the batches.
 */
public final class DnsLifecycle {

    /** Values of one moving record the workflow keeps as its original; a record with more is left to staff. */
    public static final int MAX_VALUES_PER_RECORD = ChangePlanner.MAX_VALUES_PER_RECORD;

    /** After this many lookups without the new address, the customer is asked again. */
    static final int EXTERNAL_LOOKUPS_PER_ASK = 30;

    /** When a record's TTL before the migration could not be looked up, assume a day. */
    static final long UNKNOWN_ORIGINAL_TTL = 86_400;

    private final Route53Client route53;
    private final MigrationStore store;
    private final java.time.Clock clock;
    /** Lookups are needed only for domains with DNS elsewhere and the phase 5 check: set up then. */
    private final Supplier<DnsLookup> lookups;
    private final Metrics metrics;

    public DnsLifecycle(Route53Client route53, MigrationStore store, java.time.Clock clock, DnsLookup lookup) {
        this(route53, store, clock, de.shopmigration.core.lambda.Lazy.ready(lookup),
                Metrics.from(new de.shopmigration.core.lambda.Env(Map.of()), clock));
    }

    public DnsLifecycle(Route53Client route53, MigrationStore store, java.time.Clock clock, Supplier<DnsLookup> lookups, Metrics metrics) {
        this.route53 = route53;
        this.store = store;
        this.clock = clock;
        this.lookups = lookups;
        this.metrics = metrics;
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
        rememberExternalOriginals(migrationId, request);
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
     * For domains with DNS elsewhere: their records' TTL and values before the migration, asked
     * of their authoritative servers, once. They set how long the go-live must wait after the
     * customer lowered the TTL, and what an abort asks the customer to restore.
     */
    private void rememberExternalOriginals(String migrationId, MigrationRequest request) {
        for (MigrationRequest.Domain domain : request.externalDomains()) {
            List<String> nameServers;
            try {
                nameServers = lookups.get().nameServers(domain.name());
            } catch (DnsLookup.Unanswered e) {
                nameServers = List.of();
            }
            for (String host : domain.records()) {
                for (String type : TYPES) {
                    MigrationRecord.ExternalRecord original = new MigrationRecord.ExternalRecord(host, type, null, null, null, null);
                    try {
                        Optional<DnsLookup.Answer> answer = nameServers.isEmpty() ? Optional.empty()
                                : lookups.get().authoritative(host, type, nameServers);
                        if (answer.isEmpty()) {
                            if (type.equals("AAAA")) {
                                continue;
                            }
                        } else if (answer.get().values().size() <= MAX_VALUES_PER_RECORD) {
                            original = new MigrationRecord.ExternalRecord(host, type, answer.get().ttl(), answer.get().values(), null, null);
                        } else {
                            // More values than the record keeps: the TTL counts for the gate, the values are the customer's to restore.
                            original = new MigrationRecord.ExternalRecord(host, type, answer.get().ttl(), null, null, null);
                        }
                    } catch (DnsLookup.Unanswered e) {
                        // unknown: the go-live gate then assumes a day
                    }
                    store.dns().rememberExternal(migrationId, host + "|" + type, original);
                }
            }
        }
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

    /**
     * The downtime runs from "maintenance mode on" until visitors are sent to the new server:
     * the Route 53 switch in sync and, for domains with DNS elsewhere, the new address seen.
     */
    public ObjectNode measureDowntime(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        MigrationRecord.Downtime downtime = record.downtime();
        Instant end = record.dns().switchedAt();
        for (MigrationRecord.ExternalRecord e : record.dns().external().values()) {
            if (e.switchedSeenAt() != null && (end == null || e.switchedSeenAt().isAfter(end))) {
                end = e.switchedSeenAt();
            }
        }
        if (end == null) {
            end = clock.instant();
        }
        long seconds = downtime == null || downtime.startedAt() == null ? 0 : Duration.between(downtime.startedAt(), end).toSeconds();
        if (downtime != null && downtime.startedAt() != null) {
            store.dns().downtimeEnded(migrationId, end, seconds);
            if (downtime.endedAt() == null) {
                // Measured for the first time (a retry finds the end stored): one value per go-live.
                metrics.downtime(migrationId, seconds);
            }
        }
        return Json.object().put("downtimeSeconds", seconds);
    }

    /**
     * Phase 5: each Route 53 domain is delegated to its hosted zone's name servers, the
     * authoritative servers answer with the lowered TTL, and domains with DNS elsewhere carry
     * the lowered TTL at their provider. The go-live may not start before the old TTLs have
     * expired in every resolver's cache: the latest of lowered-at plus original TTL.
     */
    public ObjectNode verify(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        MigrationRequest request = record.request();
        long target = request.targetTtl();
        Instant now = clock.instant();
        ArrayNode problems = Json.array();
        for (MigrationRequest.Domain domain : request.route53Domains()) {
            var zone = route53.getHostedZone(b -> b.id(domain.hostedZoneId()));
            List<String> expected = zone.delegationSet().nameServers().stream().map(DnsLifecycle::plainName).sorted().toList();
            // The delegation is the hosted zone's: a domain below the zone's apex has no NS records of its own.
            String apex = plainName(zone.hostedZone().name());
            try {
                List<String> delegated = lookups.get().nameServers(apex);
                if (!delegated.equals(expected)) {
                    problems.add(domain.name() + (apex.equals(domain.name()) ? "" : " (zone " + apex + ")") + " is delegated to "
                            + delegated + ", not to its hosted zone's name servers " + expected);
                    continue;
                }
                for (RecordOriginal o : record.dns().originals().values()) {
                    if (!o.zoneId().equals(domain.hostedZoneId())) {
                        continue;
                    }
                    Optional<DnsLookup.Answer> answer = lookups.get().authoritative(o.name(), o.type(), delegated);
                    long wanted = Math.min(target, o.ttl());
                    if (answer.isEmpty()) {
                        problems.add(o.name() + " " + o.type() + " has no record at the authoritative servers");
                    } else if (answer.get().ttl() > wanted) {
                        problems.add(o.name() + " " + o.type() + " has TTL " + answer.get().ttl() + " s at " + answer.get().server()
                                + ", expected at most " + wanted + " s");
                    }
                }
            } catch (DnsLookup.Unanswered e) {
                problems.add(domain.name() + ": " + e.getMessage());
            }
        }
        Instant earliest = (record.dns().loweredAt() != null ? record.dns().loweredAt() : now).plusSeconds(record.dns().largestOriginalTtl());
        for (MigrationRecord.ExternalRecord e : record.dns().external().values()) {
            try {
                String domain = domainOf(request, e.name());
                Optional<DnsLookup.Answer> answer = lookups.get().authoritative(e.name(), e.type(), lookups.get().nameServers(domain));
                if (answer.isPresent() && answer.get().ttl() > target) {
                    problems.add(e.name() + " " + e.type() + " still has TTL " + answer.get().ttl() + " s at the customer's DNS provider, expected at most "
                            + target + " s");
                    continue;
                }
                Instant seen = e.loweredSeenAt();
                if (seen == null) {
                    seen = now;
                    store.dns().externalLoweredSeen(migrationId, e.name() + "|" + e.type(), now);
                }
                Instant expiry = seen.plusSeconds(e.ttl() != null ? e.ttl() : UNKNOWN_ORIGINAL_TTL);
                if (expiry.isAfter(earliest)) {
                    earliest = expiry;
                }
            } catch (DnsLookup.Unanswered ex) {
                problems.add(e.name() + ": " + ex.getMessage());
            }
        }
        ObjectNode result = Json.object();
        result.put("earliestGoLive", earliest.toString());
        result.set("problems", problems);
        result.put("ok", problems.isEmpty());
        store.dns().goLiveGate(migrationId, earliest, problems);
        return result;
    }

    /**
     * Phase 6, domains with DNS elsewhere: the customer changed their records; have the
     * authoritative servers got the new address yet?
     */
    public ObjectNode checkExternalSwitch(String migrationId) {
        MigrationRecord record = store.records().get(migrationId);
        MigrationRequest request = record.request();
        Instant now = clock.instant();
        ArrayNode pending = Json.array();
        for (MigrationRecord.ExternalRecord e : record.dns().external().values()) {
            String target = e.type().equals("A") ? request.newIp() : request.newIpv6();
            if (e.switchedSeenAt() != null) {
                continue;
            }
            try {
                Optional<DnsLookup.Answer> answer = lookups.get().authoritative(e.name(), e.type(), lookups.get().nameServers(domainOf(request, e.name())));
                boolean switched = target == null ? answer.isEmpty() : answer.isPresent() && answer.get().values().equals(List.of(target));
                if (switched) {
                    store.dns().externalSwitchedSeen(migrationId, e.name() + "|" + e.type(), now);
                } else {
                    pending.add(e.name() + " " + e.type() + (answer.isEmpty() ? " has no record" : " still points to " + answer.get().values()));
                }
            } catch (DnsLookup.Unanswered ex) {
                pending.add(e.name() + ": " + ex.getMessage());
            }
        }
        ObjectNode result = Json.object().put("allSwitched", pending.isEmpty());
        result.set("pending", pending);
        if (!pending.isEmpty()) {
            int attempts = store.dns().countExternalSwitchLookup(migrationId);
            result.put("attempts", attempts).put("askAgain", attempts % EXTERNAL_LOOKUPS_PER_ASK == 0);
        } else {
            result.put("attempts", 0).put("askAgain", false);
        }
        return result;
    }

    private static String domainOf(MigrationRequest request, String host) {
        return request.domains().stream().filter(d -> host.equals(d.name()) || host.endsWith("." + d.name()))
                .map(MigrationRequest.Domain::name).findFirst().orElse(host);
    }

    static String plainName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
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
