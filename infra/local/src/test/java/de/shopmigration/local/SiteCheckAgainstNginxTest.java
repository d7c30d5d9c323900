package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.sitecheck.Finding;
import de.shopmigration.sitecheck.Finding.Severity;
import de.shopmigration.sitecheck.Page;
import de.shopmigration.sitecheck.SiteCheck;
import de.shopmigration.sitecheck.SiteFetcher;
import de.shopmigration.sitecheck.TlsCheck;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The site check (functions/sitecheck) against real servers: nginx serving a small shop on
 * loopback addresses with certificates of a test authority ({@link LoopbackShop}), the old
 * server on 127.0.0.2 and the new cluster on 127.0.0.3, changed for each case in one way.
 */
@Tag("full")
class SiteCheckAgainstNginxTest {

    static final String DOMAIN = "shop.example";
    static final String WWW = "www." + DOMAIN;

    static LoopbackShop shop;
    static SiteCheck check;

    @BeforeAll
    static void start() throws Exception {
        shop = LoopbackShop.start(Files.createTempDirectory("site-check-shop-"), List.of(DOMAIN, WWW), "127.0.0.2", "127.0.0.3");
        var tls = shop.ca().context();
        var trust = shop.ca().trust();
        check = new SiteCheck((address, hosts) -> new SiteFetcher(address, hosts, shop.port(), tls, Timeout.ofSeconds(5)),
                new TlsCheck(trust, shop.port(), Duration.ofSeconds(5), Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    /** Each case starts from a new cluster that serves the same shop as the old server. */
    @BeforeEach
    void sameShopOnBoth() throws Exception {
        shop.newAsOld();
    }

    static SiteCheck.Target target() throws Exception {
        return new SiteCheck.Target(List.of(DOMAIN, WWW), InetAddress.getByName(shop.oldAddress()), InetAddress.getByName(shop.newAddress()),
                List.of("/warenkorb"), shop.marker());
    }

    @Test
    void theSameShopOnTheNewClusterPasses() throws Exception {
        SiteCheck.Report report = check.compareLive(target());
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
        assertThat(report.findings()).filteredOn(f -> f.where().equals(DOMAIN)).singleElement()
                .satisfies(f -> assertThat(f.what()).startsWith("certificate valid until"));
    }

    @Test
    void aPageThatFailsOnTheNewClusterBlocksAndIsNamed() throws Exception {
        shop.newAnswers("/produkt/1.html", 500);
        SiteCheck.Report report = check.compareLive(target());
        assertThat(report.blocking()).singleElement().satisfies(f -> {
            assertThat(f.where()).isEqualTo("https://shop.example/produkt/1.html");
            assertThat(f.what()).contains("answers 500 where the old server answered 200");
        });
    }

    @Test
    void anotherTitleIsAWarning() throws Exception {
        shop.newTitle("Neuer Shop");
        SiteCheck.Report report = check.compareLive(target());
        assertThat(report.passed()).isTrue();
        assertThat(report.warnings()).hasSize(5).allSatisfy(f -> assertThat(f.what()).contains("the title differs", "Neuer Shop"));
    }

    @Test
    void anExpiredCertificateBlocks() throws Exception {
        shop.newCertificateExpired();
        SiteCheck.Report report = check.compareLive(target());
        assertThat(report.blocking()).extracting(Finding::where).contains(DOMAIN, WWW);
        assertThat(report.blocking()).filteredOn(f -> f.where().equals(DOMAIN)).singleElement()
                .satisfies(f -> assertThat(f.what()).contains("expired on 2025-02-01"));
    }

    @Test
    void aCertificateForAnotherNameBlocks() throws Exception {
        shop.newCertificateFor(List.of("other-shop.example"));
        SiteCheck.Report report = check.compareLive(target());
        assertThat(report.blocking()).filteredOn(f -> f.where().equals(WWW)).singleElement()
                .satisfies(f -> assertThat(f.what()).contains("does not cover www.shop.example"));
        assertThat(report.blocking()).extracting(Finding::severity).containsOnly(Severity.BLOCKING);
    }

    @Test
    void inPhaseSixTheNewClusterIsComparedWithTheBaseline() throws Exception {
        SiteCheck.Report phase2 = check.compareLive(target());
        shop.newAnswers("/produkt/1.html", 500);
        SiteCheck.Report phase6 = check.compareWithBaseline(target(), phase2.baseline());
        assertThat(phase6.now()).extracting(Page::url).containsExactlyElementsOf(phase2.baseline().stream().map(Page::url).toList());
        assertThat(phase6.blocking()).extracting(Finding::where).containsExactly("https://shop.example/produkt/1.html");
    }
}
