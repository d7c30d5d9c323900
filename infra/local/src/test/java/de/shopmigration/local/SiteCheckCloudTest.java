package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.store.MigrationStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;

/**
 * The site checks in the whole plan, against real servers: nginx serves the shop's old server
 * and new cluster on loopback addresses (LoopbackShop, TLS from a test CA the deployment trusts
 * through SiteCheckCaCertificates), the local DNS answers the shop's names from the emulator's
 * Route 53. A product page that fails on the new cluster stops phase 2 with a staff task and the
 * customer hears nothing; fixed and checked again, the test run starts and its email says what
 * was checked. Phase 6 and the switch pass their checks; the watch's schedule exists in
 * EventBridge Scheduler, and its ticks (fired here as Scheduler would, with the schedule's own
 * target and input) find the stopped new cluster: two failures alert staff, whose rollback link
 * puts the Route 53 records back; the restarted cluster is noted as recovered.
 */
@Tag("full")
class SiteCheckCloudTest {

    static final String DOMAIN = "site-shop.example";
    static final Duration WAIT = CloudTest.WAIT;
    /** FAST, with an error window long enough for the watch's ticks. */
    static final String TIMING = SampleMigration.FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 900");

    static LocalCloud cloud;
    static LoopbackShop shop;
    static String zoneId;

    @BeforeAll
    static void start() throws Exception {
        // The shared clouds clear the IAM recordings when first used; this cloud's are written after that.
        assertThat(SharedCloud.ZONES).isNotEmpty();
        shop = LoopbackShop.start(Files.createTempDirectory("site-check-shop-"), List.of(DOMAIN, "www." + DOMAIN), "127.0.0.2", "127.0.0.3");
        cloud = LocalCloud.start(Repo.root(), line -> { });
        zoneId = cloud.createZone(DOMAIN + ".", Map.of(DOMAIN + ".", SharedCloud.OLD_IP, "www." + DOMAIN + ".", SharedCloud.OLD_IP), 3600);
        Map<String, Object> parameters = SampleMigration.parameters(List.of(zoneId));
        parameters.put("SiteChecks", "Enabled");
        parameters.put("SiteCheckCaCertificates", shop.caPem());
        cloud.siteNetwork(shop.routes(SharedCloud.OLD_IP, SampleMigration.NEW_IP), shop.port());
        cloud.deploy(parameters);
        cloud.emulateEventBridgeRule();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cloud != null) {
                cloud.iamCalls().write(Repo.root().resolve(IamCallRecordings.FOLDER).resolve("site-checks.json"), cloud.parameters(),
                        cloud.physicalIds());
                cloud.close();
            }
        } finally {
            if (shop != null) {
                shop.close();
            }
        }
    }

    @Test
    void theChecksStopWhatIsBrokenAndTheWatchAlertsAndRollsBack() throws Exception {
        String id = "M-SITE-1";
        Walkthrough walk = new Walkthrough(cloud, WAIT);
        shop.newAnswers("/produkt/1.html", 500);
        String arn = cloud.startMigration(id, SampleMigration.input(DOMAIN, zoneId, TIMING, null));
        walk.answerQuestionnaire(walk.await(id, "QUESTIONNAIRE"), Map.of("importantPages", "/warenkorb", "markerText", LoopbackShop.MARKER));
        walk.confirm(walk.await(id, "CLUSTER_PREPARATION"), "Cluster ist vorbereitet", Map.of());
        walk.confirm(walk.await(id, "INITIAL_COPY"), "Kopie abgeschlossen", Map.of("files", "10", "durationSeconds", "60"));

        // Phase 2: the failing product page blocks; staff get it named, the customer nothing.
        Mailbox.Mail review = walk.await(id, "SITE_REVIEW");
        assertThat(review.plain()).contains("https://" + DOMAIN + "/produkt/1.html", "500");
        assertThat(cloud.mailbox().forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("COPY_DONE", "TEST_RESULTS");
        SiteCheckRun first = runs(id).get(0);
        assertThat(first.kind()).isEqualTo(SiteCheckRun.Kind.TEST_SYSTEM);
        assertThat(first.verdict()).isEqualTo(SiteCheckRun.Verdict.BLOCKED);

        // Fixed, checked again: the customer hears, and the test run's email says what was checked.
        shop.newAnswersNormally();
        walk.confirm(review, "Behoben, erneut prüfen", Map.of());
        walk.await(id, "COPY_DONE");
        Mailbox.Mail tests = walk.await(id, "TEST_RESULTS");
        assertThat(tests.plain()).contains("Automatisch geprüft");
        assertThat(runs(id)).extracting(SiteCheckRun::verdict).containsExactly(SiteCheckRun.Verdict.BLOCKED, SiteCheckRun.Verdict.PASSED);
        // The important page the customer named was compared too (home pages, /warenkorb, the sitemap's pages).
        assertThat(runs(id).get(1).pages()).isGreaterThanOrEqualTo(4);

        walk.confirm(tests, "Alle Tests bestanden", Map.of());
        walk.bookFreeSlot(walk.slotOffer(id).link("Termin wählen"));
        walk.confirm(walk.await(id, "MAINTENANCE_ON"), "Wartungsmodus ist aktiv", Map.of());
        walk.confirm(walk.await(id, "FINAL_COPY"), "Kopie abgeschlossen", Map.of("files", "2", "durationSeconds", "5"));
        walk.confirm(walk.await(id, "MAINTENANCE_OFF"), "Wartungsmodus ist aus", Map.of());
        walk.confirm(walk.await(id, "GO_LIVE_CHECK"), "Alles funktioniert", Map.of());
        walk.await(id, "GO_LIVE_DONE");
        assertThat(runs(id)).extracting(r -> r.kind() + " " + r.verdict()).containsExactly("TEST_SYSTEM BLOCKED", "TEST_SYSTEM PASSED",
                "GO_LIVE PASSED", "AFTER_SWITCH PASSED");
        assertThat(records(DOMAIN)).containsExactly(SampleMigration.NEW_IP);

        // The watch: a schedule in the stack's group that invokes the site check function with the migration.
        GetScheduleResponse schedule = cloud.watchSchedule(id, WAIT);
        assertThat(schedule.scheduleExpression()).isEqualTo("rate(15 minutes)");
        assertThat(schedule.target().arn()).endsWith(":function:shop-migration-sitecheck:live");
        assertThat(schedule.target().input()).contains("\"operation\":\"WATCH\"", id);
        assertThat(schedule.endDate()).isAfter(java.time.Instant.now());

        // The new cluster stops: the first failure is counted, the second alerts staff.
        shop.stopNew();
        assertThat(cloud.fireWatch(id, WAIT)).contains("\"change\":\"NONE\"");
        assertThat(cloud.fireWatch(id, WAIT)).contains("\"change\":\"ALERT\"");
        Mailbox.Mail alert = walk.await(id, "SITE_WATCH_ALERT");
        assertThat(alert.plain()).contains("https://" + DOMAIN + "/");
        assertThat(alert.to()).noneMatch(to -> to.contains(SampleMigration.CUSTOMER));

        // Staff roll the DNS back: Route 53 holds the old server's address again, the customer is told.
        walk.confirm(alert, "DNS auf den alten Server zurückstellen", Map.of("note", "new cluster down"));
        assertThat(records(DOMAIN)).containsExactly(SharedCloud.OLD_IP);
        assertThat(ttl(DOMAIN)).as("the TTL stays lowered for the next go-live").isEqualTo(store().records().get(id).request().targetTtl());
        walk.await(id, "DNS_ROLLED_BACK");

        // Back up: the recovery is noted.
        shop.startNew();
        assertThat(cloud.fireWatch(id, WAIT)).contains("\"change\":\"RECOVERED\"");
        walk.await(id, "SITE_WATCH_RECOVERED");
        SiteWatch watch = store().siteChecks().watch(id).orElseThrow();
        assertThat(watch.outages()).isEqualTo(1);
        assertThat(watch.recoveries()).isEqualTo(1);
        assertThat(store().audit().trail(id)).extracting(e -> e.action()).contains("site watch: fail", "site watch: pass",
                "DNS switched back to the old server (watch alert)");

        // The customer's status page says what was checked, without the findings' details; valid HTML, no axe violations.
        String status = walk.await(id, "GO_LIVE_DONE").link("Stand des Umzugs ansehen");
        LinkClient.Page page = new LinkClient().get(status);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Automatische Prüfungen", "Testsystem (alter Server und neuer Cluster verglichen)",
                "Nach der DNS-Umstellung", "bestanden").doesNotContain("produkt/1.html");
        java.nio.file.Path html = Files.createTempFile("status-site-checks-", ".html");
        try {
            Files.writeString(html, page.html());
            assertThat(PageChecks.vnu(List.of(html))).as("W3C Nu HTML checker over the status page").isEmpty();
        } finally {
            Files.deleteIfExists(html);
        }
        try (Browser browser = new Browser("site-checks")) {
            browser.open(status);
            assertThat(PageChecks.axe(browser.driver)).as("axe-core on the status page").isEmpty();
            browser.screenshot("status-site-checks");
        }
        cloud.sfn().stopExecution(b -> b.executionArn(arn).error("TestOver"));
    }

    private static List<SiteCheckRun> runs(String id) {
        return store().siteChecks().runs(id);
    }

    private static MigrationStore store() {
        return new MigrationStore(cloud.dynamoDb(), cloud.tableName());
    }

    private static long ttl(String name) {
        return cloud.route53().listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(r -> r.name().equals(name + ".") && r.typeAsString().equals("A")).findFirst().orElseThrow().ttl();
    }

    private static List<String> records(String name) {
        return cloud.route53().listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(r -> r.name().equals(name + ".") && r.typeAsString().equals("A"))
                .flatMap((ResourceRecordSet r) -> r.resourceRecords().stream().map(v -> v.value())).toList();
    }

}
