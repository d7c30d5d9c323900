package de.shopmigration.sitecheck;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches the shop's pages from one server by its address while everything else keeps the
 * customer's host name: the URL, the Host header, TLS's SNI and the certificate's name check.
 * That is what a visitor will see once DNS points there, before it does. Redirects are not
 * followed (their target is compared); nothing is retried; a body is read up to
 * {@link #MAX_BODY_BYTES}.
 */
public final class SiteFetcher implements AutoCloseable {

    static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final CloseableHttpClient client;

    /**
     * @param address the server every one of {@code hosts} is fetched from
     * @param httpsPort 443 in production; the tests' servers listen elsewhere
     * @param tls the trust for the server's certificate (the JDK's default in production)
     */
    public SiteFetcher(InetAddress address, Set<String> hosts, int httpsPort, SSLContext tls, Timeout timeout) {
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                if (!hosts.contains(host.toLowerCase(Locale.ROOT))) {
                    throw new UnknownHostException(host + " is not one of the shop's host names");
                }
                return new InetAddress[] {InetAddress.getByAddress(host, address.getAddress())};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        SchemePortResolver ports = host -> "http".equalsIgnoreCase(host.getSchemeName()) ? 80 : httpsPort;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setSchemePortResolver(ports)
                        .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).buildClassic())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setSchemePortResolver(ports)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("shop-migration-site-check/1.0")
                .build();
    }

    /** One page: status, redirect target, type, title, size, marker, time; or why there was no answer. */
    public Page fetch(URI url, String marker) {
        long start = System.nanoTime();
        try {
            return client.execute(new HttpGet(url), response -> {
                HttpEntity entity = response.getEntity();
                byte[] body = entity == null ? new byte[0] : read(entity);
                long millis = (System.nanoTime() - start) / 1_000_000;
                Header location = response.getFirstHeader("Location");
                ContentType type = entity == null || entity.getContentType() == null ? null : ContentType.parseLenient(entity.getContentType());
                Charset charset = type == null || type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset();
                String text = new String(body, charset);
                return new Page(url.toString(), response.getCode(), location == null ? null : location.getValue(),
                        type == null ? null : type.getMimeType(), title(text), body.length,
                        marker != null && !marker.isBlank() && text.contains(marker), millis, null);
            });
        } catch (SSLException e) {
            return Page.failed(url.toString(), "TLS refused: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            return Page.failed(url.toString(), e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** A text resource (the sitemap) when the server answers 200 with it; empty otherwise. */
    public Optional<String> text(URI url) {
        try {
            return client.execute(new HttpGet(url), response -> {
                if (response.getCode() != 200 || response.getEntity() == null) {
                    return Optional.<String>empty();
                }
                return Optional.of(new String(read(response.getEntity()), StandardCharsets.UTF_8));
            });
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] read(HttpEntity entity) throws IOException {
        try (InputStream in = entity.getContent()) {
            return in.readNBytes(MAX_BODY_BYTES);
        }
    }

    static String title(String html) {
        Matcher m = TITLE.matcher(html);
        if (!m.find()) {
            return null;
        }
        return m.group(1).replaceAll("\\s+", " ").strip()
                .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
