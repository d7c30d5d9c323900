package de.shopmigration.sitecheck;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.Audience;
import de.shopmigration.core.Language;
import de.shopmigration.core.mail.Texts;
import de.shopmigration.sitecheck.Finding.Severity;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ComparisonTest {

    static final String URL = "https://shop.example/kategorie/";

    static Page page(int status, String title, long bytes, long millis) {
        return new Page(URL, status, null, "text/html", title, bytes, true, millis, null);
    }

    static Page redirect(String location) {
        return new Page(URL, 301, location, "text/html", null, 0, false, 20, null);
    }

    static Stream<Arguments> cases() {
        Page ok = page(200, "Kategorie – Muster-Shop", 40_000, 120);
        return Stream.of(
                Arguments.of("identical", ok, ok, Severity.INFO, "same answer"),
                Arguments.of("500 on the new", ok, page(500, "Error", 300, 50), Severity.BLOCKING, "answers 500 where the old server answered 200"),
                Arguments.of("404 on the new", ok, page(404, "Not found", 300, 50), Severity.BLOCKING, "answers 404"),
                Arguments.of("refused", ok, Page.failed(URL, "HttpHostConnectException: Connection refused", 3), Severity.BLOCKING, "does not answer"),
                Arguments.of("default page", ok, new Page(URL, 200, null, "text/html", "Welcome to nginx!", 615, false, 10, null),
                        Severity.BLOCKING, "marker text is missing"),
                Arguments.of("title differs", ok, page(200, "Kategorie – Neuer Shop", 40_100, 130), Severity.WARNING, "the title differs"),
                Arguments.of("whitespace in the title", ok, page(200, "  Kategorie –\n Muster-Shop ", 40_000, 120), Severity.INFO, "same answer"),
                Arguments.of("much smaller", ok, page(200, "Kategorie – Muster-Shop", 9_000, 120), Severity.WARNING, "bytes on the new cluster"),
                Arguments.of("a little smaller", ok, page(200, "Kategorie – Muster-Shop", 38_000, 120), Severity.INFO, "same answer"),
                Arguments.of("small pages apart by less than the floor", page(200, "A", 1_000, 10), page(200, "A", 100, 10), Severity.INFO, "same answer"),
                Arguments.of("much slower", ok, page(200, "Kategorie – Muster-Shop", 40_000, 1_900), Severity.WARNING, "ms on the new cluster"),
                Arguments.of("slower but under a second more", ok, page(200, "Kategorie – Muster-Shop", 40_000, 900), Severity.INFO, "same answer"),
                Arguments.of("the same redirect, relative and absolute", redirect("/de/"), redirect("https://Shop.example/de/"), Severity.INFO, "same answer"),
                Arguments.of("a redirect elsewhere", redirect("/de/"), redirect("https://shop.example/en/"), Severity.WARNING, "redirects to https://shop.example/en/"),
                Arguments.of("a redirect where there was a page", ok, redirect("/login"), Severity.WARNING, "answers 301 where the old server answered 200"),
                Arguments.of("the old server did not answer", Page.failed(URL, "timeout", 10_000), ok, Severity.INFO, "old server did not answer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theWorstFindingAndItsWords(String name, Page old, Page now, Severity worst, String words) {
        List<Finding> found = Comparison.compare(old, now);
        Finding first = found.stream().min((a, b) -> a.severity().compareTo(b.severity())).orElseThrow();
        assertThat(first.severity()).as(found.toString()).isEqualTo(worst);
        assertThat(first.what()).contains(words);
        assertThat(first.where()).isEqualTo(URL);
        // Staff read findings in their own language: every finding has its German sentence too.
        for (Finding f : found) {
            assertThat(f.what(Texts.of(Language.DE, Audience.STAFF))).as(f.key()).isNotEqualTo(f.what()).doesNotContain("{");
        }
    }

    @org.junit.jupiter.api.Test
    void staffReadTheLinesInTheirLanguageWithThePlaceWhereItWasFound() {
        List<Finding> found = Comparison.compare(page(200, "Kategorie", 40_000, 120), page(500, "Error", 300, 50));
        assertThat(SiteCheckSteps.lines(found, Texts.of(Language.DE, Audience.STAFF)))
                .containsExactly(URL + ": der neue Cluster antwortet 500, wo der alte Server 200 geantwortet hat");
        assertThat(SiteCheckSteps.lines(found, Texts.of(Language.EN, Audience.STAFF)))
                .containsExactly(URL + ": the new cluster answers 500 where the old server answered 200");
    }
}
