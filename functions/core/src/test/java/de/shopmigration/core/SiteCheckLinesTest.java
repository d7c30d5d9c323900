package de.shopmigration.core;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The site checks in one line each: the latest run per kind, verdicts only, never the findings. */
class SiteCheckLinesTest {

    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");
    private static final String SECRET = "https://shop.example/admin-internal: 500 on the new cluster (10.0.3.7), 200 before";

    private static final List<SiteCheckRun> RUNS = List.of(
            SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 1, AT, 24, List.of(SECRET, "https://shop.example/cart: 404"), List.of()),
            SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 2, AT.plusSeconds(3600), 25, List.of(), List.of("title differs")),
            SiteCheckRun.of(SiteCheckRun.Kind.AFTER_SWITCH, 1, AT.plusSeconds(7200), 12, List.of(), List.of()),
            SiteCheckRun.of(SiteCheckRun.Kind.GO_LIVE, 1, AT.plusSeconds(5400), 25, List.of(SECRET), List.of()));

    @Test
    void theLatestRunOfEachKindInThePlansOrder() {
        assertThat(SiteCheckLines.latestPerKind(RUNS)).extracting(SiteCheckRun::kind, SiteCheckRun::round)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SiteCheckRun.Kind.TEST_SYSTEM, 2),
                        org.assertj.core.groups.Tuple.tuple(SiteCheckRun.Kind.GO_LIVE, 1),
                        org.assertj.core.groups.Tuple.tuple(SiteCheckRun.Kind.AFTER_SWITCH, 1));
        assertThat(SiteCheckLines.latestPerKind(List.of())).isEmpty();
    }

    @Test
    void theStatusPageSaysWhatPassedAndThatProblemsAreBeingHandledWithoutNamingThem() {
        List<SiteCheckLines.Line> en = SiteCheckLines.status(RUNS, List.of(), Texts.of(Language.EN));
        assertThat(en).extracting(SiteCheckLines.Line::verdict)
                .containsExactly("passed (25 pages)", "problems found (1); our team is on it", "passed (12 pages)");
        assertThat(en.get(1).label()).isEqualTo("New cluster before the go-live check");
        List<SiteCheckLines.Line> de = SiteCheckLines.status(RUNS, List.of(), Texts.of(Language.DE));
        assertThat(de.get(0).verdict()).isEqualTo("bestanden (25 Seiten)");
        assertThat(en).extracting(SiteCheckLines.Line::verdict).noneMatch(v -> v.contains("admin-internal") || v.contains("10.0.3.7"));
        assertThat(SiteCheckLines.status(List.of(SiteCheckRun.skipped(SiteCheckRun.Kind.TEST_SYSTEM, 1, AT)), List.of(), Texts.of(Language.EN)))
                .extracting(SiteCheckLines.Line::verdict).containsExactly("not checked");
    }

    @Test
    void theSummaryCountsPagesAndProblems() {
        List<SiteCheckLines.Line> en = SiteCheckLines.summary(RUNS, List.of(), Texts.of(Language.EN));
        assertThat(en).extracting(SiteCheckLines.Line::verdict).containsExactly("passed, 25 pages compared",
                "problems found (1) on 25 pages; not resolved", "passed, 12 pages compared");
        assertThat(SiteCheckLines.summary(RUNS, List.of(), Texts.of(Language.DE)).get(1).verdict()).startsWith("Probleme gefunden (1) auf 25 Seiten");
    }

    @Test
    void aBlockedRunIsOverriddenOnlyByContinueAnywayInItsOwnReviewAfterIt() {
        SiteCheckRun blocked = RUNS.get(3);
        assertThat(SiteCheckLines.verdict(blocked, List.of())).isEqualTo("BLOCKED");
        var recheck = new MigrationRecord.Decision("GO_LIVE_SITE_REVIEW", 1, "RECHECK", null, "staff", blocked.at().plusSeconds(60));
        var otherReview = new MigrationRecord.Decision("SITE_REVIEW", 1, "OVERRIDDEN", "x", "staff", blocked.at().plusSeconds(60));
        var earlier = new MigrationRecord.Decision("GO_LIVE_SITE_REVIEW", 1, "OVERRIDDEN", "x", "staff", blocked.at().minusSeconds(1));
        assertThat(SiteCheckLines.verdict(blocked, List.of(recheck, otherReview, earlier))).isEqualTo("BLOCKED");
        var override = new MigrationRecord.Decision("GO_LIVE_SITE_REVIEW", 1, "OVERRIDDEN", "x", "staff", blocked.at().plusSeconds(60));
        assertThat(SiteCheckLines.verdict(blocked, List.of(override))).isEqualTo("OVERRIDDEN");
        assertThat(SiteCheckLines.verdict(RUNS.get(1), List.of(override))).as("a passed run stays passed").isEqualTo("PASSED");
    }

    @Test
    void theWatchForCustomersAndForStaffWithTheRollback() {
        SiteWatch watch = SiteWatch.started("sched", AT, AT.plusSeconds(86_400));
        watch = watch.after(false, List.of("down"), AT.plusSeconds(300)).watch();
        watch = watch.after(false, List.of("down"), AT.plusSeconds(600)).watch();
        watch = watch.after(true, List.of(), AT.plusSeconds(900)).watch();
        assertThat(SiteCheckLines.watch(watch, Texts.of(Language.EN))).isEqualTo("3 checks, 1 outages");
        Texts staff = Texts.of(Language.EN, Audience.STAFF);
        assertThat(SiteCheckLines.staffWatch(watch, null, staff)).isEqualTo("3 checks, 1 outages, 1 of them recovered");
        assertThat(SiteCheckLines.staffWatch(watch, AT.plusSeconds(700), staff))
                .startsWith("3 checks, 1 outages, 1 of them recovered; DNS switched back at ")
                .contains(TimeFormats.human(AT.plusSeconds(700), Language.EN));
        assertThat(SiteCheckLines.staffWatch(watch, AT.plusSeconds(700), Texts.of(Language.DE, Audience.STAFF)))
                .contains("DNS zurückgestellt am");
    }
}
