package de.shopmigration.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Whether visitors on the internet can reach a server at an address: not in any block of
 * IANA's special-purpose address registries (IPv4 and IPv6: private, shared/CGN, loopback,
 * link-local, benchmarking, documentation, reserved, broadcast, translation, ...) nor multicast;
 * for IPv6 only global unicast (2000::/3). The documentation blocks (192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20) are allowed only when asked for:
 * the sandbox and the tests use them, a deployment does not.
 */
public final class PublicAddress {

    private record Block(byte[] prefix, int bits, boolean documentation) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    /** IANA IPv4 Special-Purpose Address Registry (2024), plus multicast. */
    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0", 8), block("10.0.0.0", 8), block("100.64.0.0", 10), block("127.0.0.0", 8),
            block("169.254.0.0", 16), block("172.16.0.0", 12), block("192.0.0.0", 24), doc("192.0.2.0", 24),
            block("192.31.196.0", 24), block("192.52.193.0", 24), block("192.88.99.0", 24), block("192.168.0.0", 16),
            block("192.175.48.0", 24), block("198.18.0.0", 15), doc("198.51.100.0", 24), doc("203.0.113.0", 24),
            block("224.0.0.0", 4), block("240.0.0.0", 4));

    /** IANA IPv6 Special-Purpose Address Registry (2024) inside global unicast 2000::/3. */
    private static final List<Block> IPV6 = List.of(
            block("2001::", 23), doc("2001:db8::", 32), block("2002::", 16), block("2620:4f:8000::", 48),
            doc("3fff::", 20));

    private static final Block GLOBAL_UNICAST = block("2000::", 3);

    /** Four decimal octets, as people and DNS write IPv4: no short ("1.2.3") or octal forms. */
    private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private PublicAddress() {
    }

    /**
     * Whether a text is an IPv4 address in dotted-quad form or an IPv6 address. {@link #isPublic}
     * alone would also take the legacy forms InetAddress parses ("1.2.3" is 1.2.0.3), which a
     * person reading it, and a hosts file, would take differently.
     */
    public static boolean isLiteral(String text) {
        if (text == null || text.length() > 45) {
            return false;
        }
        if (!text.contains(":")) {
            return DOTTED_QUAD.matcher(text).matches();
        }
        if (!text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        try {
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @param address a literal IPv4 or IPv6 address (never a name: nothing is looked up) */
    public static boolean isPublic(String address, boolean allowDocumentation) {
        // Hex digits, colons and dots only: a literal, which getByName parses without a lookup.
        if (address == null || address.isEmpty() || !address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return false;
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] bytes = a.getAddress();
        if (a instanceof Inet6Address && !GLOBAL_UNICAST.contains(bytes)) {
            return false;
        }
        for (Block b : a instanceof Inet4Address ? IPV4 : IPV6) {
            if (b.contains(bytes)) {
                return b.documentation() && allowDocumentation;
            }
        }
        return true;
    }

    private static Block block(String prefix, int bits) {
        return new Block(bytes(prefix), bits, false);
    }

    private static Block doc(String prefix, int bits) {
        return new Block(bytes(prefix), bits, true);
    }

    private static byte[] bytes(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }
}
