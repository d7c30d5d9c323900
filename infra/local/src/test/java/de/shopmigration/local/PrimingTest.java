package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming, run as a snapshot would run it: every function registered its hook when
 * the local cloud built it from template.yaml, each hook runs its paths against the emulator,
 * and none of them writes, sends or changes anything. A cloud of its own, so that "nothing" is
 * what the table, the mailbox and the recorded AWS calls show, not what other tests do meanwhile.
 */
@Tag("full")
class PrimingTest {

    @Test
    void everyFunctionPrimesAgainstTheEmulatorWithoutWritingOrSendingAnything() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        try (LocalCloud cloud = LocalCloud.start(Repo.root(), log::add)) {
            String zone = "priming-shop.example.";
            Map<String, String> records = new LinkedHashMap<>();
            records.put(zone, SharedCloud.OLD_IP);
            String zoneId = cloud.createZone(zone, records, 3600);
            cloud.deploy(TestDeployment.parameters(List.of(zoneId)));
            java.util.Set<IamCalls.Call> before = new java.util.HashSet<>(cloud.iamCalls().calls());

            List<String> primed = cloud.functions().primeAll();

            assertThat(primed).contains("IntakeFunction", "AskFunction", "RemindFunction", "NotifyFunction", "DnsFunction", "CopyFunction",
                    "GoLiveFunction", "DocumentsFunction", "LinksFunction", "AbortFunction", "BounceFunction");
            List<IamCalls.Call> calls = cloud.iamCalls().calls().stream().filter(c -> !before.contains(c)).toList();
            assertThat(calls).as("priming reads from AWS (a record that does not exist)").isNotEmpty();
            assertThat(calls).as("priming only reads").allSatisfy(c -> assertThat(c.action())
                    .matches("[a-z0-9]+:(Get|BatchGet|Query|Describe|List)[A-Za-z]*"));
            assertThat(cloud.mailbox().all()).as("priming sends nothing").isEmpty();
            try (var dynamo = cloud.dynamoDb()) {
                assertThat(dynamo.scanPaginator(b -> b.tableName(cloud.tableName())).items().stream().toList())
                        .as("priming writes nothing").isEmpty();
            }
        }
    }
}
