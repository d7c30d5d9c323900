package de.shopmigration.sitecheck;

/**
 * What one server answered for one URL: the status, where a redirect points (host-normalised,
 * see {@link Comparison#sameTarget}), the content type without parameters, the page's
 * {@code <title>}, the body's size, whether the marker text was in it, and how long the answer
 * took. {@code error} names why there was no answer (refused, timed out, TLS refused); the other
 * fields are then empty.
 */
public record Page(String url, int status, String location, String contentType, String title, long bytes,
                   boolean markerFound, long millis, String error) {

    /** No page seen, only what is expected of it (no baseline): it answers. */
    public static Page expected(String url) {
        return new Page(url, 200, null, EXPECTED, null, 0, false, 0, null);
    }

    /** The content type of a {@link #expected} page. */
    static final String EXPECTED = "(expected)";

    public boolean onlyExpected() {
        return EXPECTED.equals(contentType);
    }

    public static Page failed(String url, String error, long millis) {
        return new Page(url, 0, null, null, null, 0, false, millis, error);
    }

    public boolean answered() {
        return error == null;
    }

    public boolean ok() {
        return answered() && status >= 200 && status < 300;
    }

    public boolean redirect() {
        return answered() && status >= 300 && status < 400;
    }
}
