package de.shopmigration.core;

import java.time.Instant;
import java.util.List;

/**
 * One automatic check of the shop's pages, as the record keeps it: which check, which round,
 * what it found. The full pages are in the baseline item; this is what staff and the customer
 * read (emails, status page, close-out summary).
 *
 * @param blocking what stops the next step, one line each ("https://shop.example/cart: 500 on the new cluster, 200 before")
 * @param warnings what differs but does not stop anything
 * @param blockingCount how many blocking findings there were ({@code blocking} keeps the first {@link #MAX_LINES})
 */
public record SiteCheckRun(Kind kind, int round, Instant at, Verdict verdict, int pages, List<String> blocking,
                           List<String> warnings, int blockingCount, int warningCount) {

    /** Lines of each list the record keeps; the count says how many there were. */
    public static final int MAX_LINES = 10;
    public static final int MAX_LINE_LENGTH = 300;

    /** Where in the plan the check runs. */
    public enum Kind {
        /** Phase 2: the old server against the new cluster, before the customer hears the test system is ready. */
        TEST_SYSTEM(Step.SITE_REVIEW),
        /** Phase 6: the new cluster against phase 2's baseline, before the customer's check and the DNS switch. */
        GO_LIVE(Step.GO_LIVE_SITE_REVIEW),
        /** Phase 6, after the switch: the names resolve to the new address and the pages answer from there. */
        AFTER_SWITCH(Step.SWITCH_SITE_REVIEW);

        private final Step review;

        Kind(Step review) {
            this.review = review;
        }

        /** The staff task that follows blocking findings. */
        public Step review() {
            return review;
        }

        public static Kind of(Step review) {
            for (Kind k : values()) {
                if (k.review == review) {
                    return k;
                }
            }
            throw new IllegalArgumentException(review + " follows no site check");
        }
    }

    /** PASSED: nothing blocking; BLOCKED: staff decide; SKIPPED: site checks are switched off for this deployment. */
    public enum Verdict { PASSED, BLOCKED, SKIPPED }

    public SiteCheckRun {
        blocking = blocking == null ? List.of() : List.copyOf(blocking);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A run from everything it found; the lists are bounded here. */
    public static SiteCheckRun of(Kind kind, int round, Instant at, int pages, List<String> blocking, List<String> warnings) {
        return new SiteCheckRun(kind, round, at, blocking.isEmpty() ? Verdict.PASSED : Verdict.BLOCKED, pages, bounded(blocking),
                bounded(warnings), blocking.size(), warnings.size());
    }

    public static SiteCheckRun skipped(Kind kind, int round, Instant at) {
        return new SiteCheckRun(kind, round, at, Verdict.SKIPPED, 0, List.of(), List.of(), 0, 0);
    }

    /** At most {@link #MAX_LINES} lines of at most {@link #MAX_LINE_LENGTH} characters. */
    public static List<String> bounded(List<String> lines) {
        return lines.stream().limit(MAX_LINES)
                .map(l -> l.length() > MAX_LINE_LENGTH ? l.substring(0, MAX_LINE_LENGTH - 1) + "…" : l).toList();
    }
}
