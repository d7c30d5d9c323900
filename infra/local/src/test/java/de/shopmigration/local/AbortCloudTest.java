package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore;
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

    /** Staff abort from the standing link in any of their emails. */
    void abortByStaffLink(Mailbox.Mail staffMail) {
        LinkClient.Page page = browser.get(staffMail.link("Migration abbrechen"));
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(browser.submit(page, Map.of("reason", REASON)).status()).isEqualTo(200);
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
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(STAFF), WAIT, "abort notice to staff");
        assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("ABORTED")).hasSize(2);
        MigrationRecord record = record(id);
        assertThat(record.status()).isEqualTo("ABORTED");
        assertThat(record.abort().by()).isEqualTo(byLink ? "staff" : "staff (console)");
        if (byLink) {
            assertThat(record.abort().reason()).isEqualTo(REASON);
            assertThat(toCustomer.plain()).contains(REASON);
        }
        String domain = SharedCloud.domain(zone);
        Map<String, ResourceRecordSet> records = aRecords(zone);
        for (String host : List.of(domain, "www." + domain)) {
            assertThat(DnsLifecycleTest.values(records.get(host))).as(host).containsExactly(SharedCloud.OLD_IP);
            assertThat(records.get(host).ttl()).as(host).isEqualTo(3600L);
        }
        assertThat(browser.get(anyLink).status()).as("links are revoked").isEqualTo(410);
        if (slot != null) {
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(new MigrationStore(dynamo, cloud.tableName()).slotHolders(slot)).doesNotContain(id);
            }
        }
    }
}
