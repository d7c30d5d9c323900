package de.shopmigration.local;

import de.shopmigration.dns.DnsLookup;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Knot DNS (Debian's knot package) as a real authoritative server on a loopback port, started
 * by the test and stopped by its PID. Zones are written as zone files; {@link #zone} rewrites
 * one with a higher serial and makes Knot reload.
 */
final class KnotServer implements AutoCloseable {

    static final Path KNOTD = Path.of("/usr/sbin/knotd");

    private final Path dir;
    private final int port;
    private final Map<String, List<String>> zones = new LinkedHashMap<>();
    private final Process process;
    private int serial = 1;

    private KnotServer(Path dir, int port, Map<String, List<String>> initial) throws IOException {
        this.dir = dir;
        this.port = port;
        zones.putAll(initial);
        for (Map.Entry<String, List<String>> z : zones.entrySet()) {
            writeZone(z.getKey(), z.getValue());
        }
        StringBuilder conf = new StringBuilder("""
                server:
                    rundir: "%1$s"
                    listen: 127.0.0.1@%2$d
                database:
                    storage: "%1$s"
                log:
                  - target: stderr
                    any: warning
                template:
                  - id: default
                    storage: "%1$s"
                    zonefile-sync: -1
                    zonefile-load: whole
                    journal-content: none
                zone:
                """.formatted(dir, port));
        for (String name : zones.keySet()) {
            conf.append("  - domain: ").append(name).append(".\n    file: ").append(name).append(".zone\n");
        }
        Files.writeString(dir.resolve("knot.conf"), conf.toString());
        process = new ProcessBuilder(KNOTD.toString(), "-c", dir.resolve("knot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
    }

    /** Starts knotd with the given zones (name -> records in zone-file syntax, relative to the zone). */
    static KnotServer start(Map<String, List<String>> zones) throws Exception {
        if (!Files.isExecutable(KNOTD)) {
            throw new AssertionError(KNOTD + " is missing: install Debian's knot package (.ci/run does)");
        }
        // knotd listens on TCP and UDP; a port free for both when chosen can be taken by another
        // process's connection before knotd binds it, so a start that lost that race is repeated.
        for (int attempt = 1; ; attempt++) {
            Path dir = Files.createTempDirectory("knot-test");
            KnotServer knot = new KnotServer(dir, freePort(), zones);
            try {
                knot.awaitAnswering(zones.keySet().iterator().next());
                return knot;
            } catch (AssertionError e) {
                knot.close();
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** A lookup that uses this server as resolver and as every domain's authoritative server. */
    DnsLookup lookup() {
        return new DnsLookup(List.of("127.0.0.1:" + port), port, Duration.ofSeconds(2));
    }

    /** Replaces a zone's records and waits until Knot serves the new version. */
    void zone(String name, List<String> records) throws Exception {
        zones.put(name, records);
        writeZone(name, records);
        // knotd reloads its configuration and changed zone files on SIGHUP.
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (servedSerial(name) == serial) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("knotd did not reload " + name + "; log: " + log());
    }

    private void writeZone(String name, List<String> records) throws IOException {
        serial++;
        StringBuilder zone = new StringBuilder("$ORIGIN ").append(name).append(".\n$TTL 3600\n")
                .append("@ 3600 IN SOA ns.").append(name).append(". hostmaster.").append(name).append(". ")
                .append(serial).append(" 3600 600 86400 300\n");
        records.forEach(r -> zone.append(r).append('\n'));
        Files.writeString(dir.resolve(name + ".zone"), zone.toString());
    }

    private long servedSerial(String name) {
        try {
            var query = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(org.xbill.DNS.Name.fromString(name + "."),
                    org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
            var resolver = new org.xbill.DNS.SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            resolver.setTimeout(Duration.ofMillis(500));
            for (var r : resolver.send(query).getSection(org.xbill.DNS.Section.ANSWER)) {
                if (r instanceof org.xbill.DNS.SOARecord soa) {
                    return soa.getSerial();
                }
            }
        } catch (IOException e) {
            // not answering yet
        }
        return -1;
    }

    private void awaitAnswering(String anyZone) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("knotd exited with " + process.exitValue() + ": " + log());
            }
            if (servedSerial(anyZone) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("knotd did not answer within 15 s: " + log());
    }

    String log() {
        try {
            return Files.readString(dir.resolve("knotd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A loopback port free for TCP and for UDP at the moment of asking. */
    private static int freePort() throws IOException {
        while (true) {
            int port;
            try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = tcp.getLocalPort();
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return port;
            } catch (java.net.SocketException e) {
                // taken for UDP: ask again
            }
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
