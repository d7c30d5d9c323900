package de.shopmigration.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A certificate authority of our own for the loopback servers, made with the openssl command
 * line: its root, and server certificates (PEM, key beside it) for given names, valid now or
 * expired. Trusted by whoever is handed {@link #trust()} or {@link #pem()}, by nobody else.
 */
public final class LoopbackCa {

    /** The period an expired certificate was valid for: it ended on 2025-02-01. */
    static final String EXPIRED_FROM = "20250101000000Z";
    static final String EXPIRED_UNTIL = "20250201000000Z";

    private final Path dir;

    /** Makes the authority's root in {@code dir} (created when missing), valid for two years. */
    public LoopbackCa(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), """
                [ ca ]
                default_ca = loopback
                [ loopback ]
                dir = %1$s
                database = %1$s/index.txt
                new_certs_dir = %1$s
                serial = %1$s/serial
                certificate = %1$s/ca.crt
                private_key = %1$s/ca.key
                default_md = sha256
                policy = anything
                copy_extensions = copy
                unique_subject = no
                [ anything ]
                commonName = supplied
                """.formatted(dir));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-days", "730", "-subj", "/CN=Shop migration loopback CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /**
     * A server certificate for {@code names} (the first is the common name), signed by this
     * authority: valid for {@code days} from now, or, when {@code expired}, only in January 2025.
     * Written as {@code file}.crt with {@code file}.key beside it.
     */
    public Path serverCertificate(String file, List<String> names, int days, boolean expired) throws IOException, InterruptedException {
        String san = "subjectAltName=" + String.join(",", names.stream().map(n -> "DNS:" + n).toList());
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file + ".key",
                "-out", file + ".csr", "-subj", "/CN=" + names.get(0), "-addext", san);
        List<String> sign = new ArrayList<>(List.of("ca", "-batch", "-config", "ca.cnf", "-in", file + ".csr", "-out", file + ".crt", "-notext"));
        if (expired) {
            sign.addAll(List.of("-startdate", EXPIRED_FROM, "-enddate", EXPIRED_UNTIL));
        } else {
            sign.addAll(List.of("-days", Integer.toString(days)));
        }
        openssl(sign.toArray(String[]::new));
        return dir.resolve(file + ".crt");
    }

    /** The private key beside a certificate {@link #serverCertificate} wrote. */
    public static Path keyOf(Path certificate) {
        String file = certificate.getFileName().toString();
        return certificate.resolveSibling(file.substring(0, file.length() - ".crt".length()) + ".key");
    }

    /** The root certificate's file (PEM). */
    public Path certificate() {
        return dir.resolve("ca.crt");
    }

    /** The root certificate as PEM text, for a trust store elsewhere. */
    public String pem() throws IOException {
        return Files.readString(certificate());
    }

    /** A trust manager that trusts this authority's root alone (as the JDK's trusts the public ones). */
    public X509TrustManager trust() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate())) {
            store.setCertificateEntry("loopback-ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        return (X509TrustManager) f.getTrustManagers()[0];
    }

    /** A TLS context whose clients trust this authority alone. */
    public SSLContext context() throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust()}, null);
        return context;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
