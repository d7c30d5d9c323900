package de.shopmigration.local;

import static de.shopmigration.copyagent.ShopTrees.files;
import static de.shopmigration.copyagent.ShopTrees.randomBytes;
import static de.shopmigration.copyagent.ShopTrees.tables;
import static de.shopmigration.copyagent.ShopTrees.totalSize;
import static de.shopmigration.copyagent.ShopTrees.write;
import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.copyagent.AgentProcess;
import de.shopmigration.copyagent.MariaDbServer;
import de.shopmigration.core.MigrationRecord;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Phases 2 and 6 with real data: a private MariaDB holds the old shop's database, a folder its
 * files; the deployment's copy webhook reaches the reference copy agent (infra/copy-agent, run as
 * its own process), which copies with rsync and mariadb-dump and calls back. The initial copy
 * makes the new cluster equal to the old shop; the shop then changes; the go-live's final copy,
 * between the customer's "maintenance on" and staff's "maintenance off", brings over exactly
 * what changed. The downtime from maintenance on to the DNS switch is measured and, past the
 * limit (1 s here, 2 h in production), staff are alerted.
 */
@SharedCloud.CopyWebhook
class CopyAgentEndToEndTest extends CloudTest {

    static final String DB_USER = "copyagent";
    static final String DB_PASSWORD = "Agent-pw-" + Long.toHexString(new Random().nextLong());

    static Path work;
    static MariaDbServer db;
    static AgentProcess agent;
    static Path oldShop;
    static Path newShop;

    @BeforeAll
    static void startDatabaseAndAgent(SharedCloud shared) throws Exception {
        work = Files.createTempDirectory("copy-e2e");
        db = MariaDbServer.start(work.resolve("mariadb"));
        db.createUser(DB_USER, DB_PASSWORD, "ALL PRIVILEGES ON *.*");
        Path conf = work.resolve("conf");
        Path oldCnf = db.writeOptionFile(conf.resolve("old.cnf"), DB_USER, DB_PASSWORD);
        Path clusterCnf = db.writeOptionFile(conf.resolve("cluster.cnf"), DB_USER, DB_PASSWORD);
        createShopDatabase();
        oldShop = work.resolve("old/shop");
        createShopFiles(oldShop);
        Path cluster = Files.createDirectories(work.resolve("cluster"));
        newShop = cluster.resolve("shop");
        // The shared secret as the copy-agent README says to fetch it: the deployment's secret's AWSCURRENT value.
        Files.writeString(conf.resolve("secret"), shared.cloud.linkSecret() + "\n");
        Path config = conf.resolve("copy-agent.properties");
        Files.writeString(config, String.join("\n", "listen=127.0.0.1:0", "secretFile=secret", "targetRoots=" + cluster,
                "connection.old=" + oldCnf, "connection.cluster=" + clusterCnf, "stateDir=" + work.resolve("state"), ""));
        agent = AgentProcess.start(config, work.resolve("agent-log"));
    }

    @AfterAll
    static void stopDatabaseAndAgent() throws IOException {
        if (agent != null) {
            agent.close();
        }
        if (db != null) {
            db.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void initialAndFinalCopyMakeTheNewClusterEqualToTheShopAndTheGoLiveDowntimeIsMeasured() throws Exception {
        String id = "M-AGENT-1";
        shared.tooling.forwardTo(id, URI.create(agent.baseUrl() + "/jobs"));
        String copy = """
                "copy": {"source": {"files": "%s/", "database": {"name": "shop_old", "connection": "old"}},
                         "target": {"files": "%s/", "database": {"name": "shop_new", "connection": "cluster"}}}"""
                .formatted(oldShop, newShop);
        String timing = FAST.replace("\"dnsPollSeconds\": 1,", "\"dnsPollSeconds\": 1, \"downtimeAlertSeconds\": 1, \"copyHeartbeatSeconds\": 30,");
        String arn = cloud.startMigration(id, input("agent", timing, copy));
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());

        // Phase 2: the agent copies everything; the test system equals the shop.
        mail.await(id, "COPY_DONE", WAIT);
        assertThat(files(newShop)).isEqualTo(files(oldShop)).hasSize(83);
        assertThat(tables(db, "shop_new")).isEqualTo(tables(db, "shop_old")).hasSize(4);
        Mailbox.Mail report = mail.await(id, "COPY_REPORT", WAIT);
        assertThat(report.plain()).contains("Dateien übertragen", "83", "Tabellen in der Datenbank");
        MigrationRecord.CopyResult initial = record(id).copies().get(0);
        assertThat(initial.files()).isEqualTo(83L);
        assertThat(initial.tables()).isEqualTo(4L);
        assertThat(initial.bytes()).isEqualTo(totalSize(oldShop));
        assertThat(initial.databaseBytes()).isPositive();

        // The customer keeps selling during the test run (the code freeze is about code, not orders).
        db.root("UPDATE shop_old.products SET price = price + 1 WHERE id % 7 = 0;"
                + " INSERT INTO shop_old.customers (name, email) VALUES ('Jürgen Groß', 'j.gross@example.de');"
                + " DELETE FROM shop_old.order_items WHERE id % 11 = 0;");
        Files.writeString(oldShop.resolve("public/index.php"), "\n// new banner\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(oldShop.resolve("public/media/neu/Sommer-Aktion ä.jpg"), "neues Bild");
        Files.delete(oldShop.resolve("public/media/product/3.jpg"));
        assertThat(tables(db, "shop_new")).isNotEqualTo(tables(db, "shop_old"));

        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", Map.of());
        bookFreeSlot(mail.await(id, "SLOT_BOOKING", WAIT).link("Termin wählen"));

        // Phase 6: maintenance on, the final copy brings over just the changes, maintenance off, check.
        confirm(mail.await(id, "MAINTENANCE_ON", WAIT), "Wartungsmodus ist aktiv", Map.of());
        Mailbox.Mail off = mail.await(id, "MAINTENANCE_OFF", WAIT);
        assertThat(files(newShop)).isEqualTo(files(oldShop));
        assertThat(newShop.resolve("public/media/product/3.jpg")).doesNotExist();
        assertThat(tables(db, "shop_new")).isEqualTo(tables(db, "shop_old"));
        MigrationRecord.CopyResult last = record(id).copies().get(1);
        assertThat(last.mode()).isEqualTo("final");
        assertThat(last.files()).as("only the changed and the new file").isEqualTo(2L);
        assertThat(off.plain()).as("staff see the final copy's figures before switching the shop on").contains("Dateien übertragen", "Dauer der Kopie");
        assertThat(shared.tooling.jobs(id)).extracting(ToolingRouter.Job::mode).containsExactly("initial", "final");
        confirm(off, "Wartungsmodus ist aus", Map.of());
        confirm(mail.await(id, "GO_LIVE_CHECK", WAIT), "Alles funktioniert", Map.of());

        // The DNS switch ends the downtime; over the limit, staff hear of it.
        Mailbox.Mail alert = mail.await(id, "DOWNTIME_ALERT", WAIT);
        assertThat(alert.to()).containsExactly(STAFF);
        mail.await(id, "GO_LIVE_DONE", WAIT);
        MigrationRecord done = record(id);
        assertThat(done.downtime().startedAt()).isNotNull();
        assertThat(done.downtime().endedAt()).isAfter(done.downtime().startedAt());
        assertThat(done.downtime().seconds()).isGreaterThanOrEqualTo(1L);
        assertThat(done.dns().switchedAt()).isAfterOrEqualTo(done.downtime().startedAt());
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    /** A small shop: products, customers, orders and their items, with umlauts, an emoji and binary data. */
    static void createShopDatabase() throws Exception {
        StringBuilder sql = new StringBuilder("""
                CREATE DATABASE shop_old CHARACTER SET utf8mb4;
                USE shop_old;
                CREATE TABLE products (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(200), price DECIMAL(10,2), image BLOB);
                CREATE TABLE customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(200), email VARCHAR(200));
                CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT, placed DATETIME,
                    FOREIGN KEY (customer_id) REFERENCES customers(id));
                CREATE TABLE order_items (id INT PRIMARY KEY AUTO_INCREMENT, order_id INT, product_id INT, quantity INT,
                    FOREIGN KEY (order_id) REFERENCES orders(id), FOREIGN KEY (product_id) REFERENCES products(id));
                """);
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            rows.add("('Größe " + i + " – Tasse ☕', " + (i * 1.5) + ", UNHEX('" + HexFormat.of().formatHex(("img" + i).getBytes(StandardCharsets.UTF_8)) + "00FF'))");
        }
        sql.append("INSERT INTO products (name, price, image) VALUES ").append(String.join(",", rows)).append(";\n");
        rows.clear();
        for (int i = 1; i <= 120; i++) {
            rows.add("('Kundin " + i + " Müller', 'kundin" + i + "@example.de')");
        }
        sql.append("INSERT INTO customers (name, email) VALUES ").append(String.join(",", rows)).append(";\n");
        rows.clear();
        for (int i = 1; i <= 200; i++) {
            rows.add("(" + (1 + i % 120) + ", '2026-11-" + String.format("%02d", 1 + i % 28) + " 10:00:00')");
        }
        sql.append("INSERT INTO orders (customer_id, placed) VALUES ").append(String.join(",", rows)).append(";\n");
        rows.clear();
        for (int i = 1; i <= 600; i++) {
            rows.add("(" + (1 + i % 200) + ", " + (1 + i % 300) + ", " + (1 + i % 4) + ")");
        }
        sql.append("INSERT INTO order_items (order_id, product_id, quantity) VALUES ").append(String.join(",", rows)).append(";\n");
        db.root(sql.toString());
    }

    /** 83 files: PHP sources, configuration, product images (binary), one name with a space and an umlaut. */
    static void createShopFiles(Path root) throws IOException {
        Random random = new Random(42);
        write(root.resolve("public/index.php"), "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n".getBytes(StandardCharsets.UTF_8));
        write(root.resolve("config/.env"), "APP_ENV=prod\n".getBytes(StandardCharsets.UTF_8));
        write(root.resolve("public/media/Übersicht Bild.jpg"), randomBytes(random, 4000));
        Files.createDirectories(root.resolve("public/media/neu"));
        for (int i = 0; i < 60; i++) {
            write(root.resolve("public/media/product/" + i + ".jpg"), randomBytes(random, 300 + random.nextInt(3000)));
        }
        for (int i = 0; i < 20; i++) {
            write(root.resolve("src/Controller/Controller" + i + ".php"), ("<?php // controller " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
