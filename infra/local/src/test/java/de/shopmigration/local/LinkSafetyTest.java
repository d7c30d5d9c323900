package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.LinkSigner;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Purpose;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Links are capabilities: GET never acts, a link works once, forged and foreign links do nothing. */
class LinkSafetyTest extends CloudTest {

    @Test
    void getShowsButNeverActsAndALinkWorksOnceOnly() {
        String id = "M-LINKS-1";
        cloud.startMigration(id, input("links", FAST, null));
        Mailbox.Mail questionnaire = cloud.mailbox().await(id, "QUESTIONNAIRE", WAIT);
        String link = questionnaire.link("Fragebogen ausfüllen");

        for (int i = 0; i < 3; i++) {
            assertThat(browser.get(link).status()).isEqualTo(200);
            assertThat(browser.send(HttpRequest.newBuilder(URI.create(link)).method("HEAD", HttpRequest.BodyPublishers.noBody()), link)
                    .status()).isEqualTo(200);
        }
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            assertThat(store.records().get(id).answers()).isEmpty();
            assertThat(store.waits().find(id, "QUESTIONNAIRE#1").orElseThrow().resolved()).isFalse();
        }

        answerQuestionnaire(questionnaire, Map.of());
        LinkClient.Page again = browser.post(link, ANSWERS);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.title()).isEqualTo("Bereits erledigt");
        assertThat(browser.get(link).title()).isEqualTo("Bereits erledigt");
        assertThat(browser.send(HttpRequest.newBuilder(URI.create(link)).PUT(HttpRequest.BodyPublishers.noBody()), link).status())
                .isEqualTo(405);

        Mailbox.Mail staff = cloud.mailbox().await(id, "CLUSTER_PREPARATION", WAIT);
        String token = link.substring(link.lastIndexOf('/') + 1);
        String forged = link.substring(0, link.length() - 1) + (link.endsWith("A") ? "B" : "A");
        LinkClient.Page forgedPage = browser.get(forged);
        assertThat(forgedPage.status()).isEqualTo(403);
        assertThat(forgedPage.title()).isEqualTo("Dieser Link ist nicht gültig");
        String otherMigration = cloud.apiBaseUrl() + "/m/M-E2E-1/" + token;
        assertThat(browser.post(otherMigration, ANSWERS).status()).isEqualTo(403);
        assertThat(browser.get(cloud.apiBaseUrl() + "/nothing/here").status()).isEqualTo(404);
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).audit().trail(id))
                    .anySatisfy(e -> assertThat(e.action()).isEqualTo("link rejected: forged or tampered link"));
        }

        LinkClient.Page abort = browser.get(staff.link("Migration abbrechen"));
        assertThat(abort.status()).isEqualTo(200);
        LinkClient.Page tooBig = browser.post(staff.link("Migration abbrechen"), Map.of("reason", "x".repeat(70_000)));
        assertThat(tooBig.status()).isEqualTo(413);
        LinkClient.Page malformed = browser.send(HttpRequest.newBuilder(URI.create(staff.link("Migration abbrechen")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("reason=%zz")),
                staff.link("Migration abbrechen"));
        assertThat(malformed.status()).isEqualTo(400);

        LinkSigner signer = new LinkSigner(cloud.linkSecret());
        String unknown = cloud.apiBaseUrl() + "/m/" + id + "/" + signer.token(id, signer.newId());
        assertThat(browser.get(unknown).status()).isEqualTo(404);
        String expiredId = signer.newId();
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            store.links().put(new Link(id, expiredId, Purpose.PROBLEMS_FOUND, "TEST_RESULTS#1", Instant.now().minusSeconds(3600),
                    Instant.now().minusSeconds(1), null, null));
            String expired = cloud.apiBaseUrl() + "/m/" + id + "/" + signer.token(id, expiredId);
            assertThat(browser.get(expired).status()).isEqualTo(410);
            assertThat(browser.post(expired, Map.of("description", "zu spät")).status()).isEqualTo(410);
            assertThat(store.records().get(id).decisions()).extracting(d -> d.decision()).containsExactly("ANSWERED");
            assertThat(store.audit().trail(id)).extracting(AuditEntry::action)
                    .contains("link rejected: unknown link", "link rejected: expired link");
            assertThat(store.audit().trail(id)).filteredOn(e -> e.action().startsWith("link rejected"))
                    .allSatisfy(e -> assertThat(e.sourceIp()).isEqualTo("127.0.0.1"));
        }

        assertThat(browser.submit(abort, Map.of("reason", "Test beendet")).status()).isEqualTo(200);
    }

    /**
     * The answer is stored but telling the state machine fails (Step Functions refuses every
     * attempt, the page's and the background hand-over's): the page says the answer was
     * received, and a second click, though the link is used, hands the stored answer over too,
     * so the migration moves on instead of waiting for a reminder.
     */
    @Test
    void aSecondClickDeliversAnAnswerTheStateMachineNeverHeard() throws Exception {
        String id = "M-LINKS-2";
        String files = "4711042";
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            // Only this test's answer: the copy figures are its own.
            if (failing.get() && auth.stream().anyMatch(a -> a.contains("/states/")) && text.contains("taskToken")
                    && text.contains(files)) {
                refused.incrementAndGet();
                return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                        "{\"__type\":\"ServiceUnavailable\",\"message\":\"injected\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return null;
        });
        try {
            cloud.startMigration(id, input("links-2", FAST, null));
            Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());
            LinkClient.Page page = browser.get(copy.link("Kopie abgeschlossen"));

            LinkClient.Page first = browser.submit(page, Map.of("files", files));
            assertThat(first.status()).as("stored, so received: " + first.text()).isEqualTo(200);
            assertThat(refused.get()).as("every attempt to tell the state machine was refused").isGreaterThanOrEqualTo(1);
            failing.set(false);

            LinkClient.Page second = browser.submit(page, Map.of("files", files));
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.title()).isEqualTo("Bereits erledigt");
            cloud.mailbox().await(id, "COPY_DONE", WAIT);
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(new MigrationStore(dynamo, cloud.tableName()).records().get(id).decisions())
                        .extracting(d -> d.decision()).containsExactly("ANSWERED", "DONE", "SUCCEEDED");
            }
            abortToEnd(copy);
        } finally {
            faults.close();
        }
    }

    /**
     * Staff confirm the copy while the copy step's function is still returning (its last write
     * held back until they have): the answer came before the task began to wait, and counts
     * all the same, as in AWS. The copy wait is the one with a heartbeat, where moto used to
     * wait out the heartbeat interval before looking for an answer.
     */
    @Test
    void aCopyConfirmedBeforeTheCopyStepHasReturnedCounts() throws Exception {
        String id = "M-LINKS-3";
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean heldBack = new java.util.concurrent.atomic.AtomicBoolean();
        AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            if (text.contains("MIGRATION#" + id) && text.contains("email sent: INITIAL_COPY") && heldBack.compareAndSet(false, true)) {
                try {
                    // Well inside the functions' 20 s call timeout: the step must not fail.
                    answered.await(8, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        });
        try {
            String arn = cloud.startMigration(id, input("links-3", FAST, null));
            Mailbox.Mail copy = upToTheInitialCopy(id, Map.of());
            confirm(copy, "Kopie abgeschlossen", Map.of());
            assertThat(heldBack.get()).as("the copy step was still running when staff answered").isTrue();
            assertThat(answered.getCount()).isEqualTo(1);
            answered.countDown();

            cloud.mailbox().await(id, "COPY_DONE", WAIT);
            try (var sfn = cloud.sfn()) {
                assertThat(sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events())
                        .noneMatch(e -> e.taskFailedEventDetails() != null && e.taskFailedEventDetails().error().equals("States.HeartbeatTimeout"));
            }
            abortToEnd(copy);
        } finally {
            answered.countDown();
            faults.close();
        }
    }
}
