package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A domain whose DNS is at another provider: the customer gets exact instructions, and every
 * later check is a DNS lookup at that provider's name servers (here the local stand-in the
 * test changes the way the customer would).
 */
class DnsElsewhereTest extends DnsCloudTest {

    private static final String ELSEWHERE = "elsewhere-shop.example";

    @Test
    void theCustomerChangesTheirOwnDnsAndEveryCheckIsALookup() {
        String id = "M-DNS-ELSEWHERE";
        for (String host : List.of(ELSEWHERE, "www." + ELSEWHERE)) {
            cloud.dns().setElsewhere(ELSEWHERE, host, "A", 3600, List.of(SharedCloud.OLD_IP));
        }
        Mailbox mail = cloud.mailbox();
        String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("dns-ext"), "{\"name\": \"" + ELSEWHERE + "\"}"), FAST, null));

        // Phase 1: which records, which TTL, by when.
        Mailbox.Mail instructions = mail.await(id, "TTL_INSTRUCTIONS", WAIT);
        assertThat(instructions.to()).containsExactly(CUSTOMER);
        assertThat(instructions.plain()).contains(ELSEWHERE + " (A/AAAA)", "www." + ELSEWHERE + " (A/AAAA)", "300 Sekunden", "bis ");
        throughTheTestRun(id, Map.of("dns1", "DNS-Anbieter GmbH"));
        MigrationRecord planned = record(id);
        assertThat(planned.dns().external().get(ELSEWHERE + "|A").ttl()).as("the original TTL, looked up").isEqualTo(3600L);
        assertThat(planned.dns().external().get(ELSEWHERE + "|A").values()).containsExactly(SharedCloud.OLD_IP);

        // Phase 5: the customer has not lowered the TTL yet; staff are asked.
        Mailbox.Mail review = mail.await(id, "DNS_REVIEW", WAIT);
        assertThat(review.plain()).contains(ELSEWHERE + " A still has TTL 3600 s at the customer's DNS provider");
        for (String host : List.of(ELSEWHERE, "www." + ELSEWHERE)) {
            cloud.dns().setElsewhere(ELSEWHERE, host, "A", 300, List.of(SharedCloud.OLD_IP));
        }
        confirm(review, "DNS erneut prüfen", Map.of());
        mail.await(id, "SLOT_BOOKING", WAIT);
        MigrationRecord ready = record(id);
        assertThat(ready.dns().external().get(ELSEWHERE + "|A").loweredSeenAt()).isNotNull();
        assertThat(ready.dns().earliestGoLive()).as("an hour after the lowered TTL was first seen")
                .isAfterOrEqualTo(ready.dns().external().get(ELSEWHERE + "|A").loweredSeenAt().plusSeconds(3600));

        // Phase 6: Route 53 is switched by the workflow; the customer is asked to switch their provider.
        confirm(upToTheGoLiveCheck(id), "Alles funktioniert", Map.of());
        Mailbox.Mail switchMail = mail.await(id, "EXTERNAL_DNS_SWITCH", WAIT);
        assertThat(switchMail.to()).containsExactly(CUSTOMER);
        assertThat(switchMail.plain()).contains(ELSEWHERE + " (A)", "auf " + NEW_IP + " setzen (TTL 300 Sekunden)");
        // Confirmed before the change is visible: the workflow keeps looking and does not go live yet.
        confirm(switchMail, "Einträge sind geändert", Map.of());
        cloud.dns().setElsewhere(ELSEWHERE, ELSEWHERE, "A", 300, List.of(NEW_IP));
        sleep(3000);
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("GO_LIVE_DONE");
        assertThat(record(id).dns().external().get("www." + ELSEWHERE + "|A").switchedSeenAt()).isNull();
        cloud.dns().setElsewhere(ELSEWHERE, "www." + ELSEWHERE, "A", 300, List.of(NEW_IP));
        mail.await(id, "GO_LIVE_DONE", WAIT);

        assertThat(cloud.awaitEnd(arn, WAIT).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        MigrationRecord done = record(id);
        assertThat(done.dns().external().values()).allSatisfy(e -> assertThat(e.switchedSeenAt()).isNotNull());
        assertThat(done.downtime().endedAt()).as("the downtime ends when the last provider shows the new address")
                .isAfterOrEqualTo(done.dns().external().get("www." + ELSEWHERE + "|A").switchedSeenAt());
        assertThat(DnsLifecycleTest.values(aRecords("dns-ext").get(SharedCloud.domain("dns-ext")))).containsExactly(NEW_IP);
    }

    @Test
    void anAbortTellsTheCustomerWhichOwnRecordsToPutBack() throws Exception {
        String id = "M-DNS-ELSEWHERE-ABORT";
        String domain = "elsewhere-abort-shop.example";
        cloud.dns().setElsewhere(domain, domain, "A", 7200, List.of(SharedCloud.OLD_IP));
        cloud.dns().setElsewhere(domain, "www." + domain, "A", 7200, List.of(SharedCloud.OLD_IP));
        String arn = cloud.startMigration(id, inputWithDomains(List.of(route53Domain("dns-ext-2"), "{\"name\": \"" + domain + "\"}"), FAST, null));
        cloud.mailbox().await(id, "TTL_INSTRUCTIONS", WAIT);
        awaitLowered(id);
        stopInTheConsole(id, arn);
        Mailbox.Mail aborted = cloud.mailbox().await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED")
                && m.to().contains(CUSTOMER), WAIT, "abort notice to the customer");
        assertThat(aborted.plain()).contains(domain + " (A)", "www." + domain + " (A)",
                "bei Ihrem DNS-Anbieter wieder auf " + SharedCloud.OLD_IP + " (TTL 7200 Sekunden)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
