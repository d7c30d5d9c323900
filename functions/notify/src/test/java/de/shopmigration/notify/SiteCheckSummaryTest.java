package de.shopmigration.notify;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.SiteCheckRun;
import de.shopmigration.core.SiteWatch;
import de.shopmigration.core.mail.EmailContent;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The close-out summary's site checks: one fact per kind's latest run; staff also read the watch and the rollback. */
class SiteCheckSummaryTest {

    private static final Instant AT = Instant.parse("2026-12-03T09:00:00Z");
    private static final List<SiteCheckRun> RUNS = List.of(
            SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 1, AT, 18, List.of("https://shop.example/: 500"), List.of()),
            SiteCheckRun.of(SiteCheckRun.Kind.TEST_SYSTEM, 2, AT.plusSeconds(600), 18, List.of(), List.of()),
            SiteCheckRun.of(SiteCheckRun.Kind.AFTER_SWITCH, 1, AT.plusSeconds(1200), 6, List.of(), List.of()));

    @Test
    void oneFactPerKindsLatestRun() {
        List<EmailContent.Fact> facts = Notices.siteCheckFacts(RUNS, List.of(), null, null, Texts.of(Language.EN));
        assertThat(facts).extracting(EmailContent.Fact::label).containsOnly("Automatic checks");
        assertThat(facts).extracting(EmailContent.Fact::value).containsExactly(
                "Test system (old server and new cluster compared): passed, 18 pages compared",
                "After the DNS switch: passed, 6 pages compared");
        assertThat(Notices.siteCheckFacts(List.of(), List.of(), null, null, Texts.of(Language.EN))).isEmpty();
    }

    @Test
    void staffAlsoReadTheWatchAndWhenDnsWentBack() {
        SiteWatch watch = SiteWatch.started("sched", AT, AT.plusSeconds(86_400));
        watch = watch.after(false, List.of("down"), AT.plusSeconds(300)).watch().after(false, List.of("down"), AT.plusSeconds(600)).watch();
        List<EmailContent.Fact> facts = Notices.siteCheckFacts(RUNS, List.of(), watch, AT.plusSeconds(700), Texts.of(Language.DE, Audience.STAFF));
        assertThat(facts).hasSize(3);
        assertThat(facts.get(2).label()).isEqualTo("Überwachung nach dem Going-Live");
        assertThat(facts.get(2).value()).startsWith("2 Prüfungen, 1 Ausfälle, davon 0 behoben; DNS zurückgestellt am ");
    }

    @Test
    void findingsStaffLetThroughAreToldApartFromFindingsNobodyResolved() {
        List<SiteCheckRun> runs = List.of(
                SiteCheckRun.of(SiteCheckRun.Kind.GO_LIVE, 1, AT, 18, List.of("https://shop.example/cart: 500"), List.of()));
        assertThat(Notices.siteCheckFacts(runs, List.of(), null, null, Texts.of(Language.EN))).extracting(EmailContent.Fact::value)
                .containsExactly("New cluster before the go-live check: problems found (1) on 18 pages; not resolved");
        var override = new MigrationRecord.Decision("GO_LIVE_SITE_REVIEW", 1, "OVERRIDDEN", "cart is fixed by hand", "staff", AT.plusSeconds(90));
        assertThat(Notices.siteCheckFacts(runs, List.of(override), null, null, Texts.of(Language.DE))).extracting(EmailContent.Fact::value)
                .containsExactly("Neuer Cluster vor der Going-Live-Prüfung: Probleme gefunden (1) auf 18 Seiten; das Team hat sie geprüft und trotzdem weitergemacht");
    }
}
