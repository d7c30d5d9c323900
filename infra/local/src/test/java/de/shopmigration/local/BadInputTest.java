package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import de.shopmigration.core.store.MigrationStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** A bad execution input stops at the first state, names every bad field, and touches nothing. */
class BadInputTest extends CloudTest {

    @Test
    void badInputFailsAtTheFirstStateNamingEveryBadFieldAndNothingIsSentOrChanged() {
        String id = "M-BAD-1";
        String arn = cloud.startMigration(id, """
                {"customer": {"name": "", "email": "not-an-email", "language": "fr"},
                 "domains": [],
                 "newIp": "300.1.1.1",
                 "targetTtl": 5,
                 "timing": {"lunchBreakSeconds": 60}}
                """);
        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.error()).isEqualTo("de.shopmigration.core.InvalidMigrationRequest");
        assertThat(end.cause()).contains("customer.name", "customer.email", "customer.language", "domains",
                "newIp", "targetTtl", "timing.lunchBreakSeconds");
        assertThat(statesEntered(arn)).containsExactly("Check the migration request", "Migration request rejected");
        assertNothingHappened(id);
    }

    @Test
    void aZoneTheDeploymentMayNotChangeOrThatDoesNotHoldTheDomainIsRefused() {
        String id = "M-BAD-2";
        String arn = cloud.startMigration(id, """
                {"customer": {"name": "Erika Mustermann", "email": "erika@muster-shop.example", "language": "de"},
                 "domains": [{"name": "bad-shop.example", "hostedZoneId": "ZNOTOURS123"},
                             {"name": "elsewhere.example", "hostedZoneId": "%s"}],
                 "newIp": "198.51.100.20"}
                """.formatted(shared.zone("bad")));
        DescribeExecutionResponse end = cloud.awaitEnd(arn, WAIT);
        assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(end.cause()).contains("domains[0].hostedZoneId", "ZNOTOURS123 is not one of the hosted zones this deployment may change")
                .contains("domains[1].hostedZoneId", "does not hold elsewhere.example");
        assertNothingHappened(id);
    }

    private void assertNothingHappened(String id) {
        assertThat(cloud.mailbox().forMigration(id)).isEmpty();
        try (var dynamo = cloud.dynamoDb()) {
            assertThat(new MigrationStore(dynamo, cloud.tableName()).records().find(id)).isEmpty();
        }
        try (Route53Client r53 = cloud.route53()) {
            List<ResourceRecordSet> a = r53.listResourceRecordSets(b -> b.hostedZoneId(shared.zone("bad"))).resourceRecordSets()
                    .stream().filter(r -> r.typeAsString().equals("A")).toList();
            assertThat(a).hasSize(3).allSatisfy(r -> assertThat(r.ttl()).isEqualTo(3600L));
        }
    }

    private List<String> statesEntered(String arn) {
        List<String> names = new ArrayList<>();
        try (SfnClient sfn = cloud.sfn()) {
            for (HistoryEvent e : sfn.getExecutionHistory(b -> b.executionArn(arn)).events()) {
                if (e.stateEnteredEventDetails() != null) {
                    names.add(e.stateEnteredEventDetails().name());
                }
            }
        }
        return names;
    }
}
