package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.dns.DnsLifecycle;
import de.shopmigration.dns.DnsLookup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The phase 5 checks against a real DNS server: Knot DNS on a loopback port plays the public
 * DNS (registry delegation, Route 53's name servers, the old provider's), while the hosted
 * zones and the migration record live in the emulator. Verify must accept the domain that is
 * delegated to its hosted zone and serves the lowered TTL, and name each thing that is wrong.
 */
class DnsAgainstKnotTest extends DnsCloudTest {

    /** moto gives every hosted zone this delegation set. */
    private static final List<String> ROUTE53_NS = List.of("ns-2048.awsdns-64.com", "ns-2049.awsdns-65.net", "ns-2050.awsdns-66.org",
            "ns-2051.awsdns-67.co.uk");
    private static final List<String> OLD_NS = List.of("ns1.old-provider.example", "ns2.old-provider.example");

    private static List<String> shopZone(List<String> nameServers, long ttl) {
        List<String> records = new ArrayList<>();
        nameServers.forEach(ns -> records.add("@ 172800 IN NS " + ns + "."));
        records.add("@ " + ttl + " IN A " + SharedCloud.OLD_IP);
        records.add("www " + ttl + " IN A " + SharedCloud.OLD_IP);
        records.add("mail 3600 IN A 203.0.113.25");
        return records;
    }

    private static Map<String, List<String>> publicDns() {
        Map<String, List<String>> zones = new java.util.LinkedHashMap<>();
        zones.put(SharedCloud.domain("knot-ok"), shopZone(ROUTE53_NS, 300));
        zones.put(SharedCloud.domain("knot-moved"), shopZone(OLD_NS, 3600));
        // Every name server's address, on loopback where Knot listens.
        for (String ns : ROUTE53_NS) {
            String zone = ns.substring(ns.indexOf('.') + 1);
            zones.put(zone, List.of("@ 3600 IN NS " + ns + ".", ns.substring(0, ns.indexOf('.')) + " 3600 IN A 127.0.0.1"));
        }
        zones.put("old-provider.example", List.of("@ 3600 IN NS ns1.old-provider.example.", "ns1 3600 IN A 127.0.0.1",
                "ns2 3600 IN A 127.0.0.1"));
        return zones;
    }

    @Test
    void lookupsAskTheResolverForDelegationsAndTheAuthoritativeServersForTtls() throws Exception {
        try (KnotServer knot = KnotServer.start(publicDns())) {
            assertThat(knot.pid()).isPositive();
            DnsLookup lookup = knot.lookup();
            assertThat(lookup.nameServers(SharedCloud.domain("knot-ok"))).isEqualTo(ROUTE53_NS.stream().sorted().toList());
            assertThat(lookup.nameServers(SharedCloud.domain("knot-moved"))).isEqualTo(OLD_NS);
            assertThat(lookup.addresses("ns-2049.awsdns-65.net")).containsExactly("127.0.0.1");
            assertThat(lookup.nameServers("www." + SharedCloud.domain("knot-moved"))).as("a name below the apex: its zone's servers")
                    .isEqualTo(OLD_NS);

            DnsLookup.Answer www = lookup.authoritative("www." + SharedCloud.domain("knot-moved"), "A", OLD_NS).orElseThrow();
            assertThat(www.ttl()).isEqualTo(3600L);
            assertThat(www.values()).containsExactly(SharedCloud.OLD_IP);
            assertThat(www.server()).isEqualTo("ns1.old-provider.example");
            assertThat(lookup.authoritative("www." + SharedCloud.domain("knot-ok"), "AAAA", ROUTE53_NS)).as("no such record").isEmpty();
            assertThat(lookup.authoritative("shop." + SharedCloud.domain("knot-ok"), "A", ROUTE53_NS)).as("no such name").isEmpty();

            assertThatThrownBy(() -> lookup.nameServers("not-served.example")).isInstanceOf(DnsLookup.Unanswered.class);
            DnsLookup nobodyHome = new DnsLookup(List.of("127.0.0.1:" + knot.port()), freePort(), java.time.Duration.ofMillis(300));
            assertThatThrownBy(() -> nobodyHome.authoritative(SharedCloud.domain("knot-ok"), "A", ROUTE53_NS))
                    .isInstanceOf(DnsLookup.Unanswered.class).hasMessageContaining("no authoritative answer");
        }
    }

    @Test
    void verifyAcceptsAMatchingDelegationAndNamesEveryMismatch() throws Exception {
        String id = "M-DNS-KNOT";
        String ok = SharedCloud.domain("knot-ok");
        String moved = SharedCloud.domain("knot-moved");
        String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("knot-ok"), route53Domain("knot-moved")), FAST, null));
        awaitLowered(id);
        try (KnotServer knot = KnotServer.start(publicDns());
             Route53Client route53 = cloud.route53();
             var dynamo = cloud.dynamoDb()) {
            DnsLifecycle lifecycle = new DnsLifecycle(route53, new MigrationStore(dynamo, cloud.tableName()), Clock.systemUTC(), knot.lookup());

            // knot-ok is delegated to its hosted zone and serves 300 s; knot-moved is still at the old provider.
            ObjectNode first = lifecycle.verify(id);
            assertThat(first.get("ok").asBoolean()).isFalse();
            assertThat(first.get("problems")).hasSize(1);
            assertThat(first.get("problems").toString()).doesNotContain(ok);
            assertThat(first.get("problems").get(0).asText()).isEqualTo(moved + " is delegated to " + OLD_NS
                    + ", not to its hosted zone's name servers " + ROUTE53_NS.stream().sorted().toList());

            // Delegated now, but a server still hands out the old TTL for www.
            List<String> slow = new ArrayList<>(shopZone(ROUTE53_NS, 300));
            slow.set(slow.indexOf("www 300 IN A " + SharedCloud.OLD_IP), "www 3600 IN A " + SharedCloud.OLD_IP);
            knot.zone(moved, slow);
            ObjectNode second = lifecycle.verify(id);
            assertThat(second.get("ok").asBoolean()).isFalse();
            assertThat(second.get("problems")).hasSize(1);
            assertThat(second.get("problems").get(0).asText()).startsWith("www." + moved + " A has TTL 3600 s at ns-")
                    .endsWith("expected at most 300 s");

            knot.zone(moved, shopZone(ROUTE53_NS, 300));
            ObjectNode third = lifecycle.verify(id);
            assertThat(third.get("problems")).isEmpty();
            assertThat(third.get("ok").asBoolean()).isTrue();
            assertThat(record(id).dns().problems()).isEmpty();
            assertThat(record(id).dns().earliestGoLive()).isEqualTo(record(id).dns().loweredAt().plusSeconds(3600));
        } finally {
            stopInTheConsole(id, arn);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
