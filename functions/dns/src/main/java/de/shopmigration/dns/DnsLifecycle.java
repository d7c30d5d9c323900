package de.shopmigration.dns;

import static de.shopmigration.core.AttributeValues.s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.AttributeValues;
import de.shopmigration.core.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRecord.RecordOriginal;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.MigrationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The DNS side of a migration in Route 53. Every step sends at most one change batch per zone
 * and returns the change ids; the state machine waits for INSYNC (no Lambda sleeps). Original
 * TTLs and values are stored once, before the first change, and never overwritten.
 */
public final class DnsLifecycle {

    /** Route 53 accepts up to 1,000 changes in one batch; a migration stays far below. */
    static final int MAX_CHANGES_PER_BATCH = 1000;

    private final Route53Client route53;
    private final MigrationStore store;
    private final java.time.Clock clock;

    public DnsLifecycle(Route53Client route53, MigrationStore store, java.time.Clock clock) {
        this.route53 = route53;
        this.store = store;
        this.clock = clock;
    }

    /** Phase 1: remember each moving record's TTL and values once, then lower the TTL. */
    public ObjectNode lowerTtls(String migrationId) {
        MigrationRecord record = running(migrationId);
        MigrationRequest request = record.request();
        List<String> skipped = new ArrayList<>();
        Map<String, RecordOriginal> found = new LinkedHashMap<>();
        for (MigrationRequest.Domain domain : request.route53Domains()) {
            Map<RecordKey, ResourceRecordSet> zone = zone(domain.hostedZoneId());
            for (String host : domain.records()) {
                for (String type : types(request)) {
                    RecordKey key = new RecordKey(host, type);
                    ResourceRecordSet set = zone.get(key);
                    if (set == null) {
                        if (type.equals("A")) {
                            skipped.add(key.key() + ": no record");
                        }
                    } else if (set.aliasTarget() != null) {
                        skipped.add(key.key() + ": alias record, no TTL of its own");
                    } else if (set.setIdentifier() != null) {
                        skipped.add(key.key() + ": routing policy record, change it by hand");
                    } else {
                        found.put(key.key(), new RecordOriginal(domain.hostedZoneId(), key.name(), type, set.ttl(),
                                set.resourceRecords().stream().map(ResourceRecord::value).sorted().toList()));
                    }
                }
            }
        }
        rememberOriginals(migrationId, found, skipped);
        // Re-read: after a partial failure the stored originals are the true ones, not the zone's.
        Map<String, RecordOriginal> originals = store.record(migrationId).dns().originals();
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : originals.values()) {
            if (o.ttl() > request.targetTtl()) {
                RecordKey key = new RecordKey(o.name(), o.type());
                ResourceRecordSet current = zone(o.zoneId()).get(key);
                List<String> values = current != null ? values(current) : o.values();
                batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>())
                        .add(change(ChangeAction.UPSERT, key, request.targetTtl(), values));
            }
        }
        return result(submit(batches, "lower the TTL to " + request.targetTtl() + " s"), skipped,
                originals.size(), request.externalDomains().size());
    }

    private void rememberOriginals(String migrationId, Map<String, RecordOriginal> found, List<String> skipped) {
        if (found.isEmpty() && skipped.isEmpty()) {
            return;
        }
        StringBuilder update = new StringBuilder("SET ");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#dns", "dns");
        names.put("#o", "originals");
        int i = 0;
        for (Map.Entry<String, RecordOriginal> e : found.entrySet()) {
            names.put("#k" + i, e.getKey());
            values.put(":v" + i, AttributeValues.of(e.getValue()));
            update.append("#dns.#o.#k").append(i).append(" = if_not_exists(#dns.#o.#k").append(i).append(", :v").append(i).append("), ");
            i++;
        }
        names.put("#s", "skipped");
        values.put(":skipped", AttributeValues.of(skipped));
        update.append("#dns.#s = :skipped");
        store.updateRecord(migrationId, update.toString(), names, values, null);
    }

    /** Polled by the state machine: are all changes INSYNC? Records when they became so. */
    public ObjectNode checkSync(String migrationId, String operation, List<String> changeIds) {
        boolean inSync = true;
        for (String id : changeIds) {
            ChangeStatus status = route53.getChange(b -> b.id(id)).changeInfo().status();
            if (status != ChangeStatus.INSYNC) {
                inSync = false;
                break;
            }
        }
        ObjectNode result = Json.object().put("inSync", inSync);
        if (inSync) {
            Instant now = clock.instant();
            String field = switch (operation) {
                case "LOWER" -> "loweredAt";
                case "SWITCH" -> "switchedAt";
                case "RESTORE" -> "restoredAt";
                case "ROLLBACK" -> "switchedBackAt";
                default -> throw new IllegalArgumentException("Unknown DNS operation " + operation);
            };
            store.updateRecord(migrationId, "SET #dns.#f = if_not_exists(#dns.#f, :now)",
                    Map.of("#dns", "dns", "#f", field), Map.of(":now", s(now.toString())), null);
            if (operation.equals("SWITCH")) {
                result.put("downtimeSeconds", endDowntime(migrationId));
            }
        }
        return result;
    }

    /** The downtime runs from "maintenance mode on" to the DNS switch being in sync. */
    private long endDowntime(String migrationId) {
        MigrationRecord record = store.record(migrationId);
        MigrationRecord.Downtime downtime = record.downtime();
        Instant end = record.dns().switchedAt();
        if (downtime == null || downtime.startedAt() == null || end == null) {
            return 0;
        }
        long seconds = java.time.Duration.between(downtime.startedAt(), end).toSeconds();
        store.updateRecord(migrationId, "SET downtime.endedAt = if_not_exists(downtime.endedAt, :end), downtime.#s = :sec",
                Map.of("#s", "seconds"), Map.of(":end", s(end.toString()), ":sec", AttributeValues.n(seconds)), null);
        return seconds;
    }

    /**
     * Phase 5: the lowered TTL is in force in Route 53, and the old TTL has expired in every
     * resolver's cache no earlier than lowered-at plus the largest original TTL.
     */
    public ObjectNode verify(String migrationId) {
        MigrationRecord record = store.record(migrationId);
        long target = record.request().targetTtl();
        ArrayNode problems = Json.MAPPER.createArrayNode();
        for (RecordOriginal o : record.dns().originals().values()) {
            ResourceRecordSet current = zone(o.zoneId()).get(new RecordKey(o.name(), o.type()));
            if (current == null) {
                problems.add(o.name() + " " + o.type() + " has disappeared from the zone");
            } else if (current.ttl() > Math.min(target, o.ttl())) {
                problems.add(o.name() + " " + o.type() + " has TTL " + current.ttl() + " s, expected " + Math.min(target, o.ttl()) + " s");
            }
        }
        Instant lowered = record.dns().loweredAt() != null ? record.dns().loweredAt() : clock.instant();
        Instant earliest = lowered.plusSeconds(record.dns().largestOriginalTtl());
        ObjectNode result = Json.object();
        result.put("earliestGoLive", earliest.toString());
        result.set("problems", problems);
        result.put("ok", problems.isEmpty());
        store.updateRecord(migrationId, "SET #dns.earliestGoLive = :e", Map.of("#dns", "dns"),
                Map.of(":e", s(earliest.toString())), null);
        return result;
    }

    /**
     * Phase 6: each moving record from its recorded values to the new server, as a
     * compare-and-swap: DELETE with the exact values recorded in phase 1 plus CREATE, in one
     * batch per zone, so a record someone changed by hand makes the whole zone's batch fail.
     */
    public ObjectNode switchToNewServer(String migrationId) {
        MigrationRecord record = running(migrationId);
        MigrationRequest request = record.request();
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : record.dns().originals().values()) {
            String target = o.type().equals("A") ? request.newIp() : request.newIpv6();
            if (o.values().equals(target == null ? null : List.of(target))) {
                continue;
            }
            RecordKey key = new RecordKey(o.name(), o.type());
            long ttl = Math.min(o.ttl(), request.targetTtl());
            List<Change> zoneChanges = batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>());
            zoneChanges.add(change(ChangeAction.DELETE, key, ttl, o.values()));
            // Without a new IPv6 address the old AAAA record goes, so IPv6 visitors do not stay on the old server.
            if (target != null) {
                zoneChanges.add(change(ChangeAction.CREATE, key, ttl, List.of(target)));
            }
        }
        return result(submit(batches, "switch to " + request.newIp()), List.of(), batches.size(), request.externalDomains().size());
    }

    /** Phase 7: every lowered TTL back to its original, keeping the record's current values. */
    public ObjectNode restoreTtls(String migrationId) {
        MigrationRecord record = running(migrationId);
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : record.dns().originals().values()) {
            RecordKey key = new RecordKey(o.name(), o.type());
            ResourceRecordSet current = zone(o.zoneId()).get(key);
            if (current != null && !Objects.equals(current.ttl(), o.ttl())) {
                batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>()).add(change(ChangeAction.UPSERT, key, o.ttl(), values(current)));
            }
        }
        return result(submit(batches, "restore the original TTLs"), List.of(), batches.size(), 0);
    }

    /**
     * Abort: undo whatever was done. A record on the new server goes back to its recorded
     * values (compare-and-swap again, against the new values); every record gets its original
     * TTL back.
     */
    public ObjectNode rollback(String migrationId) {
        MigrationRecord record = store.record(migrationId);
        MigrationRequest request = record.request();
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        int switchedBack = 0;
        for (RecordOriginal o : record.dns().originals().values()) {
            RecordKey key = new RecordKey(o.name(), o.type());
            ResourceRecordSet current = zone(o.zoneId()).get(key);
            if (current == null) {
                if (record.dns().switchedAt() != null || o.type().equals("AAAA")) {
                    batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>()).add(change(ChangeAction.CREATE, key, o.ttl(), o.values()));
                    switchedBack++;
                }
                continue;
            }
            List<String> now = values(current);
            String target = o.type().equals("A") ? request.newIp() : request.newIpv6();
            if (target != null && now.equals(List.of(target)) && !o.values().equals(now)) {
                batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>()).add(change(ChangeAction.DELETE, key, current.ttl(), now));
                batches.get(o.zoneId()).add(change(ChangeAction.CREATE, key, o.ttl(), o.values()));
                switchedBack++;
            } else if (!Objects.equals(current.ttl(), o.ttl())) {
                batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>()).add(change(ChangeAction.UPSERT, key, o.ttl(), now));
            }
        }
        ObjectNode result = result(submit(batches, "roll back"), List.of(), batches.size(), 0);
        result.put("switchedBack", switchedBack);
        return result;
    }

    /** DNS changes only for a running migration: an abort's cleanup owns the records from then on. */
    private MigrationRecord running(String migrationId) {
        MigrationRecord record = store.record(migrationId);
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            throw new de.shopmigration.core.MigrationNotRunning(migrationId, record.status());
        }
        return record;
    }

    private List<String> submit(Map<String, List<Change>> batches, String comment) {
        List<String> changeIds = new ArrayList<>();
        batches.forEach((zoneId, changes) -> {
            if (changes.size() > MAX_CHANGES_PER_BATCH) {
                throw new IllegalStateException("More than " + MAX_CHANGES_PER_BATCH + " changes for zone " + zoneId);
            }
            try {
                changeIds.add(route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId)
                        .changeBatch(cb -> cb.comment("Migration: " + comment).changes(changes))).changeInfo().id());
            } catch (InvalidChangeBatchException e) {
                throw new DnsMismatch("Route 53 refused to " + comment + " in zone " + zoneId + ": "
                        + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage())
                        + ". A record no longer holds the values recorded in phase 1; nothing in this zone was changed.");
            }
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

    /** AAAA moves too: an IPv6 record left on the old server would split the visitors. */
    private static List<String> types(MigrationRequest request) {
        return List.of("A", "AAAA");
    }

    private static List<String> values(ResourceRecordSet set) {
        return set.resourceRecords().stream().map(ResourceRecord::value).sorted().toList();
    }

    private static Change change(ChangeAction action, RecordKey key, long ttl, List<String> values) {
        return Change.builder().action(action).resourceRecordSet(r -> r.name(key.fqdn()).type(RRType.fromValue(key.type()))
                .ttl(ttl).resourceRecords(values.stream().map(v -> ResourceRecord.builder().value(v).build()).toList())).build();
    }

    /** Every simple record set of a zone by name and type, all pages. */
    Map<RecordKey, ResourceRecordSet> zone(String zoneId) {
        Map<RecordKey, ResourceRecordSet> sets = new HashMap<>();
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
            for (ResourceRecordSet set : page.resourceRecordSets()) {
                RecordKey key = RecordKey.of(set.name(), set.typeAsString());
                if (set.setIdentifier() == null || !sets.containsKey(key)) {
                    sets.put(key, set);
                }
            }
            nextName = Boolean.TRUE.equals(page.isTruncated()) ? page.nextRecordName() : null;
            nextType = page.nextRecordType();
        } while (nextName != null);
        return sets;
    }
}
