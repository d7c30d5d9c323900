package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.Link;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.store.Rejections;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a careless input or a hostile link holder can still try, on the emulator: answers whose
 * hand-over to Step Functions fails, bodies of the wrong type, callbacks with half numbers or
 * trailing garbage, control characters, floods of forged requests and of error reports.
 */
class HostileInputTest extends CloudTest {

    private static RawPost.Answer post(String url, String contentType, String body, String signature) {
        return RawPost.send(url, contentType, body, signature);
    }

    /** Signed as copy tooling signs, with the deployment's secret (read from Secrets Manager, as the tooling gets it). */
    private RawPost.Answer signed(String url, String body) {
        return post(url, "application/json", body, ToolingRouter.sign(cloud.linkSecret(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private MigrationStore store(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        return new MigrationStore(dynamo, cloud.tableName());
    }

    /**
     * A decision is stored, but Step Functions does not take it from the link page (every
     * SendTaskSuccess of the links function times out, and the answer's audit entry cannot be
     * written): the page still says it was received, since a person told "nothing saved" sends
     * it again and is told it was already done; the workflow moves on without a second click,
     * handed over in the background.
     */
    @Test
    void aStoredAnswerReachesTheWorkflowWhenStepFunctionsDoesNotAnswerThePage() throws Exception {
        String id = "M-HOSTILE-1";
        cloud.startMigration(id, input("hostile", FAST, null));
        Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger auditRefused = new AtomicInteger();
        try (AutoCloseable faults = cloud.front().inject((method, path, auth, body) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            boolean fromLinks = auth.stream().anyMatch(a -> a.contains("Credential=LinksFunction/"));
            if (fromLinks && text.contains("\"taskToken\"") && text.contains("\"output\"")) {
                refused.incrementAndGet();
                return new LambdaFront.Reply(400, "application/x-amz-json-1.0",
                        "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded (injected)\"}".getBytes(StandardCharsets.UTF_8));
            }
            if (fromLinks && text.contains("AUDIT#") && text.contains("questionnaire (QUESTIONNAIRE round")) {
                auditRefused.incrementAndGet();
                return new LambdaFront.Reply(500, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected\"}"
                                .getBytes(StandardCharsets.UTF_8));
            }
            return null;
        })) {
            LinkClient.Page form = browser.get(questionnaire.link("Fragebogen ausfüllen"));
            Map<String, String> answers = new java.util.HashMap<>(ANSWERS);
            LinkClient.Page done = browser.submit(form, answers);
            assertThat(done.status()).as(done.text()).isEqualTo(200);
            assertThat(refused.get()).as("the page's own hand-over was refused").isPositive();
            assertThat(auditRefused.get()).as("the answer's audit entry could not be written either").isPositive();
            // No second click: the background hand-over delivers the stored answer.
            Mailbox.Mail next = walk.await(id, "CLUSTER_PREPARATION");
            assertThat(next.to()).containsExactly(STAFF);
        }
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(store(dynamo).audit().trail(id)).extracting(AuditEntry::action)
                    .contains("decision handed over in the background");
        }
        abortToEnd(walk.await(id, "CLUSTER_PREPARATION"));
    }

    @Test
    void formsTakeOnlyFormBodiesCallbacksOnlySignedWholeJsonAndNothingTypedKeepsControlCharacters() {
        String id = "M-HOSTILE-2";
        String arn = cloud.startMigration(id, input("hostile-2", FAST, null));
        Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
        String url = questionnaire.link("Fragebogen ausfüllen");

        // A JSON body to a form link acts on nothing (415).
        assertThat(post(url, "application/json", "{\"currentProvider\":\"x\"}", null).status()).isEqualTo(415);
        assertThat(post(url, null, "currentProvider=x", null).status()).isEqualTo(415);
        // A line break in a one-line field, and a number DynamoDB would refuse, get a message each.
        LinkClient.Page form = browser.get(url);
        Map<String, String> bad = new java.util.HashMap<>(ANSWERS);
        bad.put("currentProvider", "Alter Hoster\nProbleme behoben:");
        bad.put("databaseSizeGb", "1e-200");
        LinkClient.Page refused = browser.submit(form, bad);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.text()).contains("ohne Zeilenumbruch", "Bitte eine Zahl eingeben");
        // Control and bidi-control characters are not stored.
        Map<String, String> typed = new java.util.HashMap<>(ANSWERS);
        typed.put("currentProvider", "Alter\u0000 Hoster \u202Egnp.exe");
        typed.put("notes", "Zeile 1\r\nZeile 2\u0007\u001b[2J\u2066");
        assertThat(browser.submit(browser.get(url), typed).status()).isEqualTo(200);
        Mailbox.Mail prepare = walk.await(id, "CLUSTER_PREPARATION");
        JsonNode answers = record(id).answers();
        assertThat(answers.path("currentProvider").asText()).isEqualTo("Alter Hoster gnp.exe");
        assertThat(answers.path("notes").asText()).isEqualTo("Zeile 1\nZeile 2[2J");
        assertThat(prepare.text()).doesNotContain("\u0000", "\u202E", "\u001b")
                .as("what the customer typed is quoted after the email's own links")
                .contains("Erika Mustermann schrieb (Weitere Hinweise):\n> Zeile 1\n> Zeile 2[2J");
        assertThat(prepare.text().indexOf("> Zeile 1")).isGreaterThan(prepare.text().indexOf("Cluster ist vorbereitet:"));

        confirm(prepare, "Cluster ist vorbereitet", Map.of());
        Mailbox.Mail copy = walk.await(id, "INITIAL_COPY");
        String callback = copy.link("Kopie abgeschlossen") + "/callback";
        // Unsigned: 401 before anything about the link is said; wrong type: 415.
        assertThat(post(callback, "application/json", "{\"result\":\"SUCCEEDED\"}", null).status()).isEqualTo(401);
        assertThat(post(callback, "text/plain", "{\"result\":\"SUCCEEDED\"}",
                ToolingRouter.sign(cloud.linkSecret(), "{\"result\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(415);
        // Half numbers and trailing garbage are refused, not stored truncated.
        assertThat(signed(callback, "{\"result\":\"SUCCEEDED\",\"files\":1.5}").status()).isEqualTo(400);
        assertThat(signed(callback, "{\"result\":\"SUCCEEDED\",\"files\":-0.5}").status()).isEqualTo(400);
        assertThat(signed(callback, "{\"result\":\"RUNNING\"} xyz").status()).isEqualTo(400);
        assertThat(signed(callback, "{\"result\":\"RUNNING\"}{\"result\":\"SUCCEEDED\"}").status()).isEqualTo(400);
        assertThat(record(id).copies()).as("nothing stored from a refused callback").isEmpty();
        // Every refusal is in the audit trail, aggregated.
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(store(dynamo).audit().trail(id)).extracting(AuditEntry::action)
                    .contains("request rejected: content type application/json", "callback rejected: bad signature",
                            "callback rejected: not JSON", "callback rejected: bad figure", "callback rejected: malformed body");
        }
        assertThat(signed(callback, "{\"result\":\"SUCCEEDED\",\"files\":48213}").status()).isEqualTo(200);
        // The migration ends; the used link's heartbeat learns "stop copying" (410), not "already answered".
        abortToEnd(copy);
        cloud.awaitEnd(arn, WAIT);
        for (int i = 0; i < 300 && !MigrationRecord.ABORTED.equals(record(id).status()); i++) {
            sleep(100);
        }
        assertThat(record(id).status()).as("the cleanup has closed the record").isEqualTo(MigrationRecord.ABORTED);
        assertThat(signed(callback, "{\"result\":\"RUNNING\",\"progress\":\"3 of 9\"}").status()).isEqualTo(410);
        assertThat(browser.get(cloud.apiBaseUrl() + "/m/" + id + "/no/such/page").status()).isEqualTo(404);
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(store(dynamo).audit().trail(id)).extracting(AuditEntry::action)
                    .contains("callback rejected: migration ended", "request rejected: no such page");
        }
    }

    /** A hundred forged requests make one audit item that counts them, not a hundred items. */
    @Test
    void floodsOfForgedRequestsAreCountedInOneAuditItemPerSource() {
        String id = "M-HOSTILE-3";
        cloud.startMigration(id, input("hostile-3", FAST, null));
        Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
        String forged = CopyWebhookTest.forge(questionnaire.link("Fragebogen ausfüllen"));
        int before;
        try (var dynamo = cloud.dynamoDb()) {
            before = store(dynamo).table().query(id, "AUDIT#").size();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(browser.get(forged + (i % 2 == 0 ? "" : "/extra-" + i)).status()).isIn(403, 404);
        }
        try (var dynamo = cloud.dynamoDb()) {
            // The migration goes on meanwhile (its DNS branch, its emails): a few entries of its own may come.
            assertThat(store(dynamo).table().query(id, "AUDIT#").size() - before).as("audit items added while the flood ran").isLessThan(10);
            assertThat(store(dynamo).table().query(id, "AUDIT#REJECT#")).as("the flood's items: forged link, no such page").hasSize(2);
            assertThat(store(dynamo).audit().trail(id)).filteredOn(e -> e.action().equals("link rejected: forged or tampered link"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.sourceIp()).isEqualTo("127.0.0.1");
                        assertThat(e.detail()).contains("GET /m/" + id + "/{token}").doesNotContain(forged.substring(forged.lastIndexOf('/') + 1));
                    });
            // Many sources: at most MAX_SOURCES items of their own, the rest share one.
            Rejections rejections = store(dynamo).rejections();
            Instant now = Instant.now();
            for (int i = 0; i < Rejections.MAX_SOURCES + 30; i++) {
                rejections.record(id, "link rejected: forged or tampered link", "anonymous", "198.51.100." + i, "GET /m/x/{token}", now);
            }
            long sources = store(dynamo).table().query(id, "AUDIT#REJECT#").size();
            assertThat(sources).isLessThanOrEqualTo(Rejections.MAX_SOURCES + 2L);
            assertThat(store(dynamo).audit().trail(id)).anySatisfy(e -> assertThat(e.sourceIp()).isEqualTo("(other sources)"));
        }
        stop(id);
    }

    /**
     * Error reports are items of their own, one a minute per link and twenty per migration, and
     * ten POSTs in a second through one link store (and mail) one report.
     */
    @Test
    void errorReportsAreLimitedPerLinkAndMigrationAndKeptOutOfTheRecord() throws Exception {
        String id = "M-HOSTILE-4";
        cloud.startMigration(id, input("hostile-4", FAST, null));
        walk.await(id, "QUESTIONNAIRE");
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = store(dynamo);
            Instant now = Instant.now();
            List<String> links = new ArrayList<>();
            for (int i = 0; i < ErrorReports.PER_MIGRATION + 1; i++) {
                String linkId = "report-link-" + i;
                store.links().put(new Link(id, linkId, Purpose.REPORT_ERROR, null, now, now.plusSeconds(3600), null, null));
                links.add(linkId);
            }
            // Ten at once through one link: one is stored.
            var pool = Executors.newFixedThreadPool(10);
            List<Future<ErrorReports.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> store.errorReports().add(id, links.get(0),
                        new MigrationRecord.ErrorReport("Fehler " + n + " " + "x".repeat(4000), now, false), now)));
            }
            int stored = 0;
            for (Future<ErrorReports.Outcome> f : outcomes) {
                stored += f.get() == ErrorReports.Outcome.STORED ? 1 : 0;
            }
            pool.shutdown();
            assertThat(stored).isEqualTo(1);
            for (int i = 1; i < ErrorReports.PER_MIGRATION; i++) {
                assertThat(store.errorReports().add(id, links.get(i), new MigrationRecord.ErrorReport("x".repeat(5000), now, false), now))
                        .isEqualTo(ErrorReports.Outcome.STORED);
            }
            assertThat(store.errorReports().add(id, links.get(ErrorReports.PER_MIGRATION),
                    new MigrationRecord.ErrorReport("one too many", now, false), now)).isEqualTo(ErrorReports.Outcome.LIMIT_REACHED);
            assertThat(store.errorReports().list(id)).hasSize(ErrorReports.PER_MIGRATION);
            assertThat(store.records().raw(id).toString().length()).as("the record does not grow with the reports").isLessThan(20_000);
        }
        stop(id);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a test's migration as staff would in the console. */
    private void stop(String id) {
        try (var sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(cloud.executionArn(id)).cause("Test beendet"));
        }
    }
}
