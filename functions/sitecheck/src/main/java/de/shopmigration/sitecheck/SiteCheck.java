package de.shopmigration.sitecheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A shop's pages on the old server and on the new cluster, compared: for each host name the home
 * page, up to {@link #MAX_SITEMAP_PAGES} pages of the sitemap the old server serves, and the
 * pages the customer named as important; then the new cluster's certificate per host name.
 *
 * <p>Phase 2 compares the old server with the new cluster ({@link #compareLive}); its old pages
 * are the baseline. In phase 6 the old server is in maintenance, so the new cluster is compared
 * with that baseline ({@link #compareWithBaseline}).
 */
public final class SiteCheck {

    public static final int MAX_SITEMAP_PAGES = 20;

    /** Builds a fetcher for one server address and the shop's host names. */
    @FunctionalInterface
    public interface Fetchers {
        SiteFetcher at(InetAddress address, Set<String> hosts);
    }

    /**
     * What to check: the shop's host names (the domain first, then www and others), where the old
     * server and the new cluster are, the important pages (paths like {@code /warenkorb} or full
     * URLs on one of the host names), and a text every page of the shop has (optional).
     */
    public record Target(List<String> hosts, InetAddress oldServer, InetAddress newCluster, List<String> importantPages, String marker) {
    }

    /** The old server's pages (the baseline), the new cluster's, and what the comparison found. */
    public record Report(List<Page> baseline, List<Page> now, List<Finding> findings) {
        public List<Finding> blocking() {
            return findings.stream().filter(f -> f.severity() == Finding.Severity.BLOCKING).toList();
        }

        public List<Finding> warnings() {
            return findings.stream().filter(f -> f.severity() == Finding.Severity.WARNING).toList();
        }

        public boolean passed() {
            return blocking().isEmpty();
        }
    }

    private final Fetchers fetchers;
    private final TlsCheck tls;

    public SiteCheck(Fetchers fetchers, TlsCheck tls) {
        this.fetchers = fetchers;
        this.tls = tls;
    }

    public Report compareLive(Target target) {
        Set<String> hosts = hosts(target);
        try (SiteFetcher old = fetchers.at(target.oldServer(), hosts); SiteFetcher now = fetchers.at(target.newCluster(), hosts)) {
            List<URI> urls = urls(target, old);
            List<Page> baseline = new ArrayList<>();
            List<Page> current = new ArrayList<>();
            List<Finding> findings = new ArrayList<>();
            for (URI url : urls) {
                Page before = old.fetch(url, target.marker());
                Page after = now.fetch(url, target.marker());
                baseline.add(before);
                current.add(after);
                findings.addAll(Comparison.compare(before, after));
            }
            findings.addAll(certificates(target));
            return new Report(baseline, current, sorted(findings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Report compareWithBaseline(Target target, List<Page> baseline) {
        return compareWithBaseline(target, baseline, true);
    }

    /** @param certificates whether the certificates are checked too (the watch looks at the pages alone) */
    public Report compareWithBaseline(Target target, List<Page> baseline, boolean certificates) {
        Set<String> hosts = hosts(target);
        try (SiteFetcher now = fetchers.at(target.newCluster(), hosts)) {
            List<Page> current = new ArrayList<>();
            List<Finding> findings = new ArrayList<>();
            for (Page before : baseline) {
                Page after = now.fetch(URI.create(before.url()), target.marker());
                current.add(after);
                findings.addAll(Comparison.compare(before, after));
            }
            if (certificates) {
                findings.addAll(certificates(target));
            }
            return new Report(baseline, current, sorted(findings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the pages must at least do when there is no baseline to compare with: the home pages
     * and the important pages answer (2xx); nothing else about them is known.
     */
    public static List<Page> expected(Target target) {
        Set<String> hosts = hosts(target);
        List<Page> pages = new ArrayList<>();
        for (URI url : homeAndImportant(target, hosts)) {
            pages.add(Page.expected(url.toString()));
        }
        return pages;
    }

    private List<Finding> certificates(Target target) {
        List<Finding> found = new ArrayList<>();
        for (String host : target.hosts()) {
            found.addAll(tls.check(target.newCluster(), host));
        }
        return found;
    }

    /** Home pages first, then the important pages, then the sitemap's (from the old server), without repeats. */
    static List<URI> urls(Target target, SiteFetcher old) {
        Set<String> hosts = hosts(target);
        Set<URI> urls = new LinkedHashSet<>(homeAndImportant(target, hosts));
        String main = target.hosts().get(0);
        old.text(URI.create("https://" + main + "/sitemap.xml"))
                .ifPresent(xml -> urls.addAll(Sitemap.pages(xml, hosts, MAX_SITEMAP_PAGES)));
        return new ArrayList<>(urls);
    }

    private static List<URI> homeAndImportant(Target target, Set<String> hosts) {
        Set<URI> urls = new LinkedHashSet<>();
        for (String host : target.hosts()) {
            urls.add(URI.create("https://" + host + "/"));
        }
        String main = target.hosts().get(0);
        for (String page : target.importantPages()) {
            URI uri;
            try {
                // A page named with http:// is checked over https, as visitors reach the shop.
                uri = page.startsWith("/") ? URI.create("https://" + main + page) : URI.create(page.replaceFirst("^(?i)http://", "https://"));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && hosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                urls.add(uri);
            }
        }
        return new ArrayList<>(urls);
    }

    private static Set<String> hosts(Target target) {
        Set<String> hosts = new LinkedHashSet<>();
        target.hosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        return hosts;
    }

    /** Blocking first, then warnings, then info; within each, in the order found. */
    private static List<Finding> sorted(List<Finding> findings) {
        Map<Finding.Severity, List<Finding>> by = new LinkedHashMap<>();
        for (Finding.Severity s : Finding.Severity.values()) {
            by.put(s, new ArrayList<>());
        }
        findings.forEach(f -> by.get(f.severity()).add(f));
        List<Finding> out = new ArrayList<>();
        by.values().forEach(out::addAll);
        return out;
    }
}
