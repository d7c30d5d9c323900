package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.core.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The copy contract with a webhook deployed: the job the tooling receives, retries while the
 * tooling answers 5xx, callbacks checked before anything changes (unsigned, forged, malformed,
 * replayed, late), heartbeats that keep a long copy alive, and silence reported to staff.
 */
@SharedCloud.CopyWebhook
class CopyWebhookTest extends CloudTest {

    static final String COPY = """
            "copy": {"source": {"files": "deploy@old-host.example:/var/www/shop/", "database": {"name": "shop", "connection": "old"}},
                     "target": {"files": "/srv/cluster/shop/", "database": {"name": "shop_new", "connection": "cluster"}}}""";

    RawPost.Answer callback(String url, String body, String signature) {
        return RawPost.send(url, "application/json", body, signature);
    }

    /** A callback signed as the copy tooling signs it, with the deployment's secret (the operator's own, ExistingLinkSecretArn). */
    RawPost.Answer signed(String url, String body) {
        return callback(url, body, ToolingRouter.sign(cloud.linkSecret(), body.getBytes(StandardCharsets.UTF_8)));
    }

    Wait waitOf(String id, String key) {
        try (var dynamo = cloud.dynamoDb()) {
            return new MigrationStore(dynamo, cloud.tableName()).waits().find(id, key).orElseThrow();
        }
    }

    /** The same link with one character of its signature changed. */
    static String forge(String url) {
        int dot = url.lastIndexOf('.');
        char c = url.charAt(dot + 1);
        return url.substring(0, dot + 1) + (c == 'A' ? 'B' : 'A') + url.substring(dot + 2);
    }

    @Test
    void jobIsRetriedWhileTheToolingAnswers5xxAndOnlyASignedWellFormedCallbackDecides() {
        String id = "M-HOOK-1";
        shared.tooling.failFirst(id, 2);
        cloud.startMigration(id, input("hook-1", FAST, COPY));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());

        ToolingRouter.Job job = shared.tooling.awaitJob(id, "initial", 1, WAIT);
        assertThat(shared.tooling.attempts(id)).as("two 503 answers, then accepted").isEqualTo(3);
        JsonNode j = job.json();
        assertThat(j.path("source").path("files").asText()).isEqualTo("deploy@old-host.example:/var/www/shop/");
        assertThat(j.path("source").path("database").path("connection").asText()).isEqualTo("old");
        assertThat(j.path("target").path("database").path("name").asText()).isEqualTo("shop_new");
        assertThat(j.path("target").path("ip").asText()).isEqualTo("198.51.100.20");
        assertThat(j.path("questionnaire").path("shopSystem").asText()).isEqualTo("SHOPWARE");
        assertThat(j.path("heartbeatSeconds").asLong()).isEqualTo(1800);
        assertThat(Duration.between(java.time.Instant.parse(j.path("issuedAt").asText()), java.time.Instant.now()).abs())
                .isLessThan(Duration.ofMinutes(2));
        assertThat(job.body()).as("no task token leaves the server").doesNotContain("taskToken")
                .doesNotContain(waitOf(id, "INITIAL_COPY#1").taskToken());
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).as("the job went to the tooling, not to staff")
                .doesNotContain("INITIAL_COPY");

        String cb = job.callbackUrl();
        String success = "{\"result\":\"SUCCEEDED\",\"files\":1234,\"bytes\":5000000000,\"tables\":87,\"databaseBytes\":3500000000,\"durationSeconds\":754}";
        assertThat(callback(cb, success, null).status()).as("unsigned").isEqualTo(401);
        assertThat(callback(cb, success, ToolingRouter.sign("another-secret-0123456789-abcdefghij", success.getBytes(StandardCharsets.UTF_8))).status())
                .as("signed with another key").isEqualTo(401);
        String tampered = success.replace("1234", "1235");
        assertThat(callback(cb, tampered, ToolingRouter.sign(cloud.linkSecret(), success.getBytes(StandardCharsets.UTF_8))).status())
                .as("body changed after signing").isEqualTo(401);
        assertThat(signed(forge(cb), success).status()).as("forged link").isEqualTo(403);
        assertThat(signed(cb, "not json").status()).isEqualTo(400);
        assertThat(signed(cb, "{\"result\":\"MAYBE\"}").status()).isEqualTo(400);
        assertThat(signed(cb, "{\"result\":\"SUCCEEDED\",\"files\":-1}").status()).isEqualTo(400);
        assertThat(signed(cb, "{\"result\":\"SUCCEEDED\",\"files\":\"many\"}").status()).isEqualTo(400);
        assertThat(record(id).copies()).as("nothing changed by a rejected callback").isEmpty();
        assertThat(waitOf(id, "INITIAL_COPY#1").resolved()).isFalse();
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).audit().trail(id)).extracting(AuditEntry::action)
                    .contains("callback rejected: bad signature");
        }

        // The tooling reports a failure: staff hear the reason and the job goes out again as round 2.
        assertThat(signed(cb, "{\"result\":\"FAILED\",\"reason\":\"rsync: connection refused by old-host.example\"}").status()).isEqualTo(200);
        Mailbox.Mail failed = mail.await(id, "COPY_FAILED", WAIT);
        assertThat(failed.to()).containsExactly(STAFF);
        assertThat(failed.plain()).contains("rsync: connection refused by old-host.example");
        ToolingRouter.Job second = shared.tooling.awaitJob(id, "initial", 2, WAIT);
        assertThat(second.callbackUrl()).isNotEqualTo(cb);
        assertThat(signed(cb, success).status()).as("the first job's callback was used").isEqualTo(409);

        assertThat(signed(second.callbackUrl(), success).status()).isEqualTo(200);
        assertThat(signed(second.callbackUrl(), success).status()).as("a replay changes nothing").isEqualTo(409);
        mail.await(id, "COPY_DONE", WAIT);
        Mailbox.Mail report = mail.await(id, "COPY_REPORT", WAIT);
        assertThat(report.to()).containsExactly(STAFF);
        assertThat(report.plain()).contains("Dateien übertragen", "1.234", "5,0 GB", "87", "3,5 GB", "12 Min.");
        MigrationRecord record = record(id);
        assertThat(record.copies()).extracting(MigrationRecord.CopyResult::result).containsExactly("FAILED", "SUCCEEDED");
        assertThat(record.copies().get(1).files()).isEqualTo(1234L);
        assertThat(record.copies().get(1).durationSeconds()).isEqualTo(754L);
        assertThat(record.decisions()).filteredOn(d -> d.step().equals("INITIAL_COPY"))
                .extracting(MigrationRecord.Decision::by).containsOnly(MigrationRecord.COPY_TOOLING);
        mail.await(id, "TEST_RESULTS", WAIT);
        assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("COPY_DONE")).hasSize(1);
    }

    @Test
    void heartbeatsKeepALongCopyAliveSilenceIsReportedToStaffAndALateCallbackChangesNothing() throws InterruptedException {
        String id = "M-HOOK-2";
        String timing = FAST.replace("\"dnsPollSeconds\": 1,", "\"dnsPollSeconds\": 1, \"copyHeartbeatSeconds\": 6,");
        cloud.startMigration(id, input("hook-2", timing, COPY));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
        ToolingRouter.Job job = shared.tooling.awaitJob(id, "initial", 1, WAIT);
        assertThat(job.json().path("heartbeatSeconds").asLong()).isEqualTo(6);
        String cb = job.callbackUrl();

        // Twice the heartbeat interval with a heartbeat every second: no alarm.
        long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        int beat = 0;
        while (System.nanoTime() < until) {
            RawPost.Answer a = signed(cb, "{\"result\":\"RUNNING\",\"progress\":\"files: " + (++beat * 5) + "%\"}");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            Thread.sleep(1000);
        }
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("INITIAL_COPY_SILENT");
        Wait wait = waitOf(id, "INITIAL_COPY#1");
        assertThat(wait.resolved()).isFalse();
        assertThat(wait.progress()).isEqualTo("files: " + beat * 5 + "%");
        assertThat(wait.heartbeatAt()).isAfter(wait.jobSentAt());

        // Then the tooling goes quiet: staff are told, with the last progress and links to report by hand.
        Mailbox.Mail silent = mail.await(id, "INITIAL_COPY_SILENT", Duration.ofSeconds(45));
        assertThat(silent.to()).containsExactly(STAFF);
        assertThat(silent.plain()).contains("files: " + beat * 5 + "%");
        assertThat(silent.link("Kopie abgeschlossen")).as("staff can report the copy by hand").startsWith(cloud.apiBaseUrl());
        assertThat(shared.tooling.jobs(id)).as("the job is not sent twice").hasSize(1);

        // Staff abort; the tooling's late heartbeat is told to stop, its late result changes nothing.
        assertThat(browser.submit(browser.get(silent.link("Migration abbrechen")), Map.of("reason", "Kopier-Tool ausgefallen")).status())
                .isEqualTo(200);
        mail.await(id, "ABORTED", WAIT);
        assertThat(signed(cb, "{\"result\":\"RUNNING\",\"progress\":\"files: 95%\"}").status()).isEqualTo(410);
        assertThat(signed(cb, "{\"result\":\"SUCCEEDED\",\"files\":1}").status()).isEqualTo(410);
        assertThat(record(id).copies()).isEmpty();
    }

    @Test
    void jobTheToolingRefusesGoesToStaffWithTheToolingsAnswerAndTheMigrationGoesOn() {
        String id = "M-HOOK-3";
        shared.tooling.refuse(id, "target.files: /srv/cluster/shop/ is not below a target root");
        cloud.startMigration(id, input("hook-3", FAST, COPY));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());

        Mailbox.Mail byHand = mail.await(id, "INITIAL_COPY", WAIT);
        assertThat(byHand.to()).containsExactly(STAFF);
        assertThat(byHand.subject()).contains("abgelehnt");
        assertThat(byHand.plain()).contains("HTTP 400", "is not below a target root");
        assertThat(shared.tooling.attempts(id)).as("a refusal is not retried").isEqualTo(1);
        confirm(byHand, "Kopie abgeschlossen", Map.of("files", "10"));
        mail.await(id, "TEST_RESULTS", WAIT);
        assertThat(record(id).copies()).extracting(MigrationRecord.CopyResult::files).containsExactly(10L);
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("COPY_REPORT");
    }
}
