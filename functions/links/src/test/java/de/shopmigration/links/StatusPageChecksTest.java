package de.shopmigration.links;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status page's automatic checks: nothing before the first run, verdicts and the watch after. */
class StatusPageChecksTest {

    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void nothingBeforeTheFirstRun() {
        assertThat(StatusPage.checks(List.of(), List.of(), null, Texts.of(Language.EN))).isEmpty();
    }

    @Test
    void theLatestVerdictOfEachKindThenTheWatchNeverTheFindings() {
        List<SiteCheckRun> runs = List.of(
                SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 1, AT, 20, List.of("https://shop.example/internal-api: 500"), List.of()),
                SiteCheckRun.of(SiteCheckRun.Kind.GO_LIVE, 1, AT.plusSeconds(60), 20, List.of(), List.of()));
        SiteWatch watch = SiteWatch.started("sched", AT, AT.plusSeconds(86_400)).after(true, List.of(), AT.plusSeconds(300)).watch();
        List<Views.Fact> checks = StatusPage.checks(runs, List.of(), watch, Texts.of(Language.DE));
        assertThat(checks).extracting(Views.Fact::label).containsExactly("Testsystem (alter Server und neuer Cluster verglichen)",
                "Neuer Cluster vor der Going-Live-Prüfung", "Überwachung nach dem Going-Live");
        assertThat(checks).extracting(Views.Fact::value).containsExactly("Probleme gefunden (1); unser Team kümmert sich",
                "bestanden (20 Seiten)", "1 Prüfungen, 0 Ausfälle");
        assertThat(StatusPage.checks(runs, List.of(), null, Texts.of(Language.EN))).hasSize(2);
    }

    @Test
    void aCheckStaffLetThroughSaysSoOnceTheyDecided() {
        List<SiteCheckRun> runs = List.of(
                SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 1, AT, 20, List.of("https://shop.example/internal-api: 500"), List.of()));
        var before = new MigrationRecord.Decision("SITE_REVIEW", 1, "OVERRIDDEN", "older round", "staff", AT.minusSeconds(60));
        var otherReview = new MigrationRecord.Decision("GO_LIVE_SITE_REVIEW", 1, "OVERRIDDEN", "other check", "staff", AT.plusSeconds(60));
        assertThat(StatusPage.checks(runs, List.of(before, otherReview), null, Texts.of(Language.EN))).extracting(Views.Fact::value)
                .containsExactly("problems found (1); our team is on it");
        var override = new MigrationRecord.Decision("SITE_REVIEW", 1, "OVERRIDDEN", "internal API is not public", "staff", AT.plusSeconds(60));
        List<Views.Fact> checks = StatusPage.checks(runs, List.of(override), null, Texts.of(Language.EN));
        assertThat(checks).extracting(Views.Fact::value).containsExactly("problems found (1); our team reviewed them and went ahead");
        assertThat(checks).extracting(Views.Fact::value).noneMatch(v -> v.contains("internal"));
    }

    @Test
    void theTemplateShowsTheSectionOnlyWithRuns() {
        Views.Frame frame = new Views.Frame("en", "Provider", "lead", "Status", "footer", null, "Status", "required");
        Views.StatusView none = new Views.StatusView(frame, List.of("a", "b", "c", "d"), List.of(), "Now", "nothing", List.of(), null,
                "Automatic checks", List.of());
        assertThat(Pages.status(none)).doesNotContain("Automatic checks");
        Views.StatusView some = new Views.StatusView(frame, List.of("a", "b", "c", "d"), List.of(), "Now", "nothing", List.of(), null,
                "Automatic checks", List.of(new Views.Fact("After the DNS switch", "passed (3 pages) <b>")));
        assertThat(Pages.status(some)).contains("id=\"sitechecks\">Automatic checks</h2>")
                .contains("<th scope=\"row\">After the DNS switch</th><td>passed (3 pages) &lt;b&gt;</td>");
    }
}
