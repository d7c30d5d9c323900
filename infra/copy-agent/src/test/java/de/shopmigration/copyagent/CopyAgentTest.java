package de.shopmigration.copyagent;

import static de.shopmigration.copyagent.ShopTrees.randomBytes;
import static de.shopmigration.copyagent.ShopTrees.regularFiles;
import static de.shopmigration.copyagent.ShopTrees.tables;
import static de.shopmigration.copyagent.ShopTrees.totalSize;
import static de.shopmigration.copyagent.ShopTrees.tree;
import static de.shopmigration.copyagent.ShopTrees.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent as a provider runs it, end to end: a subprocess with a properties file, a private
 * MariaDB with real accounts and option files, real rsync, a callback receiver that checks
 * signatures. Jobs are sent as the workflow sends them; the target is compared with the source
 * row by row (checksums) and file by file (SHA-256).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("full")
class CopyAgentTest {

    private static final String SECRET = "test-secret-9f8e7d6c5b4a39281706-kL0pQ2rS4tU6vW8x";
    private static final String DB_USER = "copyagent";
    private static final String DB_PASSWORD = "Agent-pw-" + Long.toHexString(new Random().nextLong());
    private static final String SHOP = "M-2026-0042";
    private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Signature signature = new Signature(SECRET);

    private Path work;
    private MariaDbServer db;
    private CallbackReceiver receiver;
    private AgentProcess agent;
    private Path config;
    private Path oldShop;
    private Path cluster;
    private Path newShop;
    private byte[] initialJob;
    private String initialToken;
    private byte[] finalJob;
    private String finalToken;
    private boolean bulkCreated;

    @BeforeAll
    void startEverything() throws Exception {
        work = Files.createTempDirectory("copy-agent-test");
        db = MariaDbServer.start(work.resolve("mariadb"));
        db.createUser(DB_USER, DB_PASSWORD, "ALL PRIVILEGES ON *.*");
        Path conf = work.resolve("conf");
        Path oldCnf = db.writeOptionFile(conf.resolve("old.cnf"), DB_USER, DB_PASSWORD);
        Path clusterCnf = db.writeOptionFile(conf.resolve("cluster.cnf"), DB_USER, DB_PASSWORD);
        createShopDatabase();
        oldShop = work.resolve("old/shop");
        createShopFiles(oldShop);
        cluster = work.resolve("cluster");
        Files.createDirectories(cluster);
        newShop = cluster.resolve("shop");

        Files.writeString(conf.resolve("secret"), SECRET + "\n");
        Files.setPosixFilePermissions(conf.resolve("secret"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        config = conf.resolve("copy-agent.properties");
        Files.writeString(config, String.join("\n",
                "listen=127.0.0.1:0",
                "secretFile=secret",
                "targetRoots=" + cluster,
                "connection.old=" + oldCnf,
                "connection.cluster=" + clusterCnf,
                "stateDir=" + work.resolve("state"),
                "maxJobAgeSeconds=3600",
                "") + "\n");
        receiver = new CallbackReceiver(SECRET);
        agent = AgentProcess.start(config, work.resolve("agent-1"));
    }

    @AfterAll
    void stopEverything() throws IOException {
        // every process by its own PID, each even if another one fails
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            try {
                if (receiver != null) {
                    receiver.close();
                }
            } finally {
                if (db != null) {
                    db.close();
                }
            }
        }
        keepLogs();
        deleteTree(work);
    }

    /** The agents' and the server's logs survive the run in target/copy-agent-test-logs. */
    private void keepLogs() {
        Path logs = Path.of("target", "copy-agent-test-logs");
        try {
            deleteTree(logs);
            Files.createDirectories(logs);
            for (String log : List.of("agent-1/stdout.log", "agent-1/stderr.log", "agent-2/stdout.log", "agent-2/stderr.log",
                    "agent-3/stdout.log", "agent-3/stderr.log", "mariadb/error.log")) {
                Path from = work.resolve(log);
                if (Files.exists(from)) {
                    Files.copy(from, logs.resolve(log.replace('/', '-')));
                }
            }
        } catch (IOException e) {
            System.err.println("cannot keep the logs: " + e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // copies

    @Test
    @Order(1)
    void initialCopyMakesTargetEqualToSourceAndReportsFigures() throws Exception {
        String callback = receiver.callbackUrl(SHOP);
        initialToken = CallbackReceiver.tokenOf(callback);
        initialJob = job(SHOP, "initial", 1, Instant.now(), callback)
                .files(oldShop + "/", newShop + "/")
                .database("shop_old", "old", "shop_new", "cluster")
                .bytes();

        HttpResponse<String> answer = post(initialJob, signature.header(initialJob));
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(answer.body()).path("status").asText()).isEqualTo("accepted");

        CallbackReceiver.Call result = receiver.awaitResult(initialToken, RESULT_TIMEOUT);
        assertThat(result.signatureValid()).isTrue();
        JsonNode r = result.body();
        assertThat(r.path("result").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.path("files").asLong()).isEqualTo(regularFiles(oldShop));
        assertThat(r.path("bytes").asLong()).isEqualTo(totalSize(oldShop));
        assertThat(r.path("tables").asLong()).isEqualTo(5);
        assertThat(r.path("databaseBytes").asLong()).isGreaterThan(100_000);
        assertThat(r.path("durationSeconds").isIntegralNumber()).isTrue();

        assertThat(tree(newShop)).isEqualTo(tree(oldShop));
        assertDatabasesEqual("shop_old", "shop_new");
        assertThat(names("shop_new", "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '%s'"))
                .containsExactly("close_old_orders", "gross");
        assertThat(db.root("SELECT name, HEX(image) FROM shop_new.products WHERE id = 1"))
                .containsExactly("Küchenmesser „Profi“ 🔪\t" + "00FF".repeat(1000) + "0D0A1A27225C");
    }

    @Test
    @Order(2)
    void finalCopyTransfersOnlyWhatChangedAndLeavesTargetEqualToSource() throws Exception {
        db.root("""
                USE shop_old;
                UPDATE products SET price = price + 1, description = CONCAT(description, ' (neu)') WHERE id <= 10;
                INSERT INTO customers (email, name, city, created_at) VALUES
                  ('neu1@example.de', 'Anna Schäfer', 'Bonn', '2026-11-28 10:00:00'),
                  ('neu2@example.de', 'Ömer Çelik', 'Essen', '2026-11-28 11:00:00');
                INSERT INTO orders (customer_id, ordered_at, status, total) VALUES (LAST_INSERT_ID(), '2026-11-28 12:00:00', 'paid', 19.98);
                INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (LAST_INSERT_ID(), 1, 2, 9.99);
                DELETE FROM orders WHERE id IN (1, 2, 3);
                DROP TABLE legacy_newsletter;
                DROP PROCEDURE close_old_orders;
                """);
        Files.writeString(oldShop.resolve("composer.json"), "\n// changed for the go-live\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(oldShop.resolve("public/index.php"), "\n// maintenance off\n", java.nio.file.StandardOpenOption.APPEND);
        Files.write(oldShop.resolve("public/media/product/7.jpg"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(oldShop.resolve("public/media/neu"));
        Files.writeString(oldShop.resolve("public/media/neu/Neues Bild ä.jpg"), "neues Bild");
        Files.writeString(oldShop.resolve("files/documents/invoice_new.pdf"), "%PDF-1.4 new invoice");
        Files.delete(oldShop.resolve("files/documents/invoice_0.pdf"));
        Files.delete(oldShop.resolve("public/media/product/0.jpg"));
        deleteTree(oldShop.resolve("custom/plugins/Plugin9"));

        String callback = receiver.callbackUrl(SHOP);
        finalToken = CallbackReceiver.tokenOf(callback);
        finalJob = job(SHOP, "final", 1, Instant.now(), callback)
                .files(oldShop.toString(), newShop.toString())
                .database("shop_old", "old", "shop_new", "cluster")
                .bytes();
        assertThat(post(finalJob, signature.header(finalJob)).statusCode()).isEqualTo(202);

        JsonNode r = receiver.awaitResult(finalToken, RESULT_TIMEOUT).body();
        assertThat(r.path("result").asText()).as(r.toString()).isEqualTo("SUCCEEDED");
        assertThat(r.path("files").asLong()).as("3 changed + 2 new files, not all %d", regularFiles(oldShop)).isEqualTo(5);
        assertThat(r.path("bytes").asLong()).isPositive().isLessThan(10_000);
        assertThat(r.path("tables").asLong()).isEqualTo(4);
        assertThat(r.path("databaseBytes").asLong()).isPositive();

        assertThat(tree(newShop)).isEqualTo(tree(oldShop));
        assertThat(newShop.resolve("custom/plugins/Plugin9")).doesNotExist();
        assertDatabasesEqual("shop_old", "shop_new");
        assertThat(db.root("SHOW TABLES FROM shop_new LIKE 'legacy_newsletter'")).isEmpty();
        assertThat(db.root("SHOW PROCEDURE STATUS WHERE Db = 'shop_new'")).as("dropped at the source, so at the target").isEmpty();
        assertThat(db.root("SELECT shop_new.gross(10.00)")).containsExactly("11.90");
        assertThat(db.root("SELECT name FROM shop_new.customers WHERE email = 'neu2@example.de'")).containsExactly("Ömer Çelik");
    }

    // ---------------------------------------------------------------------------------------
    // rejections that change nothing

    @Test
    @Order(3)
    void unsignedOrWronglySignedJobIsRejectedWith401() throws Exception {
        Path target = cluster.resolve("unsigned");
        byte[] body = job("M-unsigned", "initial", 1, Instant.now(), receiver.callbackUrl("M-unsigned"))
                .files(oldShop.toString(), target.toString()).bytes();
        assertThat(post(body, null).statusCode()).isEqualTo(401);
        assertThat(post(body, new Signature("another-secret-of-32-characters-or-more").header(body)).statusCode()).isEqualTo(401);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("unsigned\"", "unsigned-x\"").getBytes(StandardCharsets.UTF_8);
        assertThat(post(tampered, signature.header(body)).statusCode()).isEqualTo(401);
        assertThat(post(body, signature.header(body).replace("sha256=", "sha1=")).statusCode()).isEqualTo(401);
        assertNothingHappened("M-unsigned", target);
    }

    @Test
    @Order(4)
    void replayOfAnAcceptedJobIsADuplicateAndStartsNoSecondCopy() throws Exception {
        HttpResponse<String> replay = post(initialJob, signature.header(initialJob));
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("status").asText()).isEqualTo("already accepted");
        Thread.sleep(1500);
        assertThat(receiver.callsFor(initialToken)).hasSize(1);
        assertThat(agent.childProcesses()).isZero();
    }

    @Test
    @Order(5)
    void jobIssuedTwoHoursAgoIsRejectedWith410() throws Exception {
        Path target = cluster.resolve("stale");
        byte[] body = job("M-stale", "initial", 1, Instant.now().minus(Duration.ofHours(2)), receiver.callbackUrl("M-stale"))
                .files(oldShop.toString(), target.toString()).bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(410);
        byte[] future = job("M-stale", "initial", 2, Instant.now().plus(Duration.ofMinutes(10)), receiver.callbackUrl("M-stale"))
                .files(oldShop.toString(), target.toString()).bytes();
        assertThat(post(future, signature.header(future)).statusCode()).isEqualTo(410);
        assertNothingHappened("M-stale", target);
    }

    @Test
    @Order(6)
    void targetOutsideTargetRootsIsRejectedWith400() throws Exception {
        Path outside = work.resolve("elsewhere/shop");
        assertRejected400("M-outside", outside.toString(), "shop_x", "cluster", "target.files");
        assertThat(outside).doesNotExist();
        // the root itself is not "below" the root: mirroring with --delete there would wipe other shops
        assertRejected400("M-outside", cluster.toString(), "shop_x", "cluster", "target.files");
    }

    @Test
    @Order(7)
    void dotDotSegmentInAPathIsRejectedWith400() throws Exception {
        assertRejected400("M-dotdot", cluster + "/../escaped", "shop_x", "cluster", "target.files");
        assertThat(work.resolve("escaped")).doesNotExist();
    }

    @Test
    @Order(8)
    void unknownConnectionIsRejectedWith400() throws Exception {
        assertRejected400("M-unknown-conn", cluster.resolve("unknown-conn").toString(), "shop_x", "nowhere",
                "target.database.connection");
        assertThat(db.root("SHOW DATABASES LIKE 'shop_x'")).isEmpty();
    }

    @Test
    @Order(9)
    void acceptedJobsAreRememberedAcrossARestart() throws Exception {
        agent.close();
        agent = AgentProcess.start(config, work.resolve("agent-2"));
        for (byte[] job : List.of(initialJob, finalJob)) {
            HttpResponse<String> replay = post(job, signature.header(job));
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).contains("already accepted");
        }
        Thread.sleep(1000);
        assertThat(receiver.callsFor(initialToken)).hasSize(1);
        assertThat(receiver.callsFor(finalToken)).hasSize(1);
    }

    // ---------------------------------------------------------------------------------------
    // failures

    @Test
    @Order(10)
    void missingSourceFolderFailsWithTheRsyncErrorAndDeletesNothing() throws Exception {
        Path target = cluster.resolve("failed-files");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "must survive a failed copy");
        String callback = receiver.callbackUrl("M-no-folder");
        byte[] body = job("M-no-folder", "initial", 1, Instant.now(), callback)
                .files(work.resolve("old/does-not-exist").toString(), target.toString()).bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(202);
        JsonNode r = receiver.awaitResult(CallbackReceiver.tokenOf(callback), RESULT_TIMEOUT).body();
        assertThat(r.path("result").asText()).isEqualTo("FAILED");
        assertThat(r.path("reason").asText()).contains("rsync exit code 23").contains("does-not-exist").hasSizeLessThanOrEqualTo(1000);
        assertThat(r.has("files")).isFalse();
        assertThat(target.resolve("keep.txt")).exists();
    }

    @Test
    @Order(11)
    void missingSourceDatabaseFailsWithAReasonNamingIt() throws Exception {
        String callback = receiver.callbackUrl("M-no-db");
        byte[] body = job("M-no-db", "initial", 1, Instant.now(), callback)
                .database("shop_gone", "old", "shop_gone_copy", "cluster").bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(202);
        JsonNode r = receiver.awaitResult(CallbackReceiver.tokenOf(callback), RESULT_TIMEOUT).body();
        assertThat(r.path("result").asText()).isEqualTo("FAILED");
        assertThat(r.path("reason").asText()).contains("'shop_gone'").contains("does not exist");
        assertThat(db.root("SHOW DATABASES LIKE 'shop_gone_copy'")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // heartbeats and cancellation

    @Test
    @Order(12)
    void heartbeatsArriveWhileALongCopyRunsAndASecondJobOfTheMigrationGets409() throws Exception {
        createBulkDatabase();
        String callback = receiver.callbackUrl("M-bulk");
        String token = CallbackReceiver.tokenOf(callback);
        byte[] body = job("M-bulk", "initial", 1, Instant.now(), callback).heartbeatSeconds(1)
                .database("bulk", "old", "bulk_copy", "cluster").bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(202);

        CallbackReceiver.Call heartbeat = receiver.await(token, CallbackReceiver.Call::isHeartbeat, Duration.ofSeconds(10));
        assertThat(heartbeat.signatureValid()).isTrue();
        assertThat(heartbeat.body().path("progress").asText()).startsWith("database: ");
        byte[] round2 = job("M-bulk", "initial", 2, Instant.now(), receiver.callbackUrl("M-bulk"))
                .database("bulk", "old", "bulk_copy", "cluster").bytes();
        HttpResponse<String> busy = post(round2, signature.header(round2));
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);

        CallbackReceiver.Call result = receiver.awaitResult(token, Duration.ofSeconds(40));
        assertThat(result.body().path("result").asText()).as(result.body().toString()).isEqualTo("SUCCEEDED");
        assertThat(result.body().path("tables").asLong()).isEqualTo(1);
        assertThat(result.body().path("databaseBytes").asLong()).isGreaterThan(50_000_000L);
        Thread.sleep(800);
        List<CallbackReceiver.Call> calls = receiver.callsFor(token);
        assertThat(calls.get(calls.size() - 1)).as("nothing after the result").isSameAs(result);
        assertThat(calls.stream().filter(CallbackReceiver.Call::isHeartbeat)).hasSizeGreaterThanOrEqualTo(1)
                .allMatch(CallbackReceiver.Call::signatureValid);
        assertDatabasesEqual("bulk", "bulk_copy");
    }

    @Test
    @Order(13)
    void heartbeatAnsweredWith410StopsTheJobAndSendsNoResult() throws Exception {
        createBulkDatabase();
        receiver.answerHeartbeats("M-aborted", 410);
        String callback = receiver.callbackUrl("M-aborted");
        String token = CallbackReceiver.tokenOf(callback);
        byte[] body = job("M-aborted", "final", 1, Instant.now(), callback).heartbeatSeconds(1)
                .database("bulk", "old", "bulk_aborted", "cluster").bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(202);

        CallbackReceiver.Call heartbeat = receiver.await(token, CallbackReceiver.Call::isHeartbeat, Duration.ofSeconds(10));
        assertThat(heartbeat.answer()).isEqualTo(410);
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (agent.childProcesses() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(agent.childProcesses()).as("mariadb-dump and mariadb destroyed").isZero();
        Thread.sleep(1500);
        assertThat(receiver.callsFor(token)).as("one heartbeat, no result").containsExactly(heartbeat);
        assertThat(agent.stderrLog()).contains("M-aborted final round 1: stopped because the workflow answered a heartbeat");
        // the migration is free again: its next job is accepted
        String nextCallback = receiver.callbackUrl("M-aborted");
        byte[] next = job("M-aborted", "final", 2, Instant.now(), nextCallback)
                .files(oldShop.toString(), cluster.resolve("aborted").toString()).bytes();
        assertThat(post(next, signature.header(next)).statusCode()).isEqualTo(202);
        assertThat(receiver.awaitResult(CallbackReceiver.tokenOf(nextCallback), RESULT_TIMEOUT).body().path("result").asText())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(14)
    void shutdownStopsTheRunningCopyAndTheNextStartRunsItAgainWithOneResult() throws Exception {
        createBulkDatabase();
        String callback = receiver.callbackUrl("M-restart");
        String token = CallbackReceiver.tokenOf(callback);
        byte[] body = job("M-restart", "final", 1, Instant.now(), callback).heartbeatSeconds(3)
                .database("bulk", "old", "bulk_restarted", "cluster").bytes();
        assertThat(post(body, signature.header(body)).statusCode()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!agent.childCommands().contains("mariadb-dump") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.childCommands()).as("the dump is streaming into the import").contains("mariadb-dump", "mariadb");

        agent.close();
        assertThat(agent.leftoverChildren()).as("the agent destroyed its processes itself").isEmpty();
        assertThat(receiver.callsFor(token)).noneMatch(c -> !c.isHeartbeat());

        agent = AgentProcess.start(config, work.resolve("agent-3"));
        CallbackReceiver.Call result = receiver.awaitResult(token, Duration.ofSeconds(40));
        assertThat(result.body().path("result").asText()).as(result.body().toString()).isEqualTo("SUCCEEDED");
        assertDatabasesEqual("bulk", "bulk_restarted");
        HttpResponse<String> replay = post(body, signature.header(body));
        assertThat(replay.statusCode()).isEqualTo(200);
        Thread.sleep(500);
        assertThat(receiver.callsFor(token)).filteredOn(c -> !c.isHeartbeat()).containsExactly(result);
    }

    @Test
    @Order(15)
    void logsNameTheJobsButNeverTheSecretOrACallbackToken() throws Exception {
        Thread.sleep(500);
        String logs = Files.readString(work.resolve("agent-1/stderr.log")) + Files.readString(work.resolve("agent-2/stderr.log"))
                + agent.stderrLog();
        assertThat(logs).contains(SHOP + " initial round 1").contains(SHOP + " final round 1").doesNotContain(SECRET);
        for (String token : receiver.issuedTokens()) {
            assertThat(logs).doesNotContain(token);
        }
        assertThat(receiver.calls()).allMatch(CallbackReceiver.Call::signatureValid);
    }

    // ---------------------------------------------------------------------------------------
    // helpers

    private void assertRejected400(String migrationId, String target, String dbName, String connection, String field)
            throws Exception {
        byte[] body = job(migrationId, "initial", 1, Instant.now(), receiver.callbackUrl(migrationId))
                .files(oldShop.toString(), target)
                .database("shop_old", "old", dbName, connection).bytes();
        HttpResponse<String> answer = post(body, signature.header(body));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("error").asText()).startsWith(field + ":");
        Thread.sleep(300);
        assertThat(receiver.calls()).noneMatch(c -> c.migrationId().equals(migrationId));
    }

    private void assertNothingHappened(String migrationId, Path target) throws InterruptedException {
        Thread.sleep(500);
        assertThat(receiver.calls()).noneMatch(c -> c.migrationId().equals(migrationId));
        assertThat(target).doesNotExist();
    }

    private HttpResponse<String> post(byte[] body, String signatureHeader) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(agent.baseUrl() + "/jobs"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signatureHeader != null) {
            b.header(Signature.HEADER, signatureHeader);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JobBuilder job(String migrationId, String mode, int round, Instant issuedAt, String callbackUrl) {
        return new JobBuilder(migrationId, mode, round, issuedAt, callbackUrl);
    }

    /** A job body as the workflow writes it. */
    static final class JobBuilder {
        private final ObjectNode job = JSON.createObjectNode();

        JobBuilder(String migrationId, String mode, int round, Instant issuedAt, String callbackUrl) {
            job.put("migrationId", migrationId);
            job.put("mode", mode);
            job.put("round", round);
            job.put("issuedAt", issuedAt.toString());
            job.putObject("source");
            job.putObject("target").put("ip", "198.51.100.20");
            job.putObject("questionnaire").put("shopSystem", "SHOPWARE").put("phpVersion", "8.2");
            job.put("callbackUrl", callbackUrl);
        }

        JobBuilder files(String source, String target) {
            ((ObjectNode) job.get("source")).put("files", source);
            ((ObjectNode) job.get("target")).put("files", target);
            return this;
        }

        JobBuilder database(String sourceName, String sourceConnection, String targetName, String targetConnection) {
            ((ObjectNode) job.get("source")).putObject("database").put("name", sourceName).put("connection", sourceConnection);
            ((ObjectNode) job.get("target")).putObject("database").put("name", targetName).put("connection", targetConnection);
            return this;
        }

        JobBuilder heartbeatSeconds(int seconds) {
            job.put("heartbeatSeconds", seconds);
            return this;
        }

        byte[] bytes() throws IOException {
            return JSON.writeValueAsBytes(job);
        }
    }

    // ---------------------------------------------------------------------------------------
    // the sample shop

    private void createShopDatabase() throws Exception {
        db.root("""
                CREATE DATABASE shop_old CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                USE shop_old;
                CREATE TABLE customers (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  email VARCHAR(190) NOT NULL UNIQUE,
                  name VARCHAR(200) NOT NULL,
                  city VARCHAR(100),
                  created_at DATETIME NOT NULL
                ) ENGINE=InnoDB;
                CREATE TABLE products (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  sku VARCHAR(40) NOT NULL UNIQUE,
                  name VARCHAR(200) NOT NULL,
                  description TEXT,
                  price DECIMAL(10,2) NOT NULL,
                  image MEDIUMBLOB
                ) ENGINE=InnoDB;
                CREATE TABLE orders (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  customer_id INT NOT NULL,
                  ordered_at DATETIME NOT NULL,
                  status ENUM('open','paid','shipped') NOT NULL,
                  total DECIMAL(12,2) NOT NULL DEFAULT 0,
                  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
                ) ENGINE=InnoDB;
                CREATE TABLE order_items (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  order_id INT NOT NULL,
                  product_id INT NOT NULL,
                  quantity INT NOT NULL,
                  unit_price DECIMAL(10,2) NOT NULL,
                  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
                  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
                ) ENGINE=InnoDB;
                CREATE TABLE legacy_newsletter (id INT PRIMARY KEY, email VARCHAR(190) NOT NULL) ENGINE=InnoDB;
                INSERT INTO customers (id, email, name, city, created_at)
                  SELECT seq, CONCAT('kunde', seq, '@example.de'),
                         CONCAT(ELT(1 + seq % 4, 'Jürgen', 'Zoë', 'Søren', 'Łukasz'), ' Müller-', seq),
                         ELT(1 + seq % 3, 'Köln', 'München', 'Düsseldorf'), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq MINUTE
                  FROM seq_1_to_1000;
                INSERT INTO products (id, sku, name, description, price, image)
                  SELECT seq, CONCAT('SKU-', LPAD(seq, 5, '0')), CONCAT('Produkt ', seq),
                         CONCAT('Größe M, Farbe grün – ', REPEAT('ä', seq % 20)), 1.99 + seq % 500, UNHEX(SHA2(seq, 256))
                  FROM seq_1_to_2000;
                UPDATE products SET name = 'Küchenmesser „Profi“ 🔪', image = UNHEX(CONCAT(REPEAT('00FF', 1000), '0D0A1A27225C'))
                  WHERE id = 1;
                INSERT INTO orders (id, customer_id, ordered_at, status, total)
                  SELECT seq, 1 + seq % 1000, TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq * 7 MINUTE,
                         ELT(1 + seq % 3, 'open', 'paid', 'shipped'), 0
                  FROM seq_1_to_3000;
                INSERT INTO order_items (order_id, product_id, quantity, unit_price)
                  SELECT 1 + seq % 3000, 1 + (seq * 7) % 2000, 1 + seq % 5, 9.99 FROM seq_1_to_6000;
                INSERT INTO legacy_newsletter SELECT seq, CONCAT('news', seq, '@example.de') FROM seq_1_to_50;
                CREATE VIEW order_totals AS
                  SELECT o.id, SUM(i.quantity * i.unit_price) AS total FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id;
                CREATE TRIGGER order_items_quantity BEFORE INSERT ON order_items FOR EACH ROW SET NEW.quantity = GREATEST(NEW.quantity, 1);
                CREATE PROCEDURE close_old_orders() UPDATE orders SET status = 'shipped' WHERE ordered_at < NOW() - INTERVAL 1 YEAR;
                CREATE FUNCTION gross(net DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN ROUND(net * 1.19, 2);
                CREATE EVENT purge_open_orders ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM orders WHERE status = 'open' AND total = 0;
                """);
    }

    private void createBulkDatabase() throws Exception {
        if (bulkCreated) {
            return;
        }
        db.root("""
                CREATE DATABASE bulk CHARACTER SET utf8mb4;
                USE bulk;
                CREATE TABLE events (id INT PRIMARY KEY, payload VARCHAR(255) NOT NULL) ENGINE=InnoDB;
                INSERT INTO events SELECT seq, REPEAT(MD5(seq), 7) FROM seq_1_to_300000;
                """);
        bulkCreated = true;
    }

    private static void createShopFiles(Path root) throws IOException {
        Random random = new Random(42);
        write(root.resolve("composer.json"), "{\"name\": \"muster/shop\", \"require\": {\"shopware/core\": \"6.5.*\"}}".getBytes());
        write(root.resolve("public/index.php"), "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n".getBytes());
        for (int i = 0; i < 200; i++) {
            write(root.resolve("public/media/product/" + i + ".jpg"), randomBytes(random, 200 + random.nextInt(1800)));
        }
        write(root.resolve("public/media/Übersicht Bild.jpg"), randomBytes(random, 5000));
        for (int i = 0; i < 10; i++) {
            write(root.resolve("custom/plugins/Plugin" + i + "/src/Plugin.php"), ("<?php class Plugin" + i + " {}\n").getBytes());
            write(root.resolve("custom/plugins/Plugin" + i + "/Resources/config/services.xml"), "<container/>\n".getBytes());
        }
        for (int i = 0; i < 100; i++) {
            write(root.resolve("files/documents/invoice_" + i + ".pdf"), randomBytes(random, 1000 + random.nextInt(4000)));
        }
        write(root.resolve("files/backup/big1.bin"), randomBytes(random, 4 * 1024 * 1024));
        write(root.resolve("files/backup/big2.bin"), randomBytes(random, 2 * 1024 * 1024 + 17));
        Files.createDirectories(root.resolve("var/cache"));
        Files.createSymbolicLink(root.resolve("public/bundles"), Path.of("../custom/plugins"));
    }

    // ---------------------------------------------------------------------------------------
    // comparisons

    /** Same tables with the same rows (count and CHECKSUM TABLE), same views, triggers, routines and events. */
    private void assertDatabasesEqual(String source, String target) throws Exception {
        assertThat(tables(db, target)).isEqualTo(tables(db, source)).isNotEmpty();
        String routines = "SELECT CONCAT(ROUTINE_TYPE, ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '%s'";
        assertThat(names(target, routines)).isEqualTo(names(source, routines));
        assertThat(names(target, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '%s'"))
                .isEqualTo(names(source, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '%s'"));
        assertThat(names(target, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '%s'"))
                .isEqualTo(names(source, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '%s'"));
        assertThat(names(target, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '%s'"))
                .isEqualTo(names(source, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '%s'"));
    }

    private List<String> names(String schema, String sqlTemplate) throws Exception {
        return db.root(sqlTemplate.formatted(schema) + " ORDER BY 1");
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
