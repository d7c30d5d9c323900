package de.shopmigration.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DNS as the world sees it, with dnsjava: a domain's NS delegation through the configured
 * resolvers, and a record's values and TTL asked directly of the domain's authoritative name
 * servers (no cache in between), the way the go-live checks need them.
 */
public final class DnsLookup {

    /** What an authoritative server answered for one name and type. */
    public record Answer(List<String> values, long ttl, String server) {
    }

    /** A lookup that could not be made (no answer, timeout): a finding, not a crash. */
    public static final class Unanswered extends Exception {
        public Unanswered(String message) {
            super(message);
        }
    }

    private final Resolver resolver;
    private final int authoritativePort;
    private final Duration timeout;

    /**
     * @param resolvers         "host" or "host:port" of recursive resolvers; empty for the system's
     * @param authoritativePort 53 in the world; the local cloud's DNS listens elsewhere
     */
    public DnsLookup(List<String> resolvers, int authoritativePort, Duration timeout) {
        this.authoritativePort = authoritativePort;
        this.timeout = timeout;
        try {
            if (resolvers.isEmpty()) {
                this.resolver = new ExtendedResolver();
            } else {
                List<Resolver> list = new ArrayList<>();
                for (String r : resolvers) {
                    list.add(new SimpleResolver(address(r, 53)));
                }
                this.resolver = new ExtendedResolver(list);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Bad DNS resolver setting " + resolvers + ": " + e.getMessage(), e);
        }
        this.resolver.setTimeout(timeout);
    }

    public static DnsLookup fromSetting(String resolvers, String port) {
        List<String> list = new ArrayList<>();
        for (String r : resolvers == null ? new String[0] : resolvers.split(",")) {
            if (!r.isBlank()) {
                list.add(r.strip());
            }
        }
        return new DnsLookup(list, port == null || port.isBlank() ? 53 : Integer.parseInt(port.strip()), Duration.ofSeconds(3));
    }

    private static InetSocketAddress address(String hostPort, int defaultPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > 0 && hostPort.indexOf(':') == colon;
        String host = hasPort ? hostPort.substring(0, colon) : hostPort;
        int port = hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : defaultPort;
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** The name servers the domain is delegated to, lower case, without the final dot, sorted. */
    public List<String> nameServers(String domain) throws Unanswered {
        // A name below its zone's apex (shop.muster-shop.de in the zone muster-shop.de) has no NS
        // records of its own: the servers of the nearest enclosing zone answer for it.
        String name = domain;
        while (true) {
            List<String> out = new ArrayList<>();
            for (Record r : lookup(name, Type.NS)) {
                if (r instanceof NSRecord ns) {
                    out.add(plain(ns.getTarget()));
                }
            }
            if (!out.isEmpty()) {
                return out.stream().sorted().toList();
            }
            int dot = name.indexOf('.');
            if (dot < 0 || name.indexOf('.', dot + 1) < 0) {
                throw new Unanswered("no NS records for " + domain);
            }
            name = name.substring(dot + 1);
        }
    }

    /** The IPv4 addresses a name resolves to through the resolvers. */
    public List<String> addresses(String name) throws Unanswered {
        List<String> out = new ArrayList<>();
        for (Record r : lookup(name, Type.A)) {
            out.add(((ARecord) r).getAddress().getHostAddress());
        }
        return out.stream().sorted().toList();
    }

    /**
     * Asks the domain's own name servers (first that answers with authority) for a record.
     * Empty when the name has no record of that type.
     */
    public Optional<Answer> authoritative(String name, String type, List<String> nameServers) throws Unanswered {
        Message query = Message.newQuery(Record.newRecord(name(name), Type.value(type), DClass.IN));
        List<String> tried = new ArrayList<>();
        for (String ns : nameServers) {
            for (String ip : addresses(ns)) {
                tried.add(ns);
                try {
                    SimpleResolver server = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(ip), authoritativePort));
                    server.setTimeout(timeout);
                    Message answer = server.send(query);
                    if (!answer.getHeader().getFlag(Flags.AA)) {
                        continue;
                    }
                    if (answer.getRcode() == Rcode.NXDOMAIN) {
                        return Optional.empty();
                    }
                    List<String> values = new ArrayList<>();
                    long ttl = Long.MAX_VALUE;
                    for (Record r : answer.getSection(Section.ANSWER)) {
                        if (r.getType() == Type.value(type)) {
                            values.add(r.rdataToString());
                            ttl = Math.min(ttl, r.getTTL());
                        }
                    }
                    return values.isEmpty() ? Optional.empty() : Optional.of(new Answer(values.stream().sorted().toList(), ttl, ns));
                } catch (IOException e) {
                    // this server did not answer; try the next one
                }
            }
        }
        throw new Unanswered("no authoritative answer for " + name + " " + type + " from " + (tried.isEmpty() ? nameServers : tried));
    }

    private List<Record> lookup(String name, int type) throws Unanswered {
        Lookup lookup = new Lookup(name(name), type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        Record[] records = lookup.run();
        if (lookup.getResult() == Lookup.TRY_AGAIN || lookup.getResult() == Lookup.UNRECOVERABLE) {
            throw new Unanswered("lookup of " + name + " " + Type.string(type) + " failed: " + lookup.getErrorString());
        }
        return records == null ? List.of() : List.of(records);
    }

    private static Name name(String name) throws Unanswered {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new Unanswered("not a DNS name: " + name);
        }
    }

    static String plain(Name name) {
        String s = name.toString().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
