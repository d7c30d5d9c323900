package de.shopmigration.links;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.json.Json;
import de.shopmigration.core.Language;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Step;
import de.shopmigration.core.mail.Texts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The copy form's checks: figures as written, the test access, and what is stored from them. */
class CopyFormTest {

    static final Texts T = Texts.of(Language.DE);

    static MigrationRecord record(String testAccess) {
        return Json.convert(Json.read("""
                {"migrationId": "M-COPY-1", "status": "RUNNING",
                 "request": {"migrationId": "M-COPY-1", "customer": {"name": "Erika Mustermann", "email": "erika@shop.example", "language": "de"},
                   "domains": [{"name": "shop.example", "records": ["shop.example", "www.shop.example"]}],
                   "newIp": "198.51.100.20", "targetTtl": 300}%s}""".formatted(testAccess == null ? "" : ", \"testAccess\": " + testAccess)),
                MigrationRecord.class);
    }

    static Forms.Checked check(MigrationRecord record, Map<String, String> posted) {
        return Forms.check(Forms.fields(Purpose.COPY_DONE, record, T, "Muster Hosting"), posted, T, true);
    }

    static Field field(Forms.Checked checked, String name) {
        return checked.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void figuresAsPeopleWriteThemAreStoredAsWholeNumbers() {
        Forms.Checked checked = check(record(null), Map.of("files", "48.213", "bytes", "12 GB", "tables", "312",
                "databaseBytes", "1,5 GB", "durationSeconds", "1.260", "testIp", "198.51.100.20"));
        assertThat(checked.ok()).as(checked.fields().toString()).isTrue();
        MigrationRecord.CopyResult copy = CopyForm.result(Step.INITIAL_COPY, Purpose.COPY_DONE, checked.values(), Instant.EPOCH);
        assertThat(copy).extracting(MigrationRecord.CopyResult::files, MigrationRecord.CopyResult::bytes, MigrationRecord.CopyResult::tables,
                MigrationRecord.CopyResult::databaseBytes, MigrationRecord.CopyResult::durationSeconds)
                .containsExactly(48213L, 12_000_000_000L, 312L, 1_500_000_000L, 1260L);
    }

    @Test
    void aWrongFigureGetsItsMessageAndEveryFieldKeepsItsValue() {
        Map<String, String> posted = Map.of("files", "48.213", "bytes", "1.500 GB", "tables", "1,5", "testUrl", "https://vorschau.hosting.example/",
                "testIp", "198.51.100.20", "testUser", "shoptest");
        Forms.Checked checked = check(record(null), posted);
        assertThat(checked.ok()).isFalse();
        assertThat(field(checked, "bytes").error()).startsWith("Mehrdeutig").contains("1500 GB oder 1,5 GB");
        assertThat(field(checked, "tables").error()).startsWith("Bitte eine ganze Zahl");
        assertThat(field(checked, "files").error()).isNull();
        posted.forEach((name, value) -> assertThat(field(checked, name).value()).as(name).isEqualTo(value));
    }

    @Test
    void theFormOffersTheNewServerAddressAndLaterTheStoredAccess() {
        Map<String, String> fresh = values(Forms.fields(Purpose.COPY_DONE, record(null), T, "x"));
        assertThat(fresh).containsEntry("testIp", "198.51.100.20").containsEntry("testUrl", null);
        Map<String, String> stored = values(Forms.fields(Purpose.COPY_DONE,
                record("{\"url\": \"https://vorschau.hosting.example/\", \"user\": \"shoptest\"}"), T, "x"));
        assertThat(stored).containsEntry("testUrl", "https://vorschau.hosting.example/").containsEntry("testIp", null)
                .containsEntry("testUser", "shoptest");
    }

    private static Map<String, String> values(List<Field> fields) {
        Map<String, String> v = new HashMap<>();
        fields.forEach(f -> v.put(f.name(), f.value()));
        return v;
    }

    @Test
    void withoutUrlOrAddressTheCustomerCouldNotTestSoTheFormSaysSo() {
        Forms.Checked checked = check(record(null), Map.of("files", "10", "testUser", "shoptest"));
        assertThat(checked.ok()).isFalse();
        assertThat(field(checked, "testUrl").error()).contains("Vorschau-URL oder die IP-Adresse");
        assertThat(field(checked, "testUser").value()).isEqualTo("shoptest");
        assertThat(check(record(null), Map.of("testUrl", "https://vorschau.hosting.example/")).ok()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://vorschau.hosting.example/", "http://preview-17.hosting.example:8080/shop?x=1",
            "https://[2a00:1450:4001:80b::200e]/", "https://198.51.100.20/"})
    void previewUrlsThatReachTheCustomerAreAccepted(String url) {
        assertThat(CopyForm.urlError(url, T, true)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"vorschau.hosting.example", "ftp://vorschau.hosting.example/", "https://", "javascript:alert(1)",
            "https://localhost/", "https://intranet/", "https://10.0.0.5/", "https://[::1]/", "https://192.168.1.20:8443/",
            "https://vorschau hosting.example/", "https://vorschau.müller.example/"})
    void urlsTheCustomerCannotOpenAreRefused(String url) {
        assertThat(CopyForm.urlError(url, T, true)).isNotNull();
    }

    @Test
    void credentialsInTheUrlAreRefusedBecauseTheyWouldReachAnEmail() {
        assertThat(CopyForm.urlError("https://shop:geheim@vorschau.hosting.example/", T, true)).contains("keine Zugangsdaten");
    }

    @Test
    void theAddressMustBeAPublicLiteralAndDocumentationBlocksOnlyCountInTheLocalCloud() {
        assertThat(CopyForm.ipError("198.51.100.20", T, true)).isNull();
        assertThat(CopyForm.ipError("198.51.100.20", T, false)).isNotNull();
        assertThat(CopyForm.ipError("2a00:1450:4001:80b::200e", T, false)).isNull();
        for (String bad : List.of("10.1.2.3", "192.168.0.10", "127.0.0.1", "1.2.3", "010.1.1.1", "::1", "fe80::1", "shop.example", "8.8.8.8/24")) {
            assertThat(CopyForm.ipError(bad, T, true)).as(bad).isNotNull();
        }
    }

    @Test
    void theUserNameIsOnlyAName() {
        assertThat(CopyForm.loginError("shop-test@kunde.example", T)).isNull();
        assertThat(CopyForm.loginError("admin:geheim", T)).isNotNull();
        assertThat(CopyForm.loginError("admin geheim", T)).isNotNull();
    }

    @Test
    void theCallbackCarriesNoAccessAndLeavesTheStoredOneAlone() {
        assertThat(CopyForm.access(Map.of("files", "10", "bytes", "9223372036854775807"), Instant.EPOCH)).isEmpty();
        assertThat(CopyForm.result(Step.FINAL_COPY, Purpose.COPY_DONE, Map.of("bytes", "9223372036854775807"), Instant.EPOCH).bytes())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(CopyForm.access(Map.of("testUrl", "", "testIp", "198.51.100.20", "testUser", ""), Instant.EPOCH).orElseThrow())
                .isEqualTo(new MigrationRecord.TestAccess(null, "198.51.100.20", null, Instant.EPOCH));
    }
}
