package de.shopmigration.sitecheck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;

/**
 * The new cluster's certificate for one host name, looked at the way a browser will once DNS
 * points there: the chain must lead to a trusted root, the names must cover the host, and it
 * must not expire within {@link #MIN_REMAINING}. The handshake itself accepts any certificate so
 * that each of these can be told apart and named; the verdict is ours.
 */
public final class TlsCheck {

    /** Less than this left is a warning; an expired or not yet valid certificate is blocking. */
    public static final Duration MIN_REMAINING = Duration.ofDays(14);

    private final X509TrustManager trust;
    private final int httpsPort;
    private final int timeoutMillis;
    private final Clock clock;

    public TlsCheck(X509TrustManager trust, int httpsPort, Duration timeout, Clock clock) {
        this.trust = trust;
        this.httpsPort = httpsPort;
        this.timeoutMillis = (int) timeout.toMillis();
        this.clock = clock;
    }

    public List<Finding> check(InetAddress address, String host) {
        X509Certificate[] chain;
        try {
            chain = handshake(address, host);
        } catch (IOException | GeneralSecurityException e) {
            return List.of(Finding.blocking(host, "tlsNoConnection", "error", String.valueOf(e.getMessage())));
        }
        List<Finding> found = new ArrayList<>();
        X509Certificate leaf = chain[0];
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        boolean outOfDate = now.isAfter(notAfter) || now.isBefore(leaf.getNotBefore().toInstant());
        if (now.isAfter(notAfter)) {
            found.add(Finding.blocking(host, "tlsExpired", "date", notAfter.toString()));
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            found.add(Finding.blocking(host, "tlsNotYetValid", "date", leaf.getNotBefore().toInstant().toString()));
        } else if (now.plus(MIN_REMAINING).isAfter(notAfter)) {
            found.add(Finding.warning(host, "tlsExpiresSoon", "date", notAfter.toString(), "days", Long.toString(MIN_REMAINING.toDays())));
        }
        // An out-of-date chain fails the trust check too; it is named once, above.
        if (!outOfDate) {
            try {
                // "UNKNOWN": the key exchange is TLS's business, not this check's (as the JDK passes it for TLS 1.3).
                trust.checkServerTrusted(chain, "UNKNOWN");
            } catch (java.security.cert.CertificateException e) {
                found.add(Finding.blocking(host, "tlsUntrusted", "error", String.valueOf(e.getMessage())));
            }
        }
        try {
            new DefaultHostnameVerifier().verify(host, leaf);
        } catch (SSLException e) {
            found.add(Finding.blocking(host, "tlsWrongName", "host", host, "error", String.valueOf(e.getMessage())));
        }
        if (found.isEmpty()) {
            found.add(Finding.info(host, "tlsValid", "date", notAfter.toString(), "issuer", leaf.getIssuerX500Principal().getName()));
        }
        return found;
    }

    private X509Certificate[] handshake(InetAddress address, String host) throws IOException, GeneralSecurityException {
        SSLContext any = SSLContext.getInstance("TLS");
        any.init(null, new TrustManager[] {new Accepting()}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) any.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(address, httpsPort), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            Certificate[] peer = socket.getSession().getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                chain[i] = (X509Certificate) peer[i];
            }
            return chain;
        }
    }

    /** Lets the handshake finish whatever the certificate, so that {@link #check} can say what is wrong with it. */
    private static final class Accepting implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
