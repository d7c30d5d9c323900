package de.shopmigration.sitecheck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small shop served by a real nginx on loopback addresses, with certificates from a test
 * certificate authority made with openssl: 127.0.0.2 is the old server; each further address is
 * a new cluster with one thing different (see {@link Variant}). Started by the test, stopped by
 * its PID.
 */
final class TestShop implements AutoCloseable {

    static final String DOMAIN = "shop.example";
    static final String WWW = "www." + DOMAIN;
    static final String MARKER = "Muster-Shop GmbH";
    static final Path NGINX = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? Path.of("/usr/sbin/nginx") : Path.of("nginx");

    /** The new clusters: each differs from the old server in one way. */
    enum Variant {
        IDENTICAL("127.0.0.3"),
        PRODUCT_500("127.0.0.4"),
        OTHER_TITLE("127.0.0.5"),
        EXPIRED_CERTIFICATE("127.0.0.6"),
        WRONG_NAME("127.0.0.7");

        final String address;

        Variant(String address) {
            this.address = address;
        }

        InetAddress inet() {
            return TestShop.inet(address);
        }
    }

    static final String OLD = "127.0.0.2";

    final Path dir;
    final int port;
    final TestCa ca;
    private final Process nginx;

    TestShop() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("test-shop-");
        ca = new TestCa(dir.resolve("ca"));
        port = freePort();
        Path good = ca.serverCertificate("good", List.of(DOMAIN, WWW), false);
        Path expired = ca.serverCertificate("expired", List.of(DOMAIN, WWW), true);
        Path wrong = ca.serverCertificate("wrong", List.of("other-shop.example"), false);
        Path shop = site("shop", "Muster-Shop");
        Path retitled = site("retitled", "Neuer Shop");
        StringBuilder conf = new StringBuilder("""
                worker_processes 1;
                pid %s/nginx.pid;
                error_log %s/error.log;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %s/tmp;
                  types { text/html html; application/xml xml; }
                  default_type text/html;
                """.formatted(dir, dir, dir));
        conf.append(server(OLD, shop, good, ""));
        conf.append(server(Variant.IDENTICAL.address, shop, good, ""));
        conf.append(server(Variant.PRODUCT_500.address, shop, good, "location = /produkt/1.html { return 500; }\n"));
        conf.append(server(Variant.OTHER_TITLE.address, retitled, good, ""));
        conf.append(server(Variant.EXPIRED_CERTIFICATE.address, shop, expired, ""));
        conf.append(server(Variant.WRONG_NAME.address, shop, wrong, ""));
        conf.append("}\n");
        Files.createDirectories(dir.resolve("tmp"));
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        // As root, nginx's workers would otherwise run as nobody, who may not read the test's private folder.
        String global = "daemon off;" + ("root".equals(System.getProperty("user.name")) ? " user root;" : "");
        List<String> command = List.of(NGINX.toString(), "-p", dir.toString(), "-c", confFile.toString(), "-g", global);
        nginx = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        awaitListening(OLD);
        for (Variant v : Variant.values()) {
            awaitListening(v.address);
        }
    }

    private String server(String address, Path root, Path certificate, String extra) {
        return """
                  server {
                    listen %s:%d ssl;
                    server_name %s %s;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    root %s;
                    index index.html;
                    location = /warenkorb { try_files /warenkorb.html =404; }
                    %s
                  }
                """.formatted(address, port, DOMAIN, WWW, certificate, TestCa.keyOf(certificate), root, extra);
    }

    /** The shop's pages, with {@code name} in every title. */
    private Path site(String folder, String name) throws IOException {
        Path root = dir.resolve(folder);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("index.html", "Startseite");
        pages.put("kategorie/index.html", "Schuhe");
        pages.put("produkt/1.html", "Wanderschuh");
        pages.put("warenkorb.html", "Warenkorb");
        for (var page : pages.entrySet()) {
            Path file = root.resolve(page.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>" + page.getValue() + " – " + name
                    + "</title></head><body><h1>" + page.getValue() + "</h1><p>" + "Angebot ".repeat(200) + "</p><footer>" + MARKER
                    + "</footer></body></html>\n");
        }
        Files.writeString(root.resolve("sitemap.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <url><loc>https://shop.example/</loc></url>
                  <url><loc>https://shop.example/kategorie/</loc></url>
                  <url><loc>https://shop.example/produkt/1.html</loc></url>
                </urlset>
                """);
        return root;
    }

    private void awaitListening(String address) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(inet(address), port), 500);
                return;
            } catch (IOException e) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("nginx does not listen on " + address + ":" + port + ": " + Files.readString(dir.resolve("nginx.out"))
                            + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""), e);
                }
                Thread.sleep(50);
            }
        }
    }

    static InetAddress inet(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ProcessHandle.of(nginx.pid()).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroy));
        nginx.destroy();
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
            nginx.destroyForcibly();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
