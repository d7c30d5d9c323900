package de.shopmigration.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A small shop served over HTTPS by a real nginx (Debian's) on two loopback addresses: the old
 * server on one, the new cluster on the other, one port for both, certificates from a
 * certificate authority of our own ({@link LoopbackCa}). What the site checks fetch in the
 * tests and in the sandbox, the way they will fetch a customer's shop.
 *
 * <p>Old and new are two nginx processes, so the new cluster can be stopped, started and changed
 * (a page's status, the titles, its certificate) on its own; a change is reloaded into the running
 * process (no moment without an answer) and in effect when the method returns. Every process is
 * started here and stopped by its PID; everything is written below the work folder and removed
 * by {@link #close}. Addresses other than 127.0.0.1 in 127.0.0.0/8 need no setup on Linux.
 */
public final class LoopbackShop implements AutoCloseable {

    /** The text in every page's footer: the site check's marker. */
    public static final String MARKER = "Muster-Shop GmbH";
    /** The shop's name in its pages' titles ("Startseite – Muster-Shop"). */
    public static final String SHOP_NAME = "Muster-Shop";
    /** How long the certificate for the shop's names is valid from the start. */
    static final int CERTIFICATE_DAYS = 365;

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/%-]*");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private final Path workDir;
    private final List<String> hostNames;
    private final String oldAddress;
    private final String newAddress;
    private final int port;
    private final LoopbackCa ca;
    private final String caPem;
    private final Path certificate;
    private final Map<String, Path> sites = new LinkedHashMap<>();
    private final Map<String, Path> otherCertificates = new LinkedHashMap<>();
    private final Nginx old;
    private final Nginx next;

    /** How the new cluster differs from the old server: pages answering another status, another shop name, another certificate. */
    private final Map<String, Integer> newStatuses = new LinkedHashMap<>();
    private String newShopName = SHOP_NAME;
    private Path newCertificate;
    private boolean closed;

    private LoopbackShop(Path workDir, List<String> hostNames, String oldAddress, String newAddress, int port,
            LoopbackCa ca, Path certificate) throws IOException {
        this.workDir = workDir;
        this.hostNames = hostNames;
        this.oldAddress = oldAddress;
        this.newAddress = newAddress;
        this.port = port;
        this.ca = ca;
        this.caPem = ca.pem();
        this.certificate = certificate;
        this.newCertificate = certificate;
        this.old = new Nginx(workDir.resolve("old-server"), oldAddress);
        this.next = new Nginx(workDir.resolve("new-cluster"), newAddress);
    }

    /** True when nginx can be started: /usr/sbin/nginx, or nginx on the PATH. */
    public static boolean nginxInstalled() {
        return nginx().isPresent();
    }

    /** One line: how to get nginx (and openssl, which makes the certificates). */
    public static String howToInstall() {
        return "sudo apt-get install -y nginx openssl (Debian/Ubuntu; infra/bin/prerequisites test installs them with the other test tools)";
    }

    /**
     * Starts the shop for {@code hostNames} (the first one is the shop's main name) on
     * {@code oldAddress} and {@code newAddress} (loopback addresses such as 127.0.0.2 and
     * 127.0.0.3), both on one free port, with one certificate for all the names valid for a
     * year. Returns when both servers listen.
     *
     * @param workDir where the authority, the pages, the configurations and the logs go (created when missing)
     */
    public static LoopbackShop start(Path workDir, List<String> hostNames, String oldAddress, String newAddress)
            throws IOException, InterruptedException {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("the shop needs at least one host name");
        }
        List<String> names = hostNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        for (String name : names) {
            if (!HOST.matcher(name).matches()) {
                throw new IllegalArgumentException("not a host name: " + name);
            }
        }
        if (!inet(oldAddress).isLoopbackAddress() || !inet(newAddress).isLoopbackAddress() || oldAddress.equals(newAddress)) {
            throw new IllegalArgumentException("two different loopback addresses are needed, not " + oldAddress + " and " + newAddress);
        }
        Files.createDirectories(workDir);
        LoopbackCa ca;
        Path certificate;
        try {
            ca = new LoopbackCa(workDir.resolve("ca"));
            certificate = ca.serverCertificate("shop", names, CERTIFICATE_DAYS, false);
        } catch (IOException | RuntimeException e) {
            deleteTree(workDir.resolve("ca"));
            throw e;
        }
        // The port is free when chosen; another process may take it before nginx binds it: then again with another.
        for (int attempt = 1; ; attempt++) {
            LoopbackShop shop = new LoopbackShop(workDir, names, oldAddress, newAddress, freePort(), ca, certificate);
            try {
                shop.old.start(shop.config(shop.old, shop.site(SHOP_NAME), certificate, Map.of()));
                shop.startNew();
                return shop;
            } catch (IOException | InterruptedException | RuntimeException e) {
                shop.stopServers();
                if (!(e instanceof IOException) || attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    shop.close();
                    throw e;
                }
            }
        }
    }

    public int port() {
        return port;
    }

    /** The shop's host names, lower case, the main one first. */
    public List<String> hostNames() {
        return hostNames;
    }

    public String oldAddress() {
        return oldAddress;
    }

    public String newAddress() {
        return newAddress;
    }

    /** The footer text every page has: the site check's marker. */
    public String marker() {
        return MARKER;
    }

    /** The authority that signed the shop's certificates: its root as PEM text. */
    public String caPem() {
        return caPem;
    }

    /** The authority's root certificate file (PEM). */
    public Path caCertificate() {
        return ca.certificate();
    }

    /** The authority, for a client's trust ({@link LoopbackCa#trust()}, {@link LoopbackCa#context()}). */
    public LoopbackCa ca() {
        return ca;
    }

    /**
     * Where the site check should connect for the shop's public addresses: the old server's
     * public address to {@link #oldAddress()}, the new cluster's to {@link #newAddress()}.
     */
    public Map<String, String> routes(String publicOldIp, String publicNewIp) {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put(publicOldIp, oldAddress);
        routes.put(publicNewIp, newAddress);
        return routes;
    }

    /** Stops the new cluster's nginx: its address refuses connections on the port until {@link #startNew()}. */
    public synchronized void stopNew() {
        next.stop();
    }

    /** Starts the new cluster's nginx (as it is configured now) and returns when it listens; nothing when it runs. */
    public synchronized void startNew() throws IOException, InterruptedException {
        if (!next.running()) {
            next.start(newConfig());
        }
    }

    /** From now on the new cluster answers {@code path} (such as /produkt/1.html) with {@code status} and nothing else. */
    public synchronized void newAnswers(String path, int status) throws IOException, InterruptedException {
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("not a plain path: " + path);
        }
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not a status nginx can return alone: " + status);
        }
        newStatuses.put(path, status);
        applyNew();
    }

    /** The new cluster answers every path as the old server does again (undoes {@link #newAnswers}). */
    public synchronized void newAnswersNormally() throws IOException, InterruptedException {
        newStatuses.clear();
        applyNew();
    }

    /** The new cluster's pages are titled with another shop name ("Startseite – {@code shopName}"); the old server's keep theirs. */
    public synchronized void newTitle(String shopName) throws IOException, InterruptedException {
        newShopName = shopName;
        applyNew();
    }

    /** The new cluster serves a certificate for the shop's names that expired on 2025-02-01. */
    public synchronized void newCertificateExpired() throws IOException, InterruptedException {
        newCertificate = otherCertificate("expired", hostNames, true);
        applyNew();
    }

    /** The new cluster serves a valid certificate for {@code names} alone (for other names than the shop's). */
    public synchronized void newCertificateFor(List<String> names) throws IOException, InterruptedException {
        newCertificate = otherCertificate("for-" + String.join("-", names), names, false);
        applyNew();
    }

    /** The new cluster is like the old server again: every page, title and its certificate. */
    public synchronized void newAsOld() throws IOException, InterruptedException {
        newStatuses.clear();
        newShopName = SHOP_NAME;
        newCertificate = certificate;
        applyNew();
    }

    /** Stops both servers and deletes what the shop wrote below the work folder, and the folder when nothing else is left in it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopServers();
        try {
            for (Path own : List.of(workDir.resolve("ca"), workDir.resolve("sites"), old.dir, next.dir)) {
                deleteTree(own);
            }
            if (Files.isDirectory(workDir)) {
                boolean empty;
                try (Stream<Path> left = Files.list(workDir)) {
                    empty = left.findAny().isEmpty();
                }
                if (empty) {
                    Files.delete(workDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the loopback shop's files in " + workDir, e);
        }
    }

    private void stopServers() {
        next.stop();
        old.stop();
    }

    private void applyNew() throws IOException, InterruptedException {
        if (next.running()) {
            next.reload(newConfig());
        }
    }

    private String newConfig() throws IOException {
        return config(next, site(newShopName), newCertificate, newStatuses);
    }

    private Path otherCertificate(String file, List<String> names, boolean expired) throws IOException, InterruptedException {
        String key = file.replaceAll("[^A-Za-z0-9.-]", "_");
        Path existing = otherCertificates.get(key);
        if (existing == null) {
            existing = ca.serverCertificate(key, names, CERTIFICATE_DAYS, expired);
            otherCertificates.put(key, existing);
        }
        return existing;
    }

    /** One server's nginx.conf: the shop's pages from {@code root}, {@code statuses} answered instead of pages. */
    private String config(Nginx server, Path root, Path cert, Map<String, Integer> statuses) {
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put("/warenkorb", "try_files /warenkorb.html =404;");
        locations.put("/sitemap.xml", "try_files /sitemaps/$host.xml =404;");
        statuses.forEach((path, status) -> locations.put(path, "return " + status + ";"));
        String locationLines = locations.entrySet().stream()
                .map(l -> "    location = " + l.getKey() + " { " + l.getValue() + " }")
                .collect(Collectors.joining("\n"));
        Path dir = server.dir;
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  server_names_hash_bucket_size 128;
                  types { text/html html; application/xml xml; }
                  default_type text/html;
                  server {
                    listen %2$s:%3$d ssl;
                    server_name %4$s;
                    ssl_certificate %5$s;
                    ssl_certificate_key %6$s;
                    root %7$s;
                    index index.html;
                %8$s
                  }
                }
                """.formatted(dir, server.address, port, String.join(" ", hostNames), cert, LoopbackCa.keyOf(cert), root, locationLines);
    }

    /** The shop's pages with {@code shopName} in every title, and a sitemap per host name listing its pages; written once. */
    private Path site(String shopName) throws IOException {
        Path existing = sites.get(shopName);
        if (existing != null) {
            return existing;
        }
        Path root = workDir.resolve("sites").resolve(Integer.toString(sites.size() + 1));
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("index.html", "Startseite");
        pages.put("kategorie/index.html", "Schuhe");
        pages.put("produkt/1.html", "Wanderschuh");
        pages.put("warenkorb.html", "Warenkorb");
        for (var page : pages.entrySet()) {
            Path file = root.resolve(page.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>" + page.getValue() + " – "
                    + escape(shopName) + "</title></head><body><h1>" + page.getValue() + "</h1><p>" + "Angebot ".repeat(200)
                    + "</p><footer>" + MARKER + "</footer></body></html>\n");
        }
        Files.createDirectories(root.resolve("sitemaps"));
        for (String host : hostNames) {
            // The cart is left out, as shops leave it out of their sitemaps.
            Files.writeString(root.resolve("sitemaps").resolve(host + ".xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                      <url><loc>https://%1$s/</loc></url>
                      <url><loc>https://%1$s/kategorie/</loc></url>
                      <url><loc>https://%1$s/produkt/1.html</loc></url>
                    </urlset>
                    """.formatted(host));
        }
        sites.put(shopName, root);
        return root;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Optional<Path> nginx() {
        Path sbin = Path.of("/usr/sbin/nginx");
        if (Files.isExecutable(sbin)) {
            return Optional.of(sbin);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, "nginx"))
                .filter(Files::isExecutable).findFirst();
    }

    private static InetAddress inet(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One nginx process on one address (the old server or the new cluster), its files in its own folder. */
    private final class Nginx {
        final Path dir;
        final String address;
        private Process process;

        Nginx(Path dir, String address) {
            this.dir = dir;
            this.address = address;
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        void start(String config) throws IOException, InterruptedException {
            write(config);
            process = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            awaitListening();
        }

        /** Loads a changed configuration into the running process; returns once only workers with the new one answer (at once when unchanged). */
        void reload(String config) throws IOException, InterruptedException {
            if (config.equals(Files.readString(dir.resolve("nginx.conf")))) {
                return;
            }
            write(config);
            // A configuration nginx refuses would leave the old one running: refused here, loudly.
            run("-t");
            Set<Long> before = process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
            run("-s", "reload");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (process.children().anyMatch(c -> before.contains(c.pid()))
                    || process.children().noneMatch(c -> !before.contains(c.pid()))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("nginx on " + address + " did not take up its new configuration: " + logs());
                }
                Thread.sleep(20);
            }
            awaitListening();
        }

        /** Stops the process and its workers by their PIDs; returns when they are gone. */
        void stop() {
            if (process == null) {
                return;
            }
            List<ProcessHandle> all = new ArrayList<>();
            all.add(process.toHandle());
            all.addAll(process.descendants().toList());
            // The master ends its workers itself on TERM (first, so it does not replace them); they are told too, in case it cannot.
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle p : all) {
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    all.forEach(ProcessHandle::destroyForcibly);
                    break;
                }
            }
            process = null;
        }

        private void write(String config) throws IOException {
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(dir.resolve("nginx.conf"), config);
        }

        private List<String> command(String... extra) {
            Path nginx = nginx().orElseThrow(() -> new IllegalStateException("nginx is not installed: " + howToInstall()));
            // As root, nginx's workers would otherwise run as nobody, who may not read the work folder.
            String global = "daemon off;" + ("root".equals(System.getProperty("user.name")) ? " user root;" : "");
            List<String> command = new ArrayList<>(List.of(nginx.toString(), "-p", dir.toString(), "-c",
                    dir.resolve("nginx.conf").toString(), "-g", global));
            command.addAll(List.of(extra));
            return command;
        }

        private void run(String... args) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("nginx " + String.join(" ", args) + " on " + address + " failed: " + out);
            }
        }

        private void awaitListening() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(inet(address), port), 500);
                    return;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("nginx does not listen on " + address + ":" + port + ": " + logs(), e);
                    }
                    Thread.sleep(20);
                }
            }
        }

        private String logs() throws IOException {
            StringBuilder text = new StringBuilder();
            for (String file : List.of("nginx.out", "error.log")) {
                if (Files.exists(dir.resolve(file))) {
                    text.append(Files.readString(dir.resolve(file)));
                }
            }
            return text.toString();
        }
    }
}
