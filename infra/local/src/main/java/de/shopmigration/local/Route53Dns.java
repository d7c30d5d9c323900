package de.shopmigration.local;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The public DNS as the local cloud's functions see it: Route 53's name servers answering for
 * the emulator's hosted zones (authoritative, with each record's TTL), the delegation of each
 * zone's domain to its delegation set, every name server's address on loopback, and, for
 * domains whose DNS is elsewhere, a stand-in for the customer's DNS provider that tests (or
 * the customer, in the sandbox) change by hand. One UDP socket plays resolver and
 * authoritative servers at once, so functions get DNS_RESOLVERS=127.0.0.1:port and
 * DNS_PORT=port. The lookup code itself is tested against Knot DNS (see DnsAgainstKnotTest).
 */
public final class Route53Dns implements AutoCloseable {

    /** The name servers of the stand-in DNS provider for domains outside Route 53. */
    public static final List<String> ELSEWHERE_NAME_SERVERS = List.of("ns1.dns-elsewhere.example", "ns2.dns-elsewhere.example");

    /** One record set of a domain outside Route 53. */
    public record Entry(long ttl, List<String> values) {
    }

    private final DatagramSocket socket;
    private final Route53Client route53;
    private final Consumer<String> log;
    private final Map<String, List<String>> delegations = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Entry>> elsewhere = new ConcurrentHashMap<>();
    private final Thread thread;
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "route53-dns-worker");
        t.setDaemon(true);
        return t;
    });

    private Route53Dns(DatagramSocket socket, Route53Client route53, Consumer<String> log) {
        this.socket = socket;
        this.route53 = route53;
        this.log = log;
        this.thread = new Thread(this::serve, "route53-dns");
        this.thread.setDaemon(true);
    }

    /** Owns the client from here on and closes it with the server. */
    public static Route53Dns start(Route53Client route53, Consumer<String> log) throws SocketException {
        Route53Dns dns = new Route53Dns(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), route53, log);
        dns.thread.start();
        return dns;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** What the functions are configured with: resolver and authoritative servers are this socket. */
    public String resolvers() {
        return "127.0.0.1:" + port();
    }

    /** The registry says the domain is delegated elsewhere (e.g. still to the old provider); null undoes it. */
    public void delegate(String domain, List<String> nameServers) {
        if (nameServers == null) {
            delegations.remove(plain(domain));
        } else {
            delegations.put(plain(domain), nameServers.stream().map(Route53Dns::plain).toList());
        }
    }

    /** Sets a record of a domain whose DNS is at another provider (the customer's own change). */
    public void setElsewhere(String domain, String name, String type, long ttl, List<String> values) {
        elsewhere.computeIfAbsent(plain(domain), d -> new ConcurrentHashMap<>()).put(plain(name) + "|" + type, new Entry(ttl, List.copyOf(values)));
    }

    public void deleteElsewhere(String domain, String name, String type) {
        elsewhere.getOrDefault(plain(domain), Map.of()).remove(plain(name) + "|" + type);
    }

    /**
     * Each query is answered on a worker of its own: an answer reads the emulator, and with many
     * migrations checking their DNS at once a single loop would let resolvers time out.
     */
    private void serve() {
        while (!socket.isClosed()) {
            byte[] buffer = new byte[4096];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            workers.submit(() -> {
                try {
                    Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    byte[] answer = answer(query).toWire(512);
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                } catch (IOException | RuntimeException e) {
                    log.accept("local DNS: unanswered query: " + e);
                }
            });
        }
    }

    Message answer(Message query) throws IOException {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        String name = plain(question.getName().toString());
        int type = question.getType();
        List<Record> answers = new ArrayList<>();
        boolean exists = false;
        if (isNameServer(name)) {
            exists = true;
            if (type == Type.A) {
                answers.add(new ARecord(question.getName(), DClass.IN, 86_400, InetAddress.getLoopbackAddress()));
            }
        } else {
            Optional<String> outside = elsewhere.keySet().stream().filter(d -> within(name, d)).findFirst();
            if (outside.isPresent()) {
                exists = true;
                if (type == Type.NS && name.equals(outside.get())) {
                    for (String ns : delegations.getOrDefault(name, ELSEWHERE_NAME_SERVERS)) {
                        answers.add(Record.fromString(question.getName(), Type.NS, DClass.IN, 86_400, ns + ".", Name.root));
                    }
                }
                Entry entry = elsewhere.get(outside.get()).get(name + "|" + Type.string(type));
                if (entry != null) {
                    for (String v : entry.values()) {
                        answers.add(Record.fromString(question.getName(), type, DClass.IN, entry.ttl(), v, Name.root));
                    }
                }
            } else {
                exists = fromRoute53(question.getName(), name, type, answers);
            }
        }
        answers.forEach(r -> response.addRecord(r, Section.ANSWER));
        response.getHeader().setRcode(exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
        return response;
    }

    private volatile List<HostedZone> zones = List.of();
    private volatile long zonesReadAt = System.nanoTime() - 2_000_000_000L;

    /** Every hosted zone (all pages: a deployment may hold hundreds), re-read at most once a second. */
    private List<HostedZone> hostedZones() {
        if (System.nanoTime() - zonesReadAt > 1_000_000_000L) {
            zones = route53.listHostedZonesPaginator().hostedZones().stream().toList();
            zonesReadAt = System.nanoTime();
        }
        return zones;
    }

    /** Answers from the hosted zone the name belongs to; false when the name does not exist. */
    private boolean fromRoute53(Name qname, String name, int type, List<Record> answers) {
        Route53Client r53 = route53;
        try {
            HostedZone zone = null;
            for (HostedZone z : hostedZones()) {
                String zoneName = plain(z.name());
                if (within(name, zoneName) && (zone == null || zoneName.length() > plain(zone.name()).length())) {
                    zone = z;
                }
            }
            if (zone == null) {
                return false;
            }
            String zoneId = zone.id();
            if (name.equals(plain(zone.name())) && type == Type.NS) {
                List<String> servers = delegations.getOrDefault(name,
                        r53.getHostedZone(b -> b.id(zoneId)).delegationSet().nameServers().stream().map(Route53Dns::plain).toList());
                for (String ns : servers) {
                    answers.add(Record.fromString(qname, Type.NS, DClass.IN, 172_800, ns + ".", Name.root));
                }
                return true;
            }
            boolean exists = name.equals(plain(zone.name()));
            for (ResourceRecordSet set : r53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(zoneId)).resourceRecordSets()) {
                if (!plain(set.name()).equals(name)) {
                    continue;
                }
                exists = true;
                if (set.typeAsString().equals(Type.string(type)) && set.ttl() != null) {
                    for (var rr : set.resourceRecords()) {
                        answers.add(Record.fromString(qname, type, DClass.IN, set.ttl(), rr.value(), Name.root));
                    }
                }
            }
            return exists;
        } catch (IOException e) {
            throw new IllegalStateException("A record value in Route 53 is not valid DNS: " + e.getMessage(), e);
        }
    }

    private boolean isNameServer(String name) {
        if (ELSEWHERE_NAME_SERVERS.contains(name) || delegations.values().stream().anyMatch(l -> l.contains(name))) {
            return true;
        }
        // Route 53's name servers (moto gives every zone the same four awsdns names).
        return name.matches("ns-\\d+\\.awsdns-\\d+\\.[a-z.]+");
    }

    private static boolean within(String name, String domain) {
        return name.equals(domain) || name.endsWith("." + domain);
    }

    static String plain(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        route53.close();
    }
}
