package de.shopmigration.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the customer told the site check in the questionnaire: the shop's important pages
 * (answer {@value #PAGES}: one per line, a path such as {@code /warenkorb} or a full address on
 * one of the migration's host names) and a text that must appear on the home page (answer
 * {@value #MARKER}). The questionnaire refuses a line {@link #problem} finds fault with; the
 * site check reads the answers through {@link #importantPaths} and {@link #marker}.
 */
public final class SitePages {

    /** The answer holding the important pages, one per line. */
    public static final String PAGES = "importantPages";
    /** The answer holding the text the home page shows. */
    public static final String MARKER = "markerText";
    public static final int MAX_PAGES = 10;
    /** A path's length, and the length of what follows the host name in a full address. */
    public static final int MAX_PATH = 200;
    public static final int MAX_MARKER = 100;

    /** Why a line names no page the site check can fetch. */
    public enum Problem {
        /** Neither a path starting with / nor an address starting with https:// or http://. */
        NOT_A_PAGE,
        /** Starts with //: a browser reads the rest as another server's name. */
        DOUBLE_SLASH,
        /** Longer than {@link #MAX_PATH} (a path, or what follows the host name). */
        TOO_LONG,
        /** White space, a backslash, a control character or something else no address holds. */
        CHARACTERS,
        /** A user name (and password) before the host name. */
        CREDENTIALS,
        /** A port other than 80 or 443. */
        PORT,
        /** A host that is none of the migration's host names. */
        HOST
    }

    private SitePages() {
    }

    /**
     * The important pages as the site check fetches them: a path as answered, a full address as
     * answered but with its scheme and host name in lower case and the host name in its ASCII
     * (Punycode) form, so {@link URI#getHost()} reads it. Lines that do not name a page on the
     * migration's host names are left out; empty when the questionnaire is not answered or names
     * no page.
     */
    public static List<String> importantPaths(MigrationRecord record) {
        JsonNode answer = record.answers() == null ? null : record.answers().get(PAGES);
        if (answer == null || !answer.isTextual()) {
            return List.of();
        }
        List<String> hosts = hosts(record.request());
        List<String> pages = new ArrayList<>();
        for (String line : lines(answer.asText())) {
            if (pages.size() < MAX_PAGES && problem(line, hosts).isEmpty()) {
                pages.add(line.startsWith("/") ? line : normalised(line));
            }
        }
        return List.copyOf(pages);
    }

    /** The text the home page must show, if the customer gave one. */
    public static Optional<String> marker(MigrationRecord record) {
        JsonNode answer = record.answers() == null ? null : record.answers().get(MARKER);
        if (answer == null || !answer.isTextual() || answer.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(answer.asText().strip());
    }

    /**
     * The host names a full address may name, lower case: each domain, its www (unless the
     * domain starts with www. itself) and the host names that move with it.
     */
    public static List<String> hosts(MigrationRequest request) {
        Set<String> hosts = new LinkedHashSet<>();
        for (MigrationRequest.Domain d : request.domains()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            hosts.add(name);
            if (!name.startsWith("www.")) {
                hosts.add("www." + name);
            }
            if (d.records() != null) {
                d.records().forEach(r -> hosts.add(r.toLowerCase(Locale.ROOT)));
            }
        }
        return List.copyOf(hosts);
    }

    /** The lines of an answer that are not blank, stripped, in order. */
    public static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** What keeps a (stripped, non-blank) line from naming a page on one of these host names; empty if it names one. */
    public static Optional<Problem> problem(String line, Collection<String> hosts) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\\' || TypedText.forbidden(c)) {
                return Optional.of(Problem.CHARACTERS);
            }
        }
        if (line.startsWith("//")) {
            return Optional.of(Problem.DOUBLE_SLASH);
        }
        if (line.startsWith("/")) {
            return path(line);
        }
        int rest = schemeLength(line);
        if (rest < 0) {
            return Optional.of(Problem.NOT_A_PAGE);
        }
        int end = authorityEnd(line, rest);
        String authority = line.substring(rest, end);
        if (authority.indexOf('@') >= 0) {
            return Optional.of(Problem.CREDENTIALS);
        }
        int colon = authority.lastIndexOf(':');
        String port = colon >= 0 ? authority.substring(colon + 1) : "";
        if (!port.chars().allMatch(Character::isDigit)) {
            // No port after the colon ("[2001:db8::1]", an address literal): not one of the host names.
            colon = -1;
        } else if (colon >= 0 && !List.of("80", "443").contains(port)) {
            return Optional.of(Problem.PORT);
        }
        Optional<String> host = ascii(colon >= 0 ? authority.substring(0, colon) : authority);
        if (host.isEmpty() || !hosts.contains(host.get())) {
            return Optional.of(Problem.HOST);
        }
        String after = line.substring(end);
        if (after.length() > MAX_PATH) {
            return Optional.of(Problem.TOO_LONG);
        }
        return parses(normalised(line)) ? Optional.empty() : Optional.of(Problem.CHARACTERS);
    }

    private static Optional<Problem> path(String line) {
        if (line.length() > MAX_PATH) {
            return Optional.of(Problem.TOO_LONG);
        }
        return parses(line) ? Optional.empty() : Optional.of(Problem.CHARACTERS);
    }

    /** Whether {@link URI} reads it (as the site check will), with no other server in it. */
    private static boolean parses(String address) {
        try {
            URI uri = new URI(address);
            return uri.getScheme() == null ? uri.getRawAuthority() == null : uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The length of "https://" or "http://" at the start (any case), or -1. */
    private static int schemeLength(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") ? 8 : lower.startsWith("http://") ? 7 : -1;
    }

    private static int authorityEnd(String line, int from) {
        int end = from;
        while (end < line.length() && "/?#".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /** A host name as typed (Unicode or ASCII, any case) in its lower-case ASCII form; empty if it is none. */
    private static Optional<String> ascii(String host) {
        if (host.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A full address with its scheme and host name in lower-case ASCII; the rest as typed. */
    private static String normalised(String line) {
        int rest = schemeLength(line);
        int end = authorityEnd(line, rest);
        String authority = line.substring(rest, end);
        int colon = authority.lastIndexOf(':');
        String host = ascii(colon >= 0 ? authority.substring(0, colon) : authority).orElse(authority);
        return line.substring(0, rest).toLowerCase(Locale.ROOT) + host + (colon >= 0 ? authority.substring(colon) : "") + line.substring(end);
    }
}
