package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * A whole migration while Route 53, SES and DynamoDB fail: every Route 53 change batch and
 * every email is refused four times in a row (more than the SDK retries, so the step fails and
 * the state machine retries it), and every fifth DynamoDB request of the migration is throttled.
 * It must end as a fault-free migration does: no duplicate email, no lost original TTL, one
 * booking, no link left that still acts.
 */
class FaultsTest extends DnsCloudTest {

    private static final String ID = "M-FAULTS-1";
    private static final int REFUSALS = 4;

    /**
     * Every faulted step waits for the state machine's backoff (up to a minute with full jitter)
     * before its retry, several in a row; with other test classes running beside it, one email
     * can take longer than the usual minute.
     */
    @Override
    java.time.Duration patience() {
        return java.time.Duration.ofMinutes(3);
    }

    @Test
    void aMigrationUnderInjectedFaultsEndsInTheSameStateAsWithout() throws Exception {
        String zoneId = shared.zone("faults");
        Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        AtomicInteger dynamoRequests = new AtomicInteger();
        Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
        AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (isChangeBatch(method, path, zoneId)) {
                if (attempts.computeIfAbsent(("r53" + text).hashCode(), k -> new AtomicInteger()).getAndIncrement() < REFUSALS) {
                    injected.computeIfAbsent("route53", k -> new AtomicInteger()).incrementAndGet();
                    return route53Error(attempts.size() % 2 == 0 ? "Throttling" : "PriorRequestNotComplete");
                }
            } else if (method.equals("POST") && path.startsWith("/v2/email/outbound-emails") && emailOf(text).contains(ID)) {
                if (attempts.computeIfAbsent(("ses" + identity(emailOf(text))).hashCode(), k -> new AtomicInteger()).getAndIncrement() < REFUSALS) {
                    injected.computeIfAbsent("ses", k -> new AtomicInteger()).incrementAndGet();
                    return new LambdaFront.Reply(500, "application/json",
                            "{\"message\":\"Internal failure (injected)\"}".getBytes(StandardCharsets.UTF_8));
                }
            } else if (text.contains("MIGRATION#" + ID) && auth.stream().anyMatch(a -> a.contains("/dynamodb/"))
                    && !fromTheStateMachine(text) && dynamoRequests.incrementAndGet() % 5 == 0) {
                injected.computeIfAbsent("dynamodb", k -> new AtomicInteger()).incrementAndGet();
                return new LambdaFront.Reply(400, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"Rate exceeded (injected)\"}"
                                .getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });
        String arn = cloud.startMigration(ID, input("faults", FAST, null));
        String slot;
        try {
            throughTheTestRun(ID);
            Mailbox.Mail check = upToTheGoLiveCheck(ID);
            slot = record(ID).booking().start().toString();
            confirm(check, "Alles funktioniert", Map.of());
            assertThat(cloud.awaitEnd(arn, java.time.Duration.ofMinutes(3)).status()).as(() -> cloud.diagnose(arn))
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
        } finally {
            faults.close();
        }

        // The faults were there, and the state machine retried through them.
        assertThat(injected.keySet()).containsExactlyInAnyOrder("route53", "ses", "dynamodb");
        assertThat(history(arn).stream().filter(e -> e.type() == HistoryEventType.TASK_FAILED
                && e.taskFailedEventDetails().error().equals("de.shopmigration.core.TransientAwsFailure")).count())
                .as("failed steps retried by the state machine").isGreaterThanOrEqualTo(4);

        // The same end as without faults.
        MigrationRecord record = record(ID);
        assertThat(record.status()).isEqualTo("COMPLETED");
        List<String> kinds = cloud.mailbox().forMigration(ID).stream().map(m -> m.kind() + "->" + m.to().get(0)).toList();
        assertThat(kinds).as("no email twice").doesNotHaveDuplicates().containsExactlyInAnyOrder(
                "QUESTIONNAIRE->" + CUSTOMER, "CLUSTER_PREPARATION->" + STAFF, "CODE_FREEZE->" + CUSTOMER, "INITIAL_COPY->" + STAFF,
                "COPY_DONE->" + CUSTOMER, "TEST_RESULTS->" + CUSTOMER, "SLOT_BOOKING->" + CUSTOMER, "GO_LIVE_CONFIRMED->" + CUSTOMER,
                "GO_LIVE_WAIT->" + STAFF, "GO_LIVE_REMINDER->" + CUSTOMER, "MAINTENANCE_ON->" + CUSTOMER, "FINAL_COPY->" + STAFF,
                "MAINTENANCE_OFF->" + STAFF, "GO_LIVE_CHECK->" + CUSTOMER, "GO_LIVE_DONE->" + CUSTOMER,
                "CLOSE_OUT_SUMMARY->" + CUSTOMER, "CLOSE_OUT_SUMMARY->" + STAFF);
        assertThat(record.dns().originals().values()).hasSize(2).allSatisfy(o -> assertThat(o.ttl()).isEqualTo(3600L));
        Map<String, ResourceRecordSet> zone = aRecords("faults");
        String domain = SharedCloud.domain("faults");
        for (String host : List.of(domain, "www." + domain)) {
            assertThat(DnsLifecycleTest.values(zone.get(host))).containsExactly(NEW_IP);
            assertThat(zone.get(host).ttl()).isEqualTo(3600L);
        }
        try (var dynamo = cloud.dynamoDb()) {
            // The booking held each hour of its slot once, and gave them back when the go-live was done.
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            assertThat(record.booking().cells()).isEqualTo(de.shopmigration.core.OfficeHours.DEFAULT.cells(Instant.parse(slot)));
            record.booking().held().forEach(hour -> assertThat(store.bookings().holders(hour)).doesNotContain(ID));
            assertThat(store.bookings().calendar()).filteredOn(e -> e.migrationId().equals(ID)).singleElement()
                    .satisfies(e -> assertThat(e.sequence()).isEqualTo(1));
        }
        assertThat(record.decisions()).extracting(MigrationRecord.Decision::decision).containsExactly("ANSWERED", "DONE", "SUCCEEDED",
                "PASSED", "BOOKED", "MAINTENANCE_ON", "SUCCEEDED", "MAINTENANCE_OFF", "ALL_GOOD");
        // No link left that still acts: only the status page and the error report (billable now) offer anything.
        List<String> acting = new ArrayList<>();
        for (Mailbox.Mail m : cloud.mailbox().forMigration(ID)) {
            for (String link : m.links()) {
                LinkClient.Page page = browser.get(link);
                if (page.status() == 200 && page.form() != null && !page.title().equals("Fehler nach der Migration melden")) {
                    acting.add(m.kind() + ": " + page.title());
                }
            }
        }
        assertThat(acting).isEmpty();
    }

    /**
     * The state machine's own DynamoDB tasks (phase marks, closing the record) are left alone:
     * moto's interpreter ends the execution FAILED on an error there instead of raising the
     * DynamoDB.ThrottlingException the tasks' Retry matches in AWS.
     */
    private static boolean fromTheStateMachine(String body) {
        return body.contains("currentPhase") || body.contains(":completed");
    }

    /** What stays the same when the same email is composed again: kind, recipient, subject. */
    private static String identity(String email) {
        return email.lines().filter(l -> l.startsWith("X-Migration-Kind:") || l.startsWith("To:") || l.startsWith("Subject:"))
                .reduce("", String::concat);
    }

    /** The raw email inside a SES v2 SendEmail request. */
    private static String emailOf(String body) {
        try {
            JsonNode data = Json.read(body).path("Content").path("Raw").path("Data");
            return data.isTextual() ? new String(Base64.getMimeDecoder().decode(data.asText()), StandardCharsets.UTF_8) : body;
        } catch (RuntimeException e) {
            return body;
        }
    }
}
