package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming, run as a snapshot would run it: every function registered its hook when
 * the local cloud built it from template.yaml, each hook runs its paths against the emulator,
 * and none of them writes a record or sends an email.
 */
class PrimingTest extends CloudTest {

    @Test
    void everyFunctionPrimesAgainstTheEmulatorWithoutWritingOrSendingAnything() {
        List<String> primed = cloud.functions().primeAll();
        assertThat(primed).contains("IntakeFunction", "AskFunction", "RemindFunction", "NotifyFunction", "DnsFunction", "CopyFunction",
                "GoLiveFunction", "DocumentsFunction", "LinksFunction", "AbortFunction", "BounceFunction");
        assertThat(cloud.mailbox().all()).as("priming sends nothing")
                .noneMatch(m -> m.migrationId() != null && m.migrationId().startsWith("PRIMING"));
        try (var dynamo = cloud.dynamoDb()) {
            var items = dynamo.scanPaginator(b -> b.tableName(cloud.tableName()).filterExpression("begins_with(pk, :p)")
                    .expressionAttributeValues(java.util.Map.of(":p", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                            .fromS("MIGRATION#PRIMING")))).items().stream().toList();
            assertThat(items).as("priming writes nothing").isEmpty();
        }
    }
}
