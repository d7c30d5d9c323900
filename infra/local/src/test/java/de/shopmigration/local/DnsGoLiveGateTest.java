package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.AttributeValues;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Phase 5 checks the public DNS before any go-live date is offered: a domain still delegated
 * to the old provider stops the offer and asks staff; and no date is offered, or accepted,
 * before the records' original TTL (here two days) has run out after the lowering.
 */
@ResourceLock(CloudTest.LAST_SLOT)
class DnsGoLiveGateTest extends DnsCloudTest {

    @Test
    void theGoLiveWaitsForTheDelegationAndRefusesATimeBeforeTheOldTtlExpired() {
        String id = "M-DNS-GATE";
        String domain = SharedCloud.domain("dns-gate");
        upsert("dns-gate", domain, 172_800, SharedCloud.OLD_IP);
        upsert("dns-gate", "www." + domain, 172_800, SharedCloud.OLD_IP);
        cloud.dns().delegate(domain, List.of("ns1.old-provider.example", "ns2.old-provider.example"));
        Mailbox mail = cloud.mailbox();
        try {
            String arn = cloud.startMigration(id, input("dns-gate", FAST, null));
            throughTheTestRun(id);

            Mailbox.Mail review = mail.await(id, "DNS_REVIEW", WAIT);
            assertThat(review.to()).containsExactly(STAFF);
            assertThat(review.plain()).contains(domain + " is delegated to [ns1.old-provider.example, ns2.old-provider.example]",
                    "ns-2048.awsdns-64.com");
            assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("SLOT_BOOKING");

            // The registrar now points to Route 53; staff check again.
            cloud.dns().delegate(domain, null);
            confirm(review, "DNS erneut prüfen", Map.of());
            Mailbox.Mail booking = mail.await(id, "SLOT_BOOKING", WAIT);

            MigrationRecord record = record(id);
            assertThat(record.dns().problems()).isEmpty();
            Instant gate = record.dns().earliestGoLive();
            assertThat(gate).isEqualTo(record.dns().loweredAt().plusSeconds(172_800));
            LinkClient.Page page = browser.get(booking.link("Termin wählen"));
            List<Instant> offered = page.document().select("input[name=slot]").eachAttr("value").stream().map(Instant::parse).toList();
            assertThat(offered).isNotEmpty().allSatisfy(slot -> assertThat(slot).isAfterOrEqualTo(gate));

            // A slot made up before the gate is not accepted.
            LinkClient.Page forged = browser.submit(page, Map.of("slot", gate.minusSeconds(86_400).toString()));
            assertThat(forged.status()).isEqualTo(422);
            // The gate moved later after the offer was made (a re-check): an offered slot before it is refused too.
            Instant later = offered.get(offered.size() - 1);
            try (var dynamo = cloud.dynamoDb()) {
                new MigrationStore(dynamo, cloud.tableName()).records().update(id, "SET #dns.earliestGoLive = :e", Map.of("#dns", "dns"),
                        Map.of(":e", AttributeValues.s(later.toString())), null);
            }
            LinkClient.Page early = browser.submit(browser.get(booking.link("Termin wählen")), Map.of("slot", offered.get(0).toString()));
            assertThat(early.status()).isEqualTo(409);
            assertThat(early.text()).contains("zu früh");
            assertThat(early.document().select("input[name=slot]").eachAttr("value")).containsExactly(later.toString());
            assertThat(record(id).booking()).isNull();
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(new MigrationStore(dynamo, cloud.tableName()).bookings().holders(offered.get(0))).doesNotContain(id);
            }
            LinkClient.Page ok = browser.submit(browser.get(booking.link("Termin wählen")), Map.of("slot", later.toString()));
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            mail.await(id, "GO_LIVE_CONFIRMED", WAIT);
            stopInTheConsole(id, arn);
        } finally {
            cloud.dns().delegate(domain, null);
        }
    }
}
