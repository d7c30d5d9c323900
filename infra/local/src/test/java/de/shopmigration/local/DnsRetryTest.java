package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Route 53 failing half-way through a step: the first zone is lowered, the second throttled
 * until the SDK gives up and the step fails; the state machine retries it with backoff. The
 * retry must not record the lowered TTL as the original, nor lower the first zone twice. Then
 * Route 53 reports the change PENDING for a while, and the state machine waits for INSYNC.
 */
class DnsRetryTest extends DnsCloudTest {

    private static final Pattern CHANGE_ID = Pattern.compile("<Id>/change/([^<]+)</Id>");

    @Test
    void aRetryAfterAPartialFailureKeepsTheTrueOriginalsAndWaitsForInSync() throws Exception {
        String id = "M-DNS-RETRY";
        String first = shared.zone("dns-retry");
        String second = shared.zone("dns-retry-2");
        AtomicInteger throttled = new AtomicInteger();
        AtomicInteger firstZoneBatches = new AtomicInteger();
        Set<String> changeIds = ConcurrentHashMap.newKeySet();
        AtomicInteger pendingServed = new AtomicInteger();
        AutoCloseable faults = cloud.front().inject(new LambdaFront.Faults() {
            @Override
            public LambdaFront.Reply intercept(String method, String path, List<String> auth, byte[] body) {
                // Five refusals outlast the SDK's own retries within one invocation.
                if (isChangeBatch(method, path, second) && throttled.get() < 5) {
                    return route53Error(throttled.getAndIncrement() % 2 == 0 ? "Throttling" : "PriorRequestNotComplete");
                }
                if (method.equals("GET") && path.startsWith("/2013-04-01/change/")
                        && changeIds.contains(path.substring(path.lastIndexOf('/') + 1)) && pendingServed.get() < 3) {
                    pendingServed.incrementAndGet();
                    String changeId = path.substring(path.lastIndexOf('/') + 1);
                    return new LambdaFront.Reply(200, "text/xml", ("<?xml version=\"1.0\"?><GetChangeResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                            + "<ChangeInfo><Id>/change/" + changeId + "</Id><Status>PENDING</Status><SubmittedAt>" + java.time.Instant.now() + "</SubmittedAt>"
                            + "</ChangeInfo></GetChangeResponse>").getBytes(StandardCharsets.UTF_8));
                }
                return null;
            }

            // moto gives every change the same id; ours get their own, so only this migration sees PENDING.
            @Override
            public byte[] answered(String method, String path, byte[] requestBody, int status, byte[] response) {
                if (status != 200 || !(isChangeBatch(method, path, first) || isChangeBatch(method, path, second))) {
                    return response;
                }
                if (isChangeBatch(method, path, first)) {
                    firstZoneBatches.incrementAndGet();
                }
                String own = "RETRY" + changeIds.size() + "X" + Long.toHexString(System.nanoTime()).toUpperCase(java.util.Locale.ROOT);
                changeIds.add(own);
                return CHANGE_ID.matcher(new String(response, StandardCharsets.UTF_8)).replaceFirst("<Id>/change/" + own + "</Id>")
                        .getBytes(StandardCharsets.UTF_8);
            }
        });
        try {
            String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("dns-retry"), route53Domain("dns-retry-2")), FAST, null));
            MigrationRecord lowered = awaitLowered(id);
            List<HistoryEvent> history = history(arn);
            assertThat(throttled.get()).as("every injected refusal was asked for").isEqualTo(5);
            assertThat(history.stream().anyMatch(e -> e.type() == HistoryEventType.TASK_FAILED
                    && e.taskFailedEventDetails().error().equals("de.shopmigration.core.TransientAwsFailure")))
                    .as("the step failed as transient and was retried by the state machine").isTrue();
            assertThat(entered(history, "Phase 1 · Lower the DNS TTLs")).isEqualTo(1);
            assertThat(firstZoneBatches.get()).as("the retry did not lower the first zone again").isEqualTo(1);
            assertThat(lowered.dns().originals().values()).hasSize(4)
                    .allSatisfy(o -> assertThat(o.ttl()).as(o.name() + " original").isEqualTo(3600L));
            assertThat(pendingServed.get()).isEqualTo(3);
            assertThat(entered(history, "Phase 1 · Wait for Route 53 to apply the TTLs")).as("polled until INSYNC")
                    .isGreaterThanOrEqualTo(3);
            for (String zone : List.of("dns-retry", "dns-retry-2")) {
                String domain = SharedCloud.domain(zone);
                assertThat(aRecords(zone).get(domain).ttl()).isEqualTo(300L);
                assertThat(aRecords(zone).get("www." + domain).ttl()).isEqualTo(300L);
            }

            stopInTheConsole(id, arn);
            for (String zone : List.of("dns-retry", "dns-retry-2")) {
                assertThat(aRecords(zone).values()).allSatisfy(set -> assertThat(set.ttl()).as(set.name()).isEqualTo(3600L));
            }
        } finally {
            faults.close();
        }
    }
    /**
     * Two attempts of the lowering step at once (a timed-out one still running when the retry
     * starts): the originals the other attempt stored between this one's read and its write
     * count, not the zone's values this one found, and the skipped list follows them.
     */
    @Test
    void originalsAnotherAttemptStoredFirstCountOverTheZoneAndDecideWhatIsSkipped() throws Exception {
        String id = "M-DNS-RACE";
        String zone = shared.zone("dns-race");
        String domain = SharedCloud.domain("dns-race");
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (text.contains("MIGRATION#" + id) && text.contains("if_not_exists(#dns.#o") && raced.compareAndSet(false, true)) {
                try (var dynamo = cloud.dynamoDb()) {
                    dynamo.updateItem(b -> b.tableName(cloud.tableName())
                            .key(Map.of("pk", de.shopmigration.core.store.AttributeValues.s("MIGRATION#" + id),
                                    "sk", de.shopmigration.core.store.AttributeValues.s("RECORD")))
                            .updateExpression("SET dns.originals.#k = :v")
                            .expressionAttributeNames(Map.of("#k", domain + "|A"))
                            .expressionAttributeValues(Map.of(":v", de.shopmigration.core.store.AttributeValues.of(
                                    new MigrationRecord.RecordOriginal(zone, domain, "A", 120, List.of(SharedCloud.OLD_IP))))));
                }
            }
            return null;
        });
        try {
            String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("dns-race")), FAST, null));
            MigrationRecord lowered = awaitLowered(id);
            assertThat(raced.get()).as("the other attempt's write came between read and write").isTrue();
            assertThat(lowered.dns().originals().get(domain + "|A").ttl()).as("the other attempt's original").isEqualTo(120L);
            assertThat(lowered.dns().originals().get("www." + domain + "|A").ttl()).isEqualTo(3600L);
            assertThat(lowered.dns().skipped()).contains(domain + "|A: TTL 120 s is already at or below 300 s");
            assertThat(aRecords("dns-race").get(domain).ttl()).as("needs no lowering by its original").isEqualTo(3600L);
            assertThat(aRecords("dns-race").get("www." + domain).ttl()).isEqualTo(300L);
            stopInTheConsole(id, arn);
        } finally {
            faults.close();
        }
    }
}
