package de.shopmigration.sitecheck;

import de.shopmigration.core.InvalidConfiguration;
import de.shopmigration.core.lambda.Env;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The deployment's settings for the site checks (template.yaml parameters, see docs/operations.md):
 * whether they run, which certificate authorities besides the JDK's are trusted, how often the
 * watch looks. The local cloud adds where its stand-in servers listen (a port, and loopback
 * addresses for the public ones of its sample), as it does for DNS.
 *
 * @param routes public address → the address it is reached at (the local cloud only; empty in AWS)
 */
public record SiteSettings(boolean enabled, int httpsPort, X509TrustManager trust, Map<String, String> routes, Duration timeout,
                           int watchMinutes) {

    public static SiteSettings from(Env env) {
        String switched = env.optional("SITE_CHECKS").orElse("Enabled").strip();
        if (!switched.equals("Enabled") && !switched.equals("Disabled")) {
            throw new InvalidConfiguration("SITE_CHECKS", "SiteChecks", "Enabled or Disabled, not " + switched);
        }
        int port = number(env, "SITE_CHECK_HTTPS_PORT", 443, 1, 65535);
        int minutes = number(env, "SITE_WATCH_INTERVAL_MINUTES", 15, 1, 1440);
        return new SiteSettings(switched.equals("Enabled"), port, trust(env.optional("SITE_CHECK_CA_CERTIFICATES").orElse("")),
                routes(env.optional("SITE_CHECK_ROUTES").orElse("")), Duration.ofSeconds(10), minutes);
    }

    /** Where an address is reached: itself, unless the local cloud routes it to a stand-in. */
    public InetAddress reach(String address) {
        try {
            return InetAddress.getByName(routes.getOrDefault(address, address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an address: " + address, e);
        }
    }

    public SSLContext tls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("No TLS context", e);
        }
    }

    private static int number(Env env, String name, int fallback, int min, int max) {
        String value = env.optional(name).map(String::strip).filter(v -> !v.isEmpty()).orElse(Integer.toString(fallback));
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new InvalidConfiguration(name, null, "a whole number from " + min + " to " + max + " is expected, not " + value);
    }

    static Map<String, String> routes(String setting) {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.strip().split("=");
            if (parts.length != 2) {
                throw new InvalidConfiguration("SITE_CHECK_ROUTES", null, "address=address pairs are expected, not " + pair.strip());
            }
            routes.put(parts[0].strip(), parts[1].strip());
        }
        return Map.copyOf(routes);
    }

    /**
     * The JDK's trusted roots plus the deployment's own (PEM, for a provider whose clusters use
     * certificates of an internal authority until the go-live).
     */
    static X509TrustManager trust(String pem) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (pem.isBlank()) {
                f.init((KeyStore) null);
                return (X509TrustManager) f.getTrustManagers()[0];
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int i = 0;
            for (X509Certificate root : ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + i++, root);
            }
            Collection<? extends Certificate> own = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.replace("\\n", "\n").getBytes(StandardCharsets.US_ASCII)));
            if (own.isEmpty()) {
                throw new InvalidConfiguration("SITE_CHECK_CA_CERTIFICATES", "SiteCheckCaCertificates", "it holds no PEM certificate");
            }
            for (Certificate c : own) {
                store.setCertificateEntry("own-" + i++, c);
            }
            f.init(store);
            return (X509TrustManager) f.getTrustManagers()[0];
        } catch (CertificateException e) {
            throw new InvalidConfiguration("SITE_CHECK_CA_CERTIFICATES", "SiteCheckCaCertificates", "not PEM certificates: " + e.getMessage());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot build the site check's trust store", e);
        }
    }
}
