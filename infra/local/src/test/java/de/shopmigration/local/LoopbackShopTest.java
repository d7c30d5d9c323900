package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.sitecheck.Page;
import de.shopmigration.sitecheck.SiteFetcher;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loopback shop itself: both servers answer the shop's names over HTTPS with the test
 * authority's certificate, and the new cluster can be stopped, started and changed on its own.
 * Fetched with the site check's fetcher (address given, host name kept) and a plain TLS socket.
 */
@Tag("full")
class LoopbackShopTest {

    static final String DOMAIN = "loopback-shop.example";
    static final String WWW = "www." + DOMAIN;

    static LoopbackShop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = LoopbackShop.start(Files.createTempDirectory("loopback-shop-"), List.of(DOMAIN, WWW), "127.0.0.2", "127.0.0.3");
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @BeforeEach
    void bothServersAsStarted() throws Exception {
        shop.startNew();
        shop.newAsOld();
    }

    @Test
    void bothServersServeTheShopUnderItsNamesWithTheAuthoritysCertificate() throws Exception {
        for (String address : List.of(shop.oldAddress(), shop.newAddress())) {
            for (String host : List.of(DOMAIN, WWW)) {
                Page home = fetch(address, "https://" + host + "/");
                assertThat(home.status()).as(address + " " + host + ": " + home.error()).isEqualTo(200);
                assertThat(home.title()).isEqualTo("Startseite – Muster-Shop");
                assertThat(home.markerFound()).isTrue();
            }
            assertThat(fetch(address, "https://" + DOMAIN + "/kategorie/").title()).isEqualTo("Schuhe – Muster-Shop");
            assertThat(fetch(address, "https://" + DOMAIN + "/produkt/1.html").title()).isEqualTo("Wanderschuh – Muster-Shop");
            assertThat(fetch(address, "https://" + DOMAIN + "/warenkorb").title()).isEqualTo("Warenkorb – Muster-Shop");
            Page sitemap = fetch(address, "https://" + WWW + "/sitemap.xml");
            assertThat(sitemap.contentType()).isEqualTo("application/xml");
            try (SiteFetcher fetcher = fetcher(address)) {
                assertThat(fetcher.text(URI.create("https://" + WWW + "/sitemap.xml")).orElseThrow())
                        .contains("<loc>https://www.loopback-shop.example/produkt/1.html</loc>").doesNotContain("<loc>https://loopback-shop");
            }
            // A JDK client of its own, checking chain and name: one certificate for both names, valid for a year.
            X509Certificate leaf = handshake(address, WWW);
            assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList()).containsExactly(DOMAIN, WWW);
            assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()).toDays()).isBetween(364L, 365L);
        }
        assertThat(shop.caPem()).startsWith("-----BEGIN CERTIFICATE-----").isEqualTo(Files.readString(shop.caCertificate()));
        assertThat(shop.marker()).isEqualTo("Muster-Shop GmbH");
        assertThat(shop.routes("203.0.113.10", "198.51.100.20"))
                .containsExactly(Map.entry("203.0.113.10", "127.0.0.2"), Map.entry("198.51.100.20", "127.0.0.3"));
    }

    @Test
    void theNewClusterStopsAndStartsOnItsOwn() throws Exception {
        shop.stopNew();
        assertThatThrownBy(() -> connect(shop.newAddress())).isInstanceOf(ConnectException.class);
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/").error()).contains("Connect");
        assertThat(fetch(shop.oldAddress(), "https://" + DOMAIN + "/").status()).isEqualTo(200);

        shop.startNew();
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/").status()).isEqualTo(200);
    }

    @Test
    void aPageOfTheNewClusterAnswersAnotherStatusUntilUndone() throws Exception {
        // The change is reloaded into the running server: no connection is refused meanwhile.
        AtomicBoolean changing = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger connected = new AtomicInteger();
        CompletableFuture<Void> knocking = CompletableFuture.runAsync(() -> {
            while (changing.get()) {
                try {
                    connect(shop.newAddress());
                    connected.incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
            }
        });
        shop.newAnswers("/produkt/1.html", 500);
        changing.set(false);
        knocking.join();
        assertThat(refused).hasValue(0);
        assertThat(connected.get()).isPositive();

        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/produkt/1.html").status()).isEqualTo(500);
        assertThat(fetch(shop.newAddress(), "https://" + WWW + "/produkt/1.html").status()).isEqualTo(500);
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/kategorie/").status()).isEqualTo(200);
        assertThat(fetch(shop.oldAddress(), "https://" + DOMAIN + "/produkt/1.html").status()).isEqualTo(200);

        shop.newAnswers("/warenkorb", 404);
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/warenkorb").status()).isEqualTo(404);
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/produkt/1.html").status()).isEqualTo(500);

        shop.newAnswersNormally();
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/produkt/1.html").status()).isEqualTo(200);
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/warenkorb").title()).isEqualTo("Warenkorb – Muster-Shop");
    }

    @Test
    void aChangeMadeWhileTheNewClusterIsStoppedHoldsWhenItStarts() throws Exception {
        shop.stopNew();
        shop.newAnswers("/", 503);
        shop.startNew();
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/").status()).isEqualTo(503);
    }

    @Test
    void theNewClustersTitlesCanNameAnotherShop() throws Exception {
        shop.newTitle("Neuer Shop");
        assertThat(fetch(shop.newAddress(), "https://" + DOMAIN + "/").title()).isEqualTo("Startseite – Neuer Shop");
        assertThat(fetch(shop.oldAddress(), "https://" + DOMAIN + "/").title()).isEqualTo("Startseite – Muster-Shop");
    }

    @Test
    void pathsThatWouldChangeNginxsConfigurationAreRefused() {
        assertThatThrownBy(() -> shop.newAnswers("/a; return 200", 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shop.newAnswers("/a", 99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeStopsBothServersAndDeletesItsFiles() throws Exception {
        Path dir = Files.createTempDirectory("loopback-shop-closed-");
        LoopbackShop other = LoopbackShop.start(dir, List.of("closed.example"), "127.0.0.4", "127.0.0.5");
        assertThat(fetch(other, "127.0.0.4", "https://closed.example/").status()).isEqualTo(200);
        other.close();
        for (String address : List.of("127.0.0.4", "127.0.0.5")) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getByName(address), other.port()), 2000);
                }
            }).isInstanceOf(ConnectException.class);
        }
        assertThat(dir).doesNotExist();
    }

    private static Page fetch(String address, String url) throws Exception {
        return fetch(shop, address, url);
    }

    private static Page fetch(LoopbackShop from, String address, String url) throws Exception {
        try (SiteFetcher fetcher = new SiteFetcher(InetAddress.getByName(address), Set.copyOf(from.hostNames()), from.port(),
                from.ca().context(), Timeout.ofSeconds(5))) {
            return fetcher.fetch(URI.create(url), from.marker());
        }
    }

    private static SiteFetcher fetcher(String address) throws Exception {
        return new SiteFetcher(InetAddress.getByName(address), Set.of(DOMAIN, WWW), shop.port(), shop.ca().context(), Timeout.ofSeconds(5));
    }

    private static void connect(String address) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), shop.port()), 2000);
        }
    }

    /** The server's certificate, with the chain checked against the authority alone and the name against {@code host}. */
    private static X509Certificate handshake(String address, String host) throws Exception {
        try (SSLSocket socket = (SSLSocket) shop.ca().context().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), shop.port()), 2000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
