package de.shopmigration.local;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base for tests on the shared local cloud. */
@ExtendWith(SharedCloud.Extension.class)
abstract class CloudTest {

    static final String CUSTOMER = "erika@muster-shop.example";
    static final String STAFF = "team@hosting.example";
    static final Duration WAIT = Duration.ofSeconds(60);

    SharedCloud shared;
    LocalCloud cloud;
    final LinkClient browser = new LinkClient();

    @BeforeEach
    void useSharedCloud(SharedCloud shared) {
        this.shared = shared;
        this.cloud = shared.cloud;
    }

    /** A valid execution input for one test zone; {@code extra} is spliced in as JSON fields. */
    String input(String zoneName, String timing, String extra) {
        return """
                {
                  "customer": {"name": "Erika Mustermann", "company": "Muster GmbH", "email": "%s", "language": "de"},
                  "staff": {"name": "Max Admin", "email": "%s"},
                  "shopName": "Muster-Shop",
                  "domains": [{"name": "%s", "hostedZoneId": "%s"}],
                  "newIp": "198.51.100.20",
                  %s
                  "timing": %s
                }
                """.formatted(CUSTOMER, STAFF, SharedCloud.domain(zoneName), shared.zone(zoneName),
                extra == null ? "" : extra + ",", timing);
    }

    /** Compressed time; quiet hours off, so no test depends on the hour it runs at (QuietHoursTest sets them). */
    static final String FAST = """
            {"customerReminderSeconds": 600, "staffReminderSeconds": 600, "goLiveReminderSeconds": 600,
             "dnsPollSeconds": 1, "errorWindowSeconds": 3, "slotLeadSeconds": 0, "slotWaitCapSeconds": 2,
             "quietFromHour": 0, "quietToHour": 0}""";

    void confirm(Mailbox.Mail mail, String label, java.util.Map<String, String> values) {
        LinkClient.Page page = browser.get(mail.link(label));
        org.assertj.core.api.Assertions.assertThat(page.status()).as(page.text()).isEqualTo(200);
        LinkClient.Page result = browser.submit(page, values);
        org.assertj.core.api.Assertions.assertThat(result.status()).as(label + ": " + result.text()).isEqualTo(200);
    }

    static final java.util.Map<String, String> ANSWERS = java.util.Map.ofEntries(
            java.util.Map.entry("currentProvider", "Alt-Hosting AG"), java.util.Map.entry("shopSystem", "SHOPWARE"),
            java.util.Map.entry("shopVersion", "6.5.8"), java.util.Map.entry("phpVersion", "8.2"),
            java.util.Map.entry("databaseEngine", "MARIADB"), java.util.Map.entry("databaseSizeGb", "3,5"),
            java.util.Map.entry("fileSizeGb", "12"), java.util.Map.entry("emailHosting", "EXTERNAL"),
            java.util.Map.entry("tlsCertificates", "LETS_ENCRYPT"), java.util.Map.entry("contactPhone", "+49 30 1234567"),
            java.util.Map.entry("interfaces", "JTL-Wawi über REST"));

    /** Tests share one calendar, like customers do; the last offered slot is kept for the booking race. */
    static final java.util.Random RANDOM = new java.util.Random();

    /**
     * Books a free slot the way a customer would: picks one of the offered slots and, when
     * someone else was faster (409, "just taken"), picks again from the fresh list.
     */
    String bookFreeSlot(String bookingLink) {
        LinkClient.Page page = browser.get(bookingLink);
        for (int attempt = 0; attempt < 8; attempt++) {
            java.util.List<String> slots = page.document().select("input[name=slot]").eachAttr("value");
            org.assertj.core.api.Assertions.assertThat(slots).as(page.text()).hasSizeGreaterThan(1);
            String slot = slots.get(RANDOM.nextInt(slots.size() - 1));
            LinkClient.Page result = browser.submit(page, java.util.Map.of("slot", slot));
            if (result.status() == 200) {
                return slot;
            }
            org.assertj.core.api.Assertions.assertThat(result.status()).as(result.text()).isEqualTo(409);
            page = result;
        }
        throw new AssertionError("No free slot after 8 attempts");
    }

    void answerQuestionnaire(Mailbox.Mail mail, java.util.Map<String, String> overrides) {
        java.util.Map<String, String> values = new java.util.HashMap<>(ANSWERS);
        values.putAll(overrides);
        confirm(mail, "Fragebogen ausfüllen", values);
    }

    /** Phases 1 to 3 as customer and staff: questionnaire, cluster, initial copy, test run passed. */
    void throughTheTestRun(String id) {
        throughTheTestRun(id, java.util.Map.of());
    }

    void throughTheTestRun(String id, java.util.Map<String, String> answers) {
        throughTheInitialCopy(id, answers);
        confirm(cloud.mailbox().await(id, "TEST_RESULTS", WAIT), "Alle Tests bestanden", java.util.Map.of());
    }

    /** Phases 1 and 2: questionnaire answered, cluster prepared, initial copy reported; returns the copy email. */
    Mailbox.Mail throughTheInitialCopy(String id, java.util.Map<String, String> answers) {
        Mailbox mail = cloud.mailbox();
        answerQuestionnaire(mail.await(id, "QUESTIONNAIRE", WAIT), answers);
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", java.util.Map.of());
        Mailbox.Mail copy = mail.await(id, "INITIAL_COPY", WAIT);
        confirm(copy, "Kopie abgeschlossen", java.util.Map.of());
        return copy;
    }

    /** Phase 5 booking and phase 6 up to the customer's check; returns the check email, not yet answered. */
    Mailbox.Mail upToTheGoLiveCheck(String id) {
        Mailbox mail = cloud.mailbox();
        bookFreeSlot(mail.await(id, "SLOT_BOOKING", WAIT).link("Termin wählen"));
        confirm(mail.await(id, "MAINTENANCE_ON", WAIT), "Wartungsmodus ist aktiv", java.util.Map.of());
        confirm(mail.await(id, "FINAL_COPY", WAIT), "Kopie abgeschlossen", java.util.Map.of());
        confirm(mail.await(id, "MAINTENANCE_OFF", WAIT), "Wartungsmodus ist aus", java.util.Map.of());
        return mail.await(id, "GO_LIVE_CHECK", WAIT);
    }
}
