package de.shopmigration.sitecheck;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.sitecheck.Finding.Severity;
import de.shopmigration.sitecheck.TestShop.Variant;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The site check against real servers: nginx serving a small shop on loopback addresses with
 * certificates of a test authority (TestShop), the old server on 127.0.0.2 and a new cluster per
 * case on the addresses after it.
 */
@Tag("full")
class SiteCheckAgainstNginxTest {

    static TestShop shop;
    static SiteCheck check;

    @BeforeAll
    static void start() throws Exception {
        shop = new TestShop();
        var tls = shop.ca.context();
        var trust = shop.ca.trust();
        check = new SiteCheck((address, hosts) -> new SiteFetcher(address, hosts, shop.port, tls, Timeout.ofSeconds(5)),
                new TlsCheck(trust, shop.port, Duration.ofSeconds(5), Clock.systemUTC()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (shop != null) {
            shop.close();
        }
    }

    static SiteCheck.Target target(Variant variant) {
        return new SiteCheck.Target(List.of(TestShop.DOMAIN, TestShop.WWW), TestShop.inet(TestShop.OLD), variant.inet(),
                List.of("/warenkorb"), TestShop.MARKER);
    }

    @Test
    void theSameShopOnTheNewClusterPasses() {
        SiteCheck.Report report = check.compareLive(target(Variant.IDENTICAL));
        assertThat(report.passed()).as(report.findings().toString()).isTrue();
        assertThat(report.warnings()).isEmpty();
        // Home pages of both names, the important page, and the sitemap's pages not yet listed.
        assertThat(report.baseline()).extracting(Page::url).containsExactly("https://shop.example/", "https://www.shop.example/",
                "https://shop.example/warenkorb", "https://shop.example/kategorie/", "https://shop.example/produkt/1.html");
        assertThat(report.now()).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(200);
            assertThat(p.markerFound()).isTrue();
            assertThat(p.contentType()).isEqualTo("text/html");
        });
        assertThat(report.now().get(2).title()).isEqualTo("Warenkorb – Muster-Shop");
        assertThat(report.findings()).filteredOn(f -> f.where().equals(TestShop.DOMAIN)).singleElement()
                .satisfies(f -> assertThat(f.what()).startsWith("certificate valid until"));
    }

    @Test
    void aPageThatFailsOnTheNewClusterBlocksAndIsNamed() {
        SiteCheck.Report report = check.compareLive(target(Variant.PRODUCT_500));
        assertThat(report.blocking()).singleElement().satisfies(f -> {
            assertThat(f.where()).isEqualTo("https://shop.example/produkt/1.html");
            assertThat(f.what()).contains("answers 500 where the old server answered 200");
        });
    }

    @Test
    void anotherTitleIsAWarning() {
        SiteCheck.Report report = check.compareLive(target(Variant.OTHER_TITLE));
        assertThat(report.passed()).isTrue();
        assertThat(report.warnings()).hasSize(5).allSatisfy(f -> assertThat(f.what()).contains("the title differs", "Neuer Shop"));
    }

    @Test
    void anExpiredCertificateBlocks() {
        SiteCheck.Report report = check.compareLive(target(Variant.EXPIRED_CERTIFICATE));
        assertThat(report.blocking()).extracting(Finding::where).contains(TestShop.DOMAIN, TestShop.WWW);
        assertThat(report.blocking()).filteredOn(f -> f.where().equals(TestShop.DOMAIN)).singleElement()
                .satisfies(f -> assertThat(f.what()).contains("expired on 2025-02-01"));
    }

    @Test
    void aCertificateForAnotherNameBlocks() {
        SiteCheck.Report report = check.compareLive(target(Variant.WRONG_NAME));
        assertThat(report.blocking()).filteredOn(f -> f.where().equals(TestShop.WWW)).singleElement()
                .satisfies(f -> assertThat(f.what()).contains("does not cover www.shop.example"));
        assertThat(report.blocking()).extracting(Finding::severity).containsOnly(Severity.BLOCKING);
    }

    @Test
    void inPhaseSixTheNewClusterIsComparedWithTheBaseline() {
        SiteCheck.Report phase2 = check.compareLive(target(Variant.IDENTICAL));
        SiteCheck.Report phase6 = check.compareWithBaseline(target(Variant.PRODUCT_500), phase2.baseline());
        assertThat(phase6.now()).extracting(Page::url).containsExactlyElementsOf(phase2.baseline().stream().map(Page::url).toList());
        assertThat(phase6.blocking()).extracting(Finding::where).containsExactly("https://shop.example/produkt/1.html");
    }
}
