package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * An abort, wherever it comes, runs the same cleanup: TTLs restored, DNS switched back if it
 * was switched, booking released, open links revoked, customer and staff told, the record
 * marked aborted with the reason.
 */
abstract class AbortCloudTest extends DnsCloudTest {

    static final String REASON = "Kunde hat den Umzug verschoben";
    /** What staff write to the customer, apart from the internal reason. */
    static final String MESSAGE = "Wie besprochen holen wir den Umzug im Frühjahr nach.";

    /** Staff abort from the standing link in any of their emails. */
    void abortByStaffLink(Mailbox.Mail staffMail) {
        LinkClient.Page page = browser.get(staffMail.link("Migration abbrechen"));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.text()).as("the form says what the customer will read").contains("liest diesen Text wörtlich");
        assertThat(browser.submit(page, Map.of("reason", REASON, "customerMessage", MESSAGE)).status()).isEqualTo(200);
    }

    /**
     * Checks everything the cleanup must have done.
     *
     * @param byLink  whether staff aborted by link (then the reason is theirs) or in the console
     * @param anyLink a link from an email to the customer, which must no longer work
     * @param slot    the booked go-live slot, or null
     */
    void assertCleanedUp(String id, String arn, String zone, boolean byLink, String anyLink, Instant slot) {
        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.ABORTED);
        Mailbox mail = cloud.mailbox();
        Mailbox.Mail toCustomer = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(CUSTOMER),
                WAIT, "abort notice to the customer");
        Mailbox.Mail toStaff = mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(STAFF),
                WAIT, "abort notice to staff");
        assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("ABORTED")).hasSize(2);
        // Each reader gets their own text: the staff copy is not the customer's letter.
        assertThat(toStaff.subject()).isNotEqualTo(toCustomer.subject());
        assertThat(toStaff.plain()).contains("Hallo Max Admin, die Migration von").doesNotContain("Ihrer Domains", "mit Ihnen");
        MigrationRecord record = record(id);
        assertThat(record.status()).isEqualTo("ABORTED");
        assertThat(record.abort().by()).isEqualTo(byLink ? "staff" : "staff (console)");
        if (byLink) {
            assertThat(record.abort().reason()).isEqualTo(REASON);
            assertThat(record.abort().customerMessage()).isEqualTo(MESSAGE);
            // The internal reason stays with the team; the customer reads the message written for them.
            assertThat(toCustomer.plain()).contains(MESSAGE).doesNotContain(REASON);
            assertThat(toStaff.plain()).contains(REASON, MESSAGE);
        } else {
            assertThat(toCustomer.plain()).contains("besprechen wir gern persönlich");
            assertThat(toStaff.plain()).contains("in der AWS-Konsole gestoppt").doesNotContain("stopped in the AWS console");
        }
        String domain = SharedCloud.domain(zone);
        Map<String, ResourceRecordSet> records = aRecords(zone);
        for (String host : List.of(domain, "www." + domain)) {
            assertThat(DnsLifecycleTest.values(records.get(host))).as(host).containsExactly(SharedCloud.OLD_IP);
            assertThat(records.get(host).ttl()).as(host).isEqualTo(3600L);
        }
        assertThat(browser.get(anyLink).status()).as("links are revoked").isEqualTo(410);
        // The cleanup's last step, after the emails: every item left behind has its deletion time.
        DataExpiryAssertions.everyItemExpires(cloud, id, WAIT);
        // The status page stays open and tells what happened: the phases not reached are cancelled.
        LinkClient.Page status = browser.get(toCustomer.link("Stand des Umzugs ansehen"));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text()).contains("Der Umzug wurde am", "abgebrochen").doesNotContain("läuft", "offen");
        if (!status.text().contains("in Phase 7.")) {
            assertThat(status.text()).as("the phases not reached").contains("entfällt");
        }
        if (slot != null) {
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(new MigrationStore(dynamo, cloud.tableName()).bookings().holders(slot)).doesNotContain(id);
            }
        }
    }
}
