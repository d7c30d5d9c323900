package de.shopmigration.dns;

import static de.shopmigration.dns.ChangePlanner.TYPES;

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
 * What the world's DNS answers, asked of the authoritative servers: the originals of the records
 * at other providers (once, in phase 1), phase 5's check of the delegation and the lowered TTLs
 * that sets the earliest go-live, phase 6's check that the providers elsewhere have the new
 * address, and the downtime's end. Changes nothing in Route 53; {@link DnsLifecycle} does that.
 */
final class DnsChecks {

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

    DnsChecks(Route53Client route53, MigrationStore store, java.time.Clock clock, Supplier<DnsLookup> lookups, Metrics metrics) {
        this.route53 = route53;
        this.store = store;
        this.clock = clock;
        this.lookups = lookups;
        this.metrics = metrics;
    }

    /**
     * For domains with DNS elsewhere: their records' TTL and values before the migration, asked
     * of their authoritative servers, once. They set how long the go-live must wait after the
     * customer lowered the TTL, and what an abort asks the customer to restore.
     */
    void rememberExternalOriginals(String migrationId, MigrationRequest request) {
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
                        } else if (answer.get().values().size() <= ChangePlanner.MAX_VALUES_PER_RECORD) {
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
            List<String> expected = zone.delegationSet().nameServers().stream().map(DnsChecks::plainName).sorted().toList();
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
}
