package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stack deploys into any AWS partition: expanded by the SAM transform and resolved for a
 * region of each partition, every ARN in every resource (the IAM policies among them) and in both
 * state machine definitions (service integrations are partition-specific too: aws-cdk issue 4597)
 * names that partition. A literal "arn:aws:" anywhere fails this outside the commercial partition.
 */
@Tag("full")
class PartitionTest {

    @ParameterizedTest
    @CsvSource({"aws, eu-central-1", "aws-cn, cn-north-1", "aws-us-gov, us-gov-west-1", "aws-eusc, eusc-de-east-1"})
    void everyArnOfTheDeploymentNamesItsPartition(String partition, String region) throws IOException {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>(TestDeployment.parameters(List.of("Z0000000000000000AAA1", "Z0000000000000000BBB2")));
        parameters.put("SesConfigurationSet", "deliveries");
        Path folder = Repo.root().resolve("target/partitions");
        DeployedPolicies deployed = DeployedPolicies.of(parameters, partition, region, folder);
        List<String> arns = new ArrayList<>();
        deployed.transformed.resources().keySet().forEach(id ->
                collectArns(deployed.resolver.resolve(SamTemplate.properties(deployed.transformed.resource(id))), id, arns));
        for (String machine : deployed.stateMachines()) {
            collectArns(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(deployed.definition(machine), Map.class), machine + " definition", arns);
        }
        assertThat(arns).as("ARNs in the deployment").hasSizeGreaterThan(40)
                .allSatisfy(a -> assertThat(a.substring(a.indexOf(": arn:") + 2)).as(a).startsWith("arn:" + partition + ":"));
        // The hosted zones the DNS function may change, one ARN each.
        assertThat(arns).filteredOn(a -> a.startsWith("DnsFunctionRole") && a.contains(":route53:::hostedzone/"))
                .extracting(a -> a.substring(a.indexOf("arn:")))
                .contains("arn:" + partition + ":route53:::hostedzone/Z0000000000000000AAA1",
                        "arn:" + partition + ":route53:::hostedzone/Z0000000000000000BBB2");
    }

    private static void collectArns(Object node, String where, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectArns(v, where, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectArns(v, where, out));
        } else if (node instanceof String s && s.contains("arn:")) {
            // Strings may hold several ARNs (a Sub with a list, a JSON policy); each is judged.
            for (String part : s.split("[\\s\",]+")) {
                int at = part.indexOf("arn:");
                if (at >= 0) {
                    out.add(where + ": " + part.substring(at));
                }
            }
        }
    }
}
