package de.shopmigration.core;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.json.Json;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The site check's pages and marker text, as the questionnaire stored them and the check reads them. */
class SitePagesTest {

    static MigrationRecord record(String answers) {
        return Json.convert(Json.read("""
                {"migrationId": "M-PAGES-1", "status": "RUNNING",
                 "request": {"migrationId": "M-PAGES-1", "customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "de"},
                   "domains": [{"name": "shop.example", "records": ["shop.example", "www.shop.example"]},
                               {"name": "xn--mller-shop-9db.de", "records": ["xn--mller-shop-9db.de", "b2b.xn--mller-shop-9db.de"]}],
                   "newIp": "198.51.100.20", "targetTtl": 300}%s}""".formatted(answers == null ? "" : ", \"answers\": " + answers)),
                MigrationRecord.class);
    }

    private static final List<String> HOSTS = SitePages.hosts(record(null).request());

    @Test
    void theHostNamesAreEachDomainItsWwwAndTheHostNamesThatMoveWithIt() {
        assertThat(HOSTS).containsExactly("shop.example", "www.shop.example", "xn--mller-shop-9db.de", "www.xn--mller-shop-9db.de",
                "b2b.xn--mller-shop-9db.de");
    }

    @Test
    void beforeTheQuestionnaireIsAnsweredOrWithoutTheFieldsThereIsNothingToFetchAndNoMarker() {
        for (MigrationRecord r : List.of(record(null), record("{\"currentProvider\": \"Alt\"}"), record("{\"importantPages\": \"\"}"),
                record("{\"importantPages\": 5, \"markerText\": \"   \"}"))) {
            assertThat(SitePages.importantPaths(r)).isEmpty();
            assertThat(SitePages.marker(r)).isEmpty();
        }
    }

    @Test
    void pathsAreFetchedAsAnsweredAndFullAddressesWithTheirHostInLowerCaseAscii() {
        MigrationRecord r = record("""
                {"importantPages": "/warenkorb\\n\\n  /kategorie/schuhe?seite=2  \\r\\nHTTPS://WWW.Shop.Example/kasse\\nhttps://müller-shop.de/konto\\nhttp://b2b.xn--mller-shop-9db.de:80/",
                 "markerText": " Muster-Shop GmbH "}""");
        List<String> pages = SitePages.importantPaths(r);
        assertThat(pages).containsExactly("/warenkorb", "/kategorie/schuhe?seite=2", "https://www.shop.example/kasse",
                "https://xn--mller-shop-9db.de/konto", "http://b2b.xn--mller-shop-9db.de:80/");
        // What the site check does with them works: a path appended to https://host, an address read as it is.
        for (String page : pages) {
            URI uri = page.startsWith("/") ? URI.create("https://shop.example" + page) : URI.create(page);
            assertThat(HOSTS).as(page).contains(uri.getHost());
        }
        assertThat(SitePages.marker(r)).isEqualTo(Optional.of("Muster-Shop GmbH"));
    }

    @Test
    void linesTheQuestionnaireWouldRefuseAreNotFetchedAndAtMostTenAre() {
        StringBuilder many = new StringBuilder("https://evil.example/x\\n//evil.example/x\\njavascript:alert(1)\\n");
        for (int i = 1; i <= 12; i++) {
            many.append("/seite-").append(i).append("\\n");
        }
        List<String> pages = SitePages.importantPaths(record("{\"importantPages\": \"" + many + "\"}"));
        assertThat(pages).hasSize(SitePages.MAX_PAGES).first().isEqualTo("/seite-1");
        assertThat(pages).last().isEqualTo("/seite-10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/warenkorb", "/checkout/cart/", "/p/123?farbe=rot#details", "/kategorie/größen", "/%C3%BC",
            "https://shop.example", "https://shop.example/", "https://www.shop.example/kasse", "http://shop.example/",
            "https://shop.example:443/x", "http://shop.example:80/x", "https://SHOP.example/x", "https://müller-shop.de/",
            "https://MÜLLER-shop.de/x", "https://www.xn--mller-shop-9db.de/x", "https://b2b.xn--mller-shop-9db.de/x",
            "https://shop.example?x=1"})
    void aPathOrAnAddressOnOneOfTheHostNamesIsAPage(String line) {
        assertThat(SitePages.problem(line, HOSTS)).as(line).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "javascript:alert(1)|NOT_A_PAGE",
            "warenkorb|NOT_A_PAGE",
            "www.shop.example/kasse|NOT_A_PAGE",
            "ftp://shop.example/x|NOT_A_PAGE",
            "data:text/html,x|NOT_A_PAGE",
            "//evil.example/x|DOUBLE_SLASH",
            "///x|DOUBLE_SLASH",
            "/\\evil.example/x|CHARACTERS",
            "/waren korb|CHARACTERS",
            "/a{b|CHARACTERS",
            "/%zz|CHARACTERS",
            "/<script>|CHARACTERS",
            "https://evil.example/x|HOST",
            "https://shop.example.evil.example/|HOST",
            "https://evilshop.example/|HOST",
            "https://shop.example./|HOST",
            "https://www.www.shop.example/|HOST",
            "https:///x|HOST",
            "https://shop_example/|HOST",
            "https://user@shop.example/|CREDENTIALS",
            "https://user:secret@shop.example/|CREDENTIALS",
            "https://shop.example@evil.example/|CREDENTIALS",
            "https://shop.example:8443/|PORT",
            "https://shop.example:/|PORT",
            "https://[2001:db8::1]/x|HOST",
            "https://198.51.100.20/x|HOST",
            "https://shop.example:x/|HOST",
            "https://shop.example:443@evil.example/|CREDENTIALS"})
    void whatIsNoPageOnTheHostNamesIsRefusedWithItsReason(String line, SitePages.Problem problem) {
        assertThat(SitePages.problem(line, HOSTS)).as(line).contains(problem);
    }

    @Test
    void invisibleOrControlCharactersAndOtherSpacesMakeNoPage() {
        for (String line : List.of("/waren\u00a0korb", "/a\u0000b", "/a\u202eb", "/a\tb", "https://shop.example/a\u2028b", "/a\u3000b")) {
            assertThat(SitePages.problem(line, HOSTS)).as(line).contains(SitePages.Problem.CHARACTERS);
        }
    }

    @Test
    void aPathOrWhatFollowsTheHostMayHaveTwoHundredCharacters() {
        String longest = "/" + "a".repeat(SitePages.MAX_PATH - 1);
        assertThat(SitePages.problem(longest, HOSTS)).isEmpty();
        assertThat(SitePages.problem(longest + "a", HOSTS)).contains(SitePages.Problem.TOO_LONG);
        assertThat(SitePages.problem("https://www.shop.example" + longest, HOSTS)).isEmpty();
        assertThat(SitePages.problem("https://www.shop.example" + longest + "a", HOSTS)).contains(SitePages.Problem.TOO_LONG);
    }
}
