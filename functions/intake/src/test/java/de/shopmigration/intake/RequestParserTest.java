package de.shopmigration.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.shopmigration.core.store.DomainHolds;
import de.shopmigration.core.InvalidMigrationRequest;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Timing;
import de.shopmigration.core.Validation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parser runs the input schema first: each case is what the intake's first state answers, less Route 53. */
class RequestParserTest {

    private static final InputSchema SCHEMA = InputSchema.load();

    static final String VALID = """
            {"customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "de"},
             "domains": [{"name": "Shop.Example.", "hostedZoneId": "Z123"}, {"name": "shop.example.at"}],
             "newIp": "198.51.100.20"}""";

    @Test
    void aMinimalRequestGetsTheDefaultsOfThePlan() {
        MigrationRequest r = new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(VALID), "M-1");
        assertThat(r.migrationId()).isEqualTo("M-1");
        assertThat(r.language()).isEqualTo(Language.DE);
        assertThat(r.domains().get(0).name()).isEqualTo("shop.example");
        assertThat(r.domains().get(0).records()).containsExactly("shop.example", "www.shop.example");
        assertThat(r.route53Domains()).hasSize(1);
        assertThat(r.externalDomains()).extracting(MigrationRequest.Domain::name).containsExactly("shop.example.at");
        assertThat(r.targetTtl()).isEqualTo(300);
        assertThat(r.optimisationOrdered()).isFalse();
        assertThat(r.timing()).isEqualTo(Timing.DEFAULTS);
    }

    @Test
    void everyBadFieldIsNamedInOneError() {
        String bad = """
                {"migrationId": "other", "customer": {"email": "x@", "language": "fr"}, "staff": {"email": "nope"},
                 "domains": [{"name": "-bad-"}, {"name": "ok.example", "hostedZoneId": "zlower", "records": ["elsewhere.example"]}],
                 "newIp": "10.1.2.3", "newIpv6": "2001:db8::zz", "targetTtl": 30, "optimisationOrdered": "yes",
                 "timing": {"customerReminderSeconds": -1, "teaTime": 3}}""";
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of(), true).parse(Json.read(bad), "M-2"))
                .isInstanceOf(InvalidMigrationRequest.class)
                .satisfies(e -> assertThat(((InvalidMigrationRequest) e).errors()).extracting(Validation.FieldError::field)
                        .contains("migrationId", "customer.name", "customer.email", "customer.language", "staff.email",
                                "domains[0].name", "domains[1].hostedZoneId", "domains[1].records[0]", "newIp", "newIpv6",
                                "targetTtl", "optimisationOrdered", "timing.customerReminderSeconds", "timing.teaTime"))
                .hasMessageContaining("10.1.2.3 is not a public address");
    }

    @Test
    void aZoneOutsideTheDeploymentsListIsRefused() {
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("ZOTHER"), true).parse(Json.read(VALID), "M-3"))
                .hasMessageContaining("domains[0].hostedZoneId: Z123 is not one of the hosted zones this deployment may change (ZOTHER)");
    }

    @Test
    void inputThatIsNoObjectIsRefusedWithoutAnException() {
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of(), true).parse(Json.read("[1,2]"), "M-4"))
                .isInstanceOf(InvalidMigrationRequest.class).hasMessageContaining("(input): must be a JSON object");
    }

    @Test
    void anUmlautDomainIsAcceptedButAMailboxNameBeyondAsciiIsRefusedByField() {
        String umlauts = VALID.replace("erika@shop.example", "erika@müller-shop.de").replace("Erika Mustermann", "Jürgen Weiß");
        MigrationRequest r = new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(umlauts), "M-5");
        assertThat(r.customer().email()).as("kept as entered").isEqualTo("erika@müller-shop.de");
        assertThat(r.customer().name()).isEqualTo("Jürgen Weiß");

        String smtputf8 = VALID.replace("erika@shop.example", "jürgen@müller-shop.de")
                .replace("\"newIp\"", "\"staff\": {\"email\": \"größe@hosting.example\"}, \"newIp\"");
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(smtputf8), "M-6"))
                .isInstanceOf(InvalidMigrationRequest.class)
                .satisfies(e -> assertThat(((InvalidMigrationRequest) e).errors()).extracting(Validation.FieldError::field)
                        .containsExactlyInAnyOrder("customer.email", "staff.email"))
                .hasMessageContaining("customer.email: has letters outside ASCII before the @");
    }

    @Test
    void controlCharactersInAnyTextOfTheInputAreNamedByField() {
        String bad = VALID.replace("Erika Mustermann", "Erika\\u0000Mustermann").replace("\"newIp\"", "\"shopName\": \"Shop\\u202Egnp.exe\", \"newIp\"");
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(bad), "M-7"))
                .isInstanceOf(InvalidMigrationRequest.class)
                .hasMessageContaining("customer.name: contains the control character U+0000")
                .hasMessageContaining("shopName: contains the control character U+202E");
    }

    @Test
    void aServerAddressFromASpecialPurposeBlockIsRefusedAndDocumentationBlocksOnlyWhenAllowed() {
        for (String ip : List.of("255.255.255.255", "100.64.1.1", "0.1.2.3")) {
            assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(VALID.replace("198.51.100.20", ip)), "M-8"))
                    .hasMessageContaining("newIp: " + ip + " is not a public address");
        }
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("Z123"), false).parse(Json.read(VALID), "M-9"))
                .hasMessageContaining("newIp: 198.51.100.20 is not a public address");
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of("Z123"), true).parse(Json.read(VALID.replace("\"newIp\"", "\"newIpv6\": \"fd00::1\", \"newIp\"")), "M-10"))
                .hasMessageContaining("newIpv6: fd00::1 is not a public address");
    }

    /** Moved from core's DomainHoldsTest: the spelling that {@link DomainHolds} compares is the parser's. */
    @Test
    void aRequestHoldsEachDomainAndMovingHostOnceInTheSpellingTheParserGivesIt() {
        MigrationRequest request = new RequestParser(SCHEMA, Set.of(), true).parse(Json.read("""
                {"customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "de"},
                 "domains": [{"name": "Shop.Example.", "hostedZoneId": "Z123"},
                             {"name": "other.example", "records": ["API.other.example", "other.example"]}],
                 "newIp": "198.51.100.20"}"""), "M-1");
        assertThat(DomainHolds.names(request))
                .containsExactly("api.other.example", "other.example", "shop.example", "www.shop.example");
    }

    @Test
    void aNameWithCharactersBeyondAsciiIsRefusedWithItsPunycodeFormSuggested() {
        assertThatThrownBy(() -> new RequestParser(SCHEMA, Set.of(), true).parse(Json.read("""
                {"customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "de"},
                 "domains": [{"name": "Müller-Shop.de"}], "newIp": "198.51.100.20"}"""), "M-1"))
                .hasMessageContaining("domains[0].name: \"müller-shop.de\" is not a domain name; write an internationalised domain"
                        + " in its ASCII (Punycode) form");
    }
}
