package de.shopmigration.sitecheck;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The old server's answer (or the baseline taken from it) against the new cluster's, for one
 * URL. Pure: no network, no clock.
 *
 * <p>Blocking: the new cluster does not answer, answers 4xx/5xx where the old one answered 2xx,
 * or lacks the marker text the old page had (it serves something else, such as a default page).
 * Warning: a different redirect target or status, a different title, a body of very different
 * size, a much slower answer. Everything else is recorded as info.
 */
public final class Comparison {

    /** A body this much smaller or larger (as a share of the larger), and at least {@link #SIZE_FLOOR} bytes apart, is a warning. */
    static final double SIZE_SHARE = 0.5;
    static final long SIZE_FLOOR = 2_048;
    /** An answer this many times slower, and at least {@link #SLOW_FLOOR_MILLIS} slower, is a warning. */
    static final double SLOWER = 3.0;
    static final long SLOW_FLOOR_MILLIS = 1_000;

    private Comparison() {
    }

    public static List<Finding> compare(Page old, Page now) {
        String url = now.url();
        List<Finding> found = new ArrayList<>();
        if (!now.answered()) {
            found.add(Finding.blocking(url, "noAnswer", "error", now.error()));
            return found;
        }
        if (!old.answered()) {
            found.add(Finding.info(url, "oldNoAnswer", "error", old.error(), "status", Integer.toString(now.status())));
            return found;
        }
        if (old.onlyExpected()) {
            found.add(now.status() >= 400 ? Finding.blocking(url, "status", "status", Integer.toString(now.status()))
                    : Finding.info(url, "answers", "status", Integer.toString(now.status())));
            return found;
        }
        if (old.ok() && now.status() >= 400) {
            found.add(Finding.blocking(url, "statusChanged", "status", Integer.toString(now.status()), "old", Integer.toString(old.status())));
            return found;
        }
        if (old.ok() && now.ok() && old.markerFound() && !now.markerFound()) {
            found.add(Finding.blocking(url, "markerMissing"));
        }
        if (old.redirect() && now.redirect()) {
            if (!sameTarget(url, old.location(), now.location())) {
                found.add(Finding.warning(url, "redirect", "location", now.location(), "old", old.location()));
            }
        } else if (old.status() != now.status()) {
            found.add(Finding.warning(url, "statusChanged", "status", Integer.toString(now.status()), "old", Integer.toString(old.status())));
        }
        if (old.ok() && now.ok()) {
            if (!normalised(old.title()).equals(normalised(now.title()))) {
                found.add(Finding.warning(url, "title", "title", String.valueOf(now.title()), "old", String.valueOf(old.title())));
            }
            long larger = Math.max(old.bytes(), now.bytes());
            long apart = Math.abs(old.bytes() - now.bytes());
            if (apart >= SIZE_FLOOR && apart > larger * SIZE_SHARE) {
                found.add(Finding.warning(url, "size", "bytes", Long.toString(now.bytes()), "old", Long.toString(old.bytes())));
            }
        }
        if (now.millis() - old.millis() >= SLOW_FLOOR_MILLIS && now.millis() > old.millis() * SLOWER) {
            found.add(Finding.warning(url, "slower", "millis", Long.toString(now.millis()), "old", Long.toString(old.millis())));
        }
        if (found.isEmpty()) {
            found.add(now.title() == null ? Finding.info(url, "same", "status", Integer.toString(now.status()))
                    : Finding.info(url, "sameTitled", "status", Integer.toString(now.status()), "title", now.title()));
        }
        return found;
    }

    /**
     * Whether two redirect targets are the same once made absolute against the page's URL and
     * compared without case in scheme and host: "/de/" and "https://Shop.example/de/" are.
     */
    static boolean sameTarget(String pageUrl, String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        try {
            URI base = URI.create(pageUrl);
            return key(base.resolve(a.strip())).equals(key(base.resolve(b.strip())));
        } catch (IllegalArgumentException e) {
            return a.strip().equals(b.strip());
        }
    }

    private static String key(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        int port = u.getPort() == -1 ? ("http".equals(scheme) ? 80 : 443) : u.getPort();
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return scheme + "://" + host + ":" + port + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static String normalised(String title) {
        return title == null ? "" : title.strip().replaceAll("\\s+", " ");
    }
}
