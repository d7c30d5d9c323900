package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The Route 53 side of whole migrations on the emulator: TTLs lowered in phase 1, records
 * switched in phase 6, TTLs restored in phase 7, with one change batch per zone and step.
 */
class DnsLifecycleTest extends DnsCloudTest {

    @Test
    void lowersSwitchesAndRestoresAcrossTwoZonesWithOneBatchPerZoneAndStep() throws Exception {
        String id = "M-DNS-TWO-ZONES";
        String a = SharedCloud.domain("dns-a");
        String b = SharedCloud.domain("dns-b");
        // www in zone A follows the apex as an alias (no TTL of its own); www in zone B is already short.
        try (Route53Client r53 = cloud.route53()) {
            r53.changeResourceRecordSets(c -> c.hostedZoneId(shared.zone("dns-a")).changeBatch(cb -> cb.changes(
                    Change.builder().action(ChangeAction.DELETE).resourceRecordSet(r -> r.name("www." + a).type("A").ttl(3600L)
                            .resourceRecords(v -> v.value(SharedCloud.OLD_IP))).build(),
                    Change.builder().action(ChangeAction.CREATE).resourceRecordSet(r -> r.name("www." + a).type("A")
                            .aliasTarget(t -> t.hostedZoneId(shared.zone("dns-a")).dnsName(a).evaluateTargetHealth(false))).build())));
        }
        upsert("dns-b", "www." + b, 120, SharedCloud.OLD_IP);

        Map<String, AtomicInteger> batches = new ConcurrentHashMap<>();
        AutoCloseable counter = cloud.front().inject(new LambdaFront.Faults() {
            @Override
            public LambdaFront.Reply intercept(String method, String path, List<String> auth, byte[] body) {
                return null;
            }

            @Override
            public byte[] answered(String method, String path, byte[] requestBody, int status, byte[] response) {
                for (String zone : List.of("dns-a", "dns-b")) {
                    if (status == 200 && isChangeBatch(method, path, shared.zone(zone))) {
                        batches.computeIfAbsent(zone, z -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return response;
            }
        });
        try {
            String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("dns-a"), route53Domain("dns-b")), FAST, null));
            throughTheTestRun(id);
            cloud.mailbox().await(id, "SLOT_BOOKING", WAIT);

            // Phase 1 lowered what moves and left alone what cannot or need not be lowered.
            Map<String, ResourceRecordSet> zoneA = aRecords("dns-a");
            Map<String, ResourceRecordSet> zoneB = aRecords("dns-b");
            assertThat(zoneA.get(a).ttl()).isEqualTo(300L);
            assertThat(zoneA.get("www." + a).aliasTarget()).isNotNull();
            assertThat(zoneA.get("mail." + a).ttl()).isEqualTo(3600L);
            assertThat(zoneB.get(b).ttl()).isEqualTo(300L);
            assertThat(zoneB.get("www." + b).ttl()).isEqualTo(120L);
            MigrationRecord lowered = record(id);
            assertThat(lowered.dns().skipped()).anySatisfy(s -> assertThat(s).startsWith("www." + a + "|A: alias record"))
                    .anySatisfy(s -> assertThat(s).startsWith("www." + b + "|A: TTL 120 s is already at or below 300 s"));
            assertThat(lowered.dns().originals()).containsOnlyKeys(a + "|A", b + "|A", "www." + b + "|A");
            assertThat(lowered.dns().originals().get(a + "|A").ttl()).isEqualTo(3600L);
            assertThat(lowered.dns().originals().get("www." + b + "|A").ttl()).isEqualTo(120L);
            assertThat(lowered.dns().loweredAt()).isNotNull();
            assertThat(lowered.dns().earliestGoLive()).as("go-live only after the longest original TTL")
                    .isEqualTo(lowered.dns().loweredAt().plusSeconds(3600));
            assertThat(batches.get("dns-a").get()).as("one batch per zone to lower").isEqualTo(1);
            assertThat(batches.get("dns-b").get()).isEqualTo(1);

            confirm(upToTheGoLiveCheck(id), "Alles funktioniert", Map.of());
            assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);

            // Switched and back to the original TTLs; the alias follows the apex; nothing else touched.
            zoneA = aRecords("dns-a");
            zoneB = aRecords("dns-b");
            assertThat(values(zoneA.get(a))).containsExactly(NEW_IP);
            assertThat(zoneA.get(a).ttl()).isEqualTo(3600L);
            assertThat(zoneA.get("www." + a).aliasTarget().dnsName()).isIn(a, a + ".");
            assertThat(values(zoneA.get("mail." + a))).containsExactly("203.0.113.25");
            assertThat(values(zoneB.get(b))).containsExactly(NEW_IP);
            assertThat(values(zoneB.get("www." + b))).containsExactly(NEW_IP);
            assertThat(zoneB.get(b).ttl()).isEqualTo(3600L);
            assertThat(zoneB.get("www." + b).ttl()).isEqualTo(120L);
            MigrationRecord done = record(id);
            assertThat(done.dns().switchedAt()).isAfter(done.dns().loweredAt());
            assertThat(done.dns().restoredAt()).isAfter(done.dns().switchedAt());
            assertThat(batches.get("dns-a").get()).as("lower, switch, restore: one batch each").isEqualTo(3);
            assertThat(batches.get("dns-b").get()).isEqualTo(3);
        } finally {
            counter.close();
        }
    }

    @Test
    void aZoneWithThreeHundredRecordsMovesOnlyTheListedOnes() throws InterruptedException {
        String id = "M-DNS-BIG";
        String domain = SharedCloud.domain("dns-big");
        try (Route53Client r53 = cloud.route53()) {
            List<Change> hosts = new ArrayList<>();
            for (int i = 1; i <= 297; i++) {
                String host = "host-%03d.%s".formatted(i, domain);
                String ip = "192.0.2." + (i % 250 + 1);
                hosts.add(Change.builder().action(ChangeAction.CREATE)
                        .resourceRecordSet(r -> r.name(host).type("A").ttl(3600L).resourceRecords(v -> v.value(ip))).build());
            }
            r53.changeResourceRecordSets(c -> c.hostedZoneId(shared.zone("dns-big")).changeBatch(cb -> cb.changes(hosts)));
        }
        assertThat(aRecords("dns-big")).hasSize(300);
        // Route 53 lists 300 record sets a page: www and host-297 sort onto the second page.
        List<String> moving = new ArrayList<>(List.of(domain, "www." + domain));
        for (int i = 280; i <= 297; i++) {
            moving.add("host-%03d.%s".formatted(i, domain));
        }
        String records = moving.stream().map(h -> "\"" + h + "\"").reduce((x, y) -> x + ", " + y).orElseThrow();
        String arn = cloud.startMigration(id, inputWithDomains(List.of(
                "{\"name\": \"%s\", \"hostedZoneId\": \"%s\", \"records\": [%s]}".formatted(domain, shared.zone("dns-big"), records)), FAST, null));
        awaitLowered(id);

        Map<String, ResourceRecordSet> zone = aRecords("dns-big");
        assertThat(zone).hasSize(300);
        zone.forEach((name, set) -> assertThat(set.ttl()).as(name).isEqualTo(moving.contains(name) ? 300L : 3600L));
        assertThat(record(id).dns().originals()).hasSize(20);

        stopInTheConsole(id, arn);
        assertThat(aRecords("dns-big").values()).hasSize(300).allSatisfy(set -> assertThat(set.ttl()).as(set.name()).isEqualTo(3600L));
    }

    static List<String> values(ResourceRecordSet set) {
        return set.resourceRecords().stream().map(r -> r.value()).toList();
    }
}
