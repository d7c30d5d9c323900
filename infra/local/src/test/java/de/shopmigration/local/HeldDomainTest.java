package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.DomainHolds;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A domain that one running migration moves cannot be moved by a second one at the same time:
 * the second would record the TTLs the first lowered (300) as the originals and leave them so
 * at its close-out. The second is refused at its first state, naming the first; once the first
 * has ended, the domain may be migrated again, with the true originals.
 */
class HeldDomainTest extends DnsCloudTest {

    static final String HELD_ERROR = "de.shopmigration.core.DomainHeldByAnotherMigration";

    @Test
    void aSecondMigrationOfAHeldDomainIsRefusedNamingTheFirstAndMayStartOnceTheFirstHasEnded() throws Exception {
        String domain = SharedCloud.domain("held");
        String first = "M-HELD-1";
        String firstArn = cloud.startMigration(first, input("held", FAST, null));
        cloud.mailbox().await(first, "QUESTIONNAIRE", WAIT);
        awaitLowered(first);

        // The same request under a new name, and one that names an overlapping host in another spelling.
        String again = "M-HELD-2";
        String againArn = cloud.startMigration(again, input("held", FAST, null));
        String overlap = "M-HELD-3";
        String overlapArn = cloud.startMigration(overlap,
                SampleMigration.input("WWW." + domain.toUpperCase(java.util.Locale.ROOT) + ".", shared.zone("held"), FAST, null));
        for (String arn : List.of(againArn, overlapArn)) {
            DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
            assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(end.error()).isEqualTo(HELD_ERROR);
            assertThat(end.cause()).contains("by migration " + first, "www." + domain, "once " + first + " has ended");
            assertThat(statesEntered(arn)).containsExactly("Check the migration request", "Migration request rejected");
        }
        assertThat(cloud.describe(againArn).cause()).contains(domain + ", www." + domain + " by migration " + first);

        // The refused executions' cleanups ran and changed nothing: no record, no email, the first still holds
        // its names and its lowered TTLs stand.
        awaitCleanupOf(againArn);
        awaitCleanupOf(overlapArn);
        for (String refused : List.of(again, overlap)) {
            assertThat(cloud.mailbox().forMigration(refused)).isEmpty();
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(new MigrationStore(dynamo, cloud.tableName()).records().find(refused)).isEmpty();
            }
        }
        assertThat(holder(domain)).contains(first);
        assertThat(holder("www." + domain)).contains(first);
        assertThat(aRecords("held").get(domain).ttl()).isEqualTo(300L);
        assertThat(record(first).status()).isEqualTo(MigrationRecord.RUNNING);

        // The first ends (a stop in the console runs the cleanup): the names are free, and a new
        // migration of the domain starts and keeps the true original TTLs.
        stopInTheConsole(first, firstArn);
        assertThat(holder(domain)).isEmpty();
        assertThat(holder("www." + domain)).isEmpty();
        String next = "M-HELD-4";
        String nextArn = cloud.startMigration(next, input("held", FAST, null));
        cloud.mailbox().await(next, "QUESTIONNAIRE", WAIT);
        MigrationRecord lowered = awaitLowered(next);
        assertThat(lowered.dns().originals().values()).hasSize(2)
                .allSatisfy(o -> assertThat(o.ttl()).as(o.name()).isEqualTo(3600L));
        assertThat(holder(domain)).contains(next);
        stopInTheConsole(next, nextArn);
        assertThat(holder(domain)).isEmpty();
        assertThat(aRecords("held").values()).allSatisfy(r -> assertThat(r.ttl()).as(r.name()).isEqualTo(3600L));
    }

    /** Three executions for one domain started at the same moment: exactly one passes its first state. */
    @Test
    void startsAtTheSameMomentForOneDomainLetExactlyOneThrough() throws Exception {
        String domain = SharedCloud.domain("held-race");
        List<String> ids = List.of("M-HELD-RACE-1", "M-HELD-RACE-2", "M-HELD-RACE-3");
        CountDownLatch ready = new CountDownLatch(ids.size());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService starters = Executors.newFixedThreadPool(ids.size());
        List<Future<String>> arns = new ArrayList<>();
        try {
            for (String id : ids) {
                arns.add(starters.submit(() -> {
                    ready.countDown();
                    go.await();
                    return cloud.startMigration(id, input("held-race", FAST, null));
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<String> passed = new ArrayList<>();
            List<DescribeExecutionResponse> refused = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String arn = arns.get(i).get(30, TimeUnit.SECONDS);
                Optional<DescribeExecutionResponse> end = passedOrRefused(arn);
                if (end.isEmpty()) {
                    passed.add(ids.get(i));
                } else {
                    refused.add(end.get());
                }
            }
            assertThat(passed).hasSize(1);
            String winner = passed.get(0);
            assertThat(refused).hasSize(ids.size() - 1).allSatisfy(end -> {
                assertThat(end.error()).isEqualTo(HELD_ERROR);
                assertThat(end.cause()).contains("by migration " + winner);
            });
            assertThat(holder(domain)).contains(winner);
            assertThat(holder("www." + domain)).contains(winner);
            cloud.mailbox().await(winner, "QUESTIONNAIRE", WAIT);
            stopInTheConsole(winner, cloud.executionArn(winner));
            assertThat(holder(domain)).isEmpty();
        } finally {
            starters.shutdownNow();
        }
    }

    /**
     * The first attempt of the check opens the record and takes the holds, then fails (the audit
     * write is refused, more often than the SDK retries); the state machine retries the step,
     * which must find the holds its own rather than refuse the migration for holding its domain.
     */
    @Test
    void theHoldersRetriedCheckPassesItsOwnHolds() throws Exception {
        String id = "M-HELD-RETRY";
        String domain = SharedCloud.domain("held-retry");
        AtomicBoolean healed = new AtomicBoolean();
        AtomicInteger refusedWrites = new AtomicInteger();
        String arn;
        try (AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!healed.get() && text.contains("MIGRATION#" + id) && text.contains("migration opened")) {
                refusedWrites.incrementAndGet();
                return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected\"}".getBytes(StandardCharsets.UTF_8));
            }
            return null;
        })) {
            arn = cloud.startMigration(id, input("held-retry", FAST, null));
            HistoryEvent failed = awaitFirstCheckFailed(arn);
            healed.set(true);
            assertThat(failed.taskFailedEventDetails().error()).isEqualTo("de.shopmigration.core.TransientAwsFailure");
            assertThat(refusedWrites.get()).isGreaterThanOrEqualTo(2);
            // The failed attempt had taken the holds already.
            try (var dynamo = cloud.dynamoDb()) {
                Optional<DomainHolds.Hold> hold = new MigrationStore(dynamo, cloud.tableName()).domainHolds().hold(domain);
                assertThat(hold).hasValueSatisfying(h -> {
                    assertThat(h.holder()).isEqualTo(id);
                    assertThat(h.since()).isBefore(failed.timestamp());
                });
            }
        }
        cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        assertThat(cloud.describe(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        List<HistoryEvent> history = history(arn);
        assertThat(entered(history, "Check the migration request")).isEqualTo(1);
        assertThat(history).noneMatch(e -> e.taskFailedEventDetails() != null && HELD_ERROR.equals(e.taskFailedEventDetails().error()));
        assertThat(record(id).status()).isEqualTo(MigrationRecord.RUNNING);
        stopInTheConsole(id, arn);
        assertThat(holder(domain)).isEmpty();
    }

    /** The migration holding a name, as staff read it in the table ({@code HOLD#name}). */
    private Optional<String> holder(String name) {
        try (var dynamo = cloud.dynamoDb()) {
            return new MigrationStore(dynamo, cloud.tableName()).domainHolds().hold(name).map(DomainHolds.Hold::holder);
        }
    }

    /** Empty while the execution got past its first state; its end when it was refused there. */
    private Optional<DescribeExecutionResponse> passedOrRefused(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            DescribeExecutionResponse now = cloud.describe(arn);
            if (now.status() != ExecutionStatus.RUNNING) {
                return Optional.of(now);
            }
            if (statesEntered(arn).stream().anyMatch(s -> s.startsWith("Phase 1"))) {
                return Optional.empty();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(arn + " neither passed nor failed its first state within " + WAIT);
    }

    private HistoryEvent awaitFirstCheckFailed(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<HistoryEvent> failed = history(arn).stream().filter(e -> e.taskFailedEventDetails() != null).findFirst();
            if (failed.isPresent()) {
                return failed.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The first check of " + arn + " did not fail within " + WAIT);
    }

    /** The cleanup execution the EventBridge rule started for an ended execution, once it has ended too. */
    private void awaitCleanupOf(String arn) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (SfnClient sfn = cloud.sfn()) {
            while (System.nanoTime() < deadline) {
                List<DescribeExecutionResponse> cleanups = sfn.listExecutionsPaginator(b -> b.stateMachineArn(cloud.stateMachineArn("CleanupStateMachine")))
                        .executions().stream().map(e -> sfn.describeExecution(b -> b.executionArn(e.executionArn())))
                        .filter(d -> d.input().contains(arn)).toList();
                if (!cleanups.isEmpty()) {
                    assertThat(cleanups).singleElement().satisfies(c ->
                            assertThat(cloud.awaitEnd(c.executionArn(), WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED));
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("No cleanup started for " + arn + " within " + WAIT);
    }

    private List<String> statesEntered(String arn) {
        return history(arn).stream().filter(e -> e.stateEnteredEventDetails() != null).map(e -> e.stateEnteredEventDetails().name()).toList();
    }
}
