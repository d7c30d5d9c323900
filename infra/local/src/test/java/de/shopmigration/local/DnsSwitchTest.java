package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The switch is a compare-and-swap: a record someone changed by hand after phase 1 stops it,
 * changes nothing and asks staff; once they fix it, the switch goes through. An abort after
 * the switch sends the visitors back to the old server, with the original TTLs.
 */
class DnsSwitchTest extends DnsCloudTest {

    @Test
    void aRecordChangedByHandStopsTheSwitchAndAnAbortAfterTheSwitchRollsBack() {
        String id = "M-DNS-SWITCH";
        String domain = SharedCloud.domain("dns-switch");
        // A long error window, so the abort comes after the switch and before the close-out.
        String arn = cloud.startMigration(id, input("dns-switch", FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 600"), null));
        Mailbox mail = cloud.mailbox();
        throughTheTestRun(id);
        Mailbox.Mail check = upToTheGoLiveCheck(id);

        // Someone points www elsewhere in the console while the shop is in maintenance.
        upsert("dns-switch", "www." + domain, 300, "203.0.113.99");
        confirm(check, "Alles funktioniert", Map.of());
        Mailbox.Mail mismatch = mail.await(id, "DNS_MISMATCH", WAIT);
        assertThat(mismatch.to()).containsExactly(STAFF);
        assertThat(mismatch.plain()).contains("dns-switch", "nichts geändert", "www." + domain + " A", SharedCloud.OLD_IP + " (TTL 300 s)");
        Map<String, ResourceRecordSet> untouched = aRecords("dns-switch");
        assertThat(DnsLifecycleTest.values(untouched.get(domain))).as("the apex stayed: nothing in the zone changed").containsExactly(SharedCloud.OLD_IP);
        assertThat(DnsLifecycleTest.values(untouched.get("www." + domain))).containsExactly("203.0.113.99");
        assertThat(record(id).dns().switchedAt()).isNull();
        assertThat(mail.forMigration(id)).extracting(Mailbox.Mail::kind).doesNotContain("GO_LIVE_DONE");

        // Staff put the record back and try again.
        upsert("dns-switch", "www." + domain, 300, SharedCloud.OLD_IP);
        confirm(mismatch, "Einträge geprüft, erneut umstellen", Map.of());
        mail.await(id, "GO_LIVE_DONE", WAIT);
        Map<String, ResourceRecordSet> switched = aRecords("dns-switch");
        assertThat(DnsLifecycleTest.values(switched.get(domain))).containsExactly(NEW_IP);
        assertThat(DnsLifecycleTest.values(switched.get("www." + domain))).containsExactly(NEW_IP);
        assertThat(switched.get(domain).ttl()).isEqualTo(300L);
        MigrationRecord live = record(id);
        assertThat(live.dns().switchedAt()).isNotNull();

        // Phase 7: the go-live is aborted inside the error window.
        stopInTheConsole(id, arn);
        Map<String, ResourceRecordSet> back = aRecords("dns-switch");
        for (String host : new String[] {domain, "www." + domain}) {
            assertThat(DnsLifecycleTest.values(back.get(host))).as(host).containsExactly(SharedCloud.OLD_IP);
            assertThat(back.get(host).ttl()).as(host).isEqualTo(3600L);
        }
        assertThat(DnsLifecycleTest.values(back.get("mail." + domain))).containsExactly("203.0.113.25");
        assertThat(mail.forMigration(id)).filteredOn(m -> m.kind().equals("ABORTED") && m.to().contains(CUSTOMER)).singleElement()
                .satisfies(m -> assertThat(m.plain()).contains("bisherigen Server"));
    }
}
