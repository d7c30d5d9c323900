package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.MigrationRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** What the DNS tests share: reading and changing zones by hand, and walking a migration to a phase. */
abstract class DnsCloudTest extends CloudTest {

    static final String NEW_IP = "198.51.100.20";

    /** An execution input with several domains, each given as its JSON object. */
    String inputWithDomains(List<String> domains, String timing, String extra) {
        return """
                {
                  "customer": {"name": "Erika Mustermann", "company": "Muster GmbH", "email": "%s", "language": "de"},
                  "staff": {"name": "Max Admin", "email": "%s"},
                  "shopName": "Muster-Shop",
                  "domains": [%s],
                  "newIp": "%s",
                  %s
                  "timing": %s
                }
                """.formatted(CUSTOMER, STAFF, String.join(", ", domains), NEW_IP, extra == null ? "" : extra + ",", timing);
    }

    String route53Domain(String zoneName) {
        return "{\"name\": \"%s\", \"hostedZoneId\": \"%s\"}".formatted(SharedCloud.domain(zoneName), shared.zone(zoneName));
    }

    /** Every A record of a test zone by its name without the trailing dot. */
    Map<String, ResourceRecordSet> aRecords(String zoneName) {
        try (Route53Client r53 = cloud.route53()) {
            return r53.listResourceRecordSetsPaginator(b -> b.hostedZoneId(shared.zone(zoneName))).resourceRecordSets().stream()
                    .filter(r -> r.typeAsString().equals("A"))
                    .collect(Collectors.toMap(r -> r.name().substring(0, r.name().length() - 1), r -> r));
        }
    }

    /** A change by hand, as staff or the customer would make it in the console. */
    void upsert(String zoneName, String host, long ttl, String value) {
        try (Route53Client r53 = cloud.route53()) {
            r53.changeResourceRecordSets(b -> b.hostedZoneId(shared.zone(zoneName)).changeBatch(cb -> cb.changes(c -> c
                    .action(ChangeAction.UPSERT).resourceRecordSet(r -> r.name(host).type("A").ttl(ttl).resourceRecords(v -> v.value(value))))));
        }
    }

    /** Phase 1 runs beside the questionnaire: waits until its DNS branch recorded the lowering in sync. */
    MigrationRecord awaitLowered(String id) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                MigrationRecord r = record(id);
                if (r.dns().loweredAt() != null) {
                    return r;
                }
            } catch (de.shopmigration.core.UnknownMigration notYet) {
                // the execution has not opened its record yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("The TTLs of " + id + " were not lowered within " + WAIT);
    }

    List<HistoryEvent> history(String arn) {
        try (SfnClient sfn = cloud.sfn()) {
            return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events().stream().toList();
        }
    }

    /** How often the execution entered a state. */
    static long entered(List<HistoryEvent> history, String state) {
        return history.stream().filter(e -> e.stateEnteredEventDetails() != null && state.equals(e.stateEnteredEventDetails().name())).count();
    }

    /** Stops the execution as staff would in the console; the EventBridge rule runs the cleanup. */
    void stopInTheConsole(String id, String arn) {
        try (SfnClient sfn = cloud.sfn()) {
            sfn.stopExecution(b -> b.executionArn(arn).cause("Stopped in the console"));
        }
        cloud.mailbox().await(m -> id.equals(m.migrationId()) && m.kind().equals("ABORTED") && m.to().contains(STAFF),
                WAIT, "abort notice to staff");
        assertThat(record(id).status()).isEqualTo("ABORTED");
    }

    /** Route 53's error answer, as the real service sends it for throttling. */
    static LambdaFront.Reply route53Error(String code) {
        return new LambdaFront.Reply(400, "text/xml", ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
                + "<Error><Type>Sender</Type><Code>" + code + "</Code><Message>Rate exceeded (injected)</Message></Error>"
                + "<RequestId>injected</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
    }

    static boolean isChangeBatch(String method, String path, String zoneId) {
        return method.equals("POST") && path.startsWith("/2013-04-01/hostedzone/" + zoneId + "/rrset");
    }
}
