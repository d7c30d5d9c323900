package de.shopmigration.dns;

import static de.shopmigration.dns.ZoneRecords.values;

import de.shopmigration.core.MigrationRecord.RecordOriginal;
import de.shopmigration.core.MigrationRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The four DNS moves of a migration as Route 53 change batches, one per hosted zone, from the
 * recorded originals and the zones' record sets as read just before. Decides only: reading the
 * zones, storing the originals and sending the batches are {@link DnsLifecycle}'s.
 */
final class ChangePlanner {

    /** Route 53's limits for one change batch: record values (an UPSERT counts twice) and their characters. */
    static final int MAX_VALUES_PER_BATCH = 1000;
    static final int MAX_CHARACTERS_PER_BATCH = 32_000;
    /** Values of one moving record the workflow keeps as its original; a record with more is left to staff. */
    static final int MAX_VALUES_PER_RECORD = 8;

    /** AAAA moves too: an IPv6 record left on the old server would split the visitors. */
    static final List<String> TYPES = List.of("A", "AAAA");

    private ChangePlanner() {
    }

    /** The batches per zone, in the order the moving records were met, checked against Route 53's limits. */
    record Plan(Map<String, List<Change>> batches, int switchedBack) {
    }

    /** The moving records a zone holds as they are (by key), and why others are left alone. */
    record Survey(Map<String, RecordOriginal> found, List<String> skipped) {

        /** The originals once the found ones are stored next to the stored ones, which are never overwritten. */
        Map<String, RecordOriginal> storedWith(Map<String, RecordOriginal> stored) {
            Map<String, RecordOriginal> all = new LinkedHashMap<>(stored);
            found.forEach(all::putIfAbsent);
            return all;
        }
    }

    /** The new server's address for a record type; null for AAAA without a new IPv6 address. */
    record Target(String ipv4, String ipv6) {
        static Target of(MigrationRequest request) {
            return new Target(request.newIp(), request.newIpv6());
        }

        String of(String type) {
            return type.equals("A") ? ipv4 : ipv6;
        }
    }

    /** Phase 1, before anything is stored: each moving record of the Route 53 domains, or why it stays. */
    static Survey survey(List<MigrationRequest.Domain> domains, Map<String, ZoneRecords> zones) {
        List<String> skipped = new ArrayList<>();
        Map<String, RecordOriginal> found = new LinkedHashMap<>();
        for (MigrationRequest.Domain domain : domains) {
            ZoneRecords zone = zones.get(domain.hostedZoneId());
            for (String host : domain.records()) {
                for (String type : TYPES) {
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
                    } else if (set.resourceRecords().size() > MAX_VALUES_PER_RECORD) {
                        // The record keeps each original; a bounded number of values keeps it bounded (RecordSizeTest).
                        skipped.add(key.key() + ": more than " + MAX_VALUES_PER_RECORD + " values, change it by hand");
                    } else {
                        found.put(key.key(), new RecordOriginal(domain.hostedZoneId(), key.name(), type, set.ttl(), values(set)));
                    }
                }
            }
        }
        return new Survey(found, skipped);
    }

    /** The zone's skip reasons plus every record whose original TTL needs no lowering. */
    static List<String> withTtlSkips(List<String> skipped, Map<String, RecordOriginal> originals, int targetTtl) {
        List<String> all = new ArrayList<>(skipped);
        for (RecordOriginal o : originals.values()) {
            if (o.ttl() <= targetTtl) {
                all.add(new RecordKey(o.name(), o.type()).key() + ": TTL " + o.ttl() + " s is already at or below " + targetTtl + " s");
            }
        }
        return all;
    }

    /** Phase 1: every record whose original and current TTL are above the target gets the target, keeping its values. */
    static Plan lower(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones, int targetTtl) {
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : originals) {
            RecordKey key = new RecordKey(o.name(), o.type());
            ResourceRecordSet current = zones.get(o.zoneId()).get(key);
            if (o.ttl() > targetTtl && current != null && current.ttl() > targetTtl) {
                batch(batches, o).add(change(ChangeAction.UPSERT, key, targetTtl, values(current)));
            }
        }
        return checked(batches, 0);
    }

    /** The zones {@link #switchTo} reads: those of the records not recorded at the new address already. */
    static Set<String> zonesToSwitch(Collection<RecordOriginal> originals, Target target) {
        Set<String> zoneIds = new LinkedHashSet<>();
        for (RecordOriginal o : originals) {
            if (!recordedAt(o, target.of(o.type()))) {
                zoneIds.add(o.zoneId());
            }
        }
        return zoneIds;
    }

    private static boolean recordedAt(RecordOriginal o, String target) {
        return o.values().equals(target == null ? null : List.of(target));
    }

    /**
     * Phase 6: each moving record from its recorded values to the new server, as a
     * compare-and-swap: DELETE with the exact values recorded in phase 1 plus CREATE, in one
     * batch per zone, so a record someone changed by hand makes the whole zone's batch fail.
     */
    static Plan switchTo(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones, Target target, int targetTtl) {
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : originals) {
            String address = target.of(o.type());
            if (recordedAt(o, address)) {
                continue;
            }
            RecordKey key = new RecordKey(o.name(), o.type());
            // A retry after another zone failed (throttling, a mismatch) must not switch this zone twice.
            ResourceRecordSet current = zones.get(o.zoneId()).get(key);
            if (address == null ? current == null : current != null && values(current).equals(List.of(address))) {
                continue;
            }
            long ttl = Math.min(o.ttl(), targetTtl);
            List<Change> zoneChanges = batch(batches, o);
            zoneChanges.add(change(ChangeAction.DELETE, key, ttl, o.values()));
            // Without a new IPv6 address the old AAAA record goes, so IPv6 visitors do not stay on the old server.
            if (address != null) {
                zoneChanges.add(change(ChangeAction.CREATE, key, ttl, List.of(address)));
            }
        }
        return checked(batches, 0);
    }

    /** Phase 7: every lowered TTL back to its original, keeping the record's current values. */
    static Plan restore(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones) {
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        for (RecordOriginal o : originals) {
            RecordKey key = new RecordKey(o.name(), o.type());
            ResourceRecordSet current = zones.get(o.zoneId()).get(key);
            if (current != null && !Objects.equals(current.ttl(), o.ttl())) {
                batch(batches, o).add(change(ChangeAction.UPSERT, key, o.ttl(), values(current)));
            }
        }
        return checked(batches, 0);
    }

    /**
     * Abort: undo whatever was done. A record on the new server goes back to its recorded
     * values (compare-and-swap again, against the new values); every record gets its original
     * TTL back. A missing record is created again once the switch was in sync (AAAA always: the
     * switch deletes it when there is no new IPv6 address).
     */
    static Plan rollback(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones, Target target, boolean switched) {
        return rollback(originals, zones, target, switched, null);
    }

    /**
     * Back to the old server after the go-live (the watch's rollback link): the addresses as
     * {@link #rollback} puts them back, but at the lowered TTL, so that a second go-live needs no
     * new wait for caches; TTLs alone are left to the close-out.
     */
    static Plan switchBack(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones, Target target, long loweredTtl) {
        return rollback(originals, zones, target, true, loweredTtl);
    }

    private static Plan rollback(Collection<RecordOriginal> originals, Map<String, ZoneRecords> zones, Target target, boolean switched,
                                 Long ttlCap) {
        Map<String, List<Change>> batches = new LinkedHashMap<>();
        int switchedBack = 0;
        for (RecordOriginal o : originals) {
            RecordKey key = new RecordKey(o.name(), o.type());
            ResourceRecordSet current = zones.get(o.zoneId()).get(key);
            long ttl = ttlCap == null ? o.ttl() : Math.min(o.ttl(), ttlCap);
            if (current == null) {
                if (switched || o.type().equals("AAAA")) {
                    batch(batches, o).add(change(ChangeAction.CREATE, key, ttl, o.values()));
                    switchedBack++;
                }
                continue;
            }
            List<String> now = values(current);
            String address = target.of(o.type());
            if (address != null && now.equals(List.of(address)) && !o.values().equals(now)) {
                List<Change> zoneChanges = batch(batches, o);
                zoneChanges.add(change(ChangeAction.DELETE, key, current.ttl(), now));
                zoneChanges.add(change(ChangeAction.CREATE, key, ttl, o.values()));
                switchedBack++;
            } else if (ttlCap == null && !Objects.equals(current.ttl(), o.ttl())) {
                batch(batches, o).add(change(ChangeAction.UPSERT, key, o.ttl(), now));
            }
        }
        return checked(batches, switchedBack);
    }

    private static List<Change> batch(Map<String, List<Change>> batches, RecordOriginal o) {
        return batches.computeIfAbsent(o.zoneId(), z -> new ArrayList<>());
    }

    /** Every batch is checked before the first is sent, so a batch too large changes nothing anywhere. */
    private static Plan checked(Map<String, List<Change>> batches, int switchedBack) {
        batches.forEach(ChangePlanner::checkLimits);
        return new Plan(batches, switchedBack);
    }

    static void checkLimits(String zoneId, List<Change> changes) {
        int values = 0;
        int characters = 0;
        for (Change c : changes) {
            int weight = c.action() == ChangeAction.UPSERT ? 2 : 1;
            for (ResourceRecord r : c.resourceRecordSet().resourceRecords()) {
                values += weight;
                characters += weight * r.value().length();
            }
        }
        if (values > MAX_VALUES_PER_BATCH || characters > MAX_CHARACTERS_PER_BATCH) {
            throw new ChangeBatchTooLarge("The change for zone " + zoneId + " has " + values + " record values and " + characters
                    + " characters; Route 53 takes at most " + MAX_VALUES_PER_BATCH + " and " + MAX_CHARACTERS_PER_BATCH
                    + " in one batch. Nothing was changed; move fewer records in this migration.");
        }
    }

    private static Change change(ChangeAction action, RecordKey key, long ttl, List<String> values) {
        return Change.builder().action(action).resourceRecordSet(r -> r.name(key.fqdn()).type(RRType.fromValue(key.type()))
                .ttl(ttl).resourceRecords(values.stream().map(v -> ResourceRecord.builder().value(v).build()).toList())).build();
    }
}
