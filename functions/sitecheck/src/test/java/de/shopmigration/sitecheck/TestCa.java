package de.shopmigration.sitecheck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A certificate authority for the tests, made with the openssl command line: its root, and
 * server certificates (PEM, key beside it) for given names, valid now or expired a year ago.
 */
final class TestCa {

    private final Path dir;

    TestCa(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), """
                [ ca ]
                default_ca = test
                [ test ]
                dir = %s
                database = %s/index.txt
                new_certs_dir = %s
                serial = %s/serial
                certificate = %s/ca.crt
                private_key = %s/ca.key
                default_md = sha256
                policy = anything
                copy_extensions = copy
                unique_subject = no
                [ anything ]
                commonName = supplied
                """.formatted(dir, dir, dir, dir, dir, dir));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
                "-subj", "/CN=Shop migration test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /** A server certificate for {@code names} (the first is the common name), signed by this authority. */
    Path serverCertificate(String name, List<String> names, boolean expired) throws IOException, InterruptedException {
        String san = "subjectAltName=" + String.join(",", names.stream().map(n -> "DNS:" + n).toList());
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + names.get(0), "-addext", san);
        List<String> sign = new ArrayList<>(List.of("ca", "-batch", "-config", "ca.cnf", "-in", name + ".csr", "-out", name + ".crt", "-notext"));
        if (expired) {
            sign.addAll(List.of("-startdate", "20250101000000Z", "-enddate", "20250201000000Z"));
        } else {
            sign.addAll(List.of("-days", "90"));
        }
        openssl(sign.toArray(String[]::new));
        return dir.resolve(name + ".crt");
    }

    static Path keyOf(Path certificate) {
        String file = certificate.getFileName().toString();
        return certificate.resolveSibling(file.substring(0, file.length() - ".crt".length()) + ".key");
    }

    /** A trust manager that trusts this authority's root alone (as the JDK's trusts the public ones). */
    X509TrustManager trust() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            store.setCertificateEntry("test-ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        return (X509TrustManager) f.getTrustManagers()[0];
    }

    SSLContext context() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trust()}, null);
        return context;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
