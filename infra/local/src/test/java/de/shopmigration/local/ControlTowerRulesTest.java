package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AWS's own rules for a well-governed account: every Control Tower proactive control
 * (CloudFormation Guard rules, as @cdklabs/cdk-validator-cfnguard ships them with cfn-guard) run
 * on template.yaml after the SAM transform, so what SAM generates (roles, permissions, stages) is
 * judged too. The template passes all of them except the exceptions below, each with its reason;
 * an exception that no longer fails is an error too, so the list stays true.
 */
@Tag("full")
class ControlTowerRulesTest {

    /** The one place where a Control Tower rule is accepted as failing, and why. */
    static final Map<String, String> EXCEPTIONS = new LinkedHashMap<>();

    static {
        EXCEPTIONS.put("lambda_inside_vpc_check",
                "CT.LAMBDA.PR.3: the functions reach only AWS APIs (DynamoDB, SES, Route 53, Step Functions), the public DNS "
                        + "and the copy tooling's public webhook; a VPC would add NAT gateways or six interface endpoints per "
                        + "zone and protect no private resource");
        EXCEPTIONS.put("lambda_function_public_access_prohibited_check",
                "CT.LAMBDA.PR.2: the only permissions are the three SAM writes: for the HTTP API (principal "
                        + "apigateway.amazonaws.com with SourceArn = this API's execute-api ARN, built with Fn::Sub), for the "
                        + "cleanup rule (events.amazonaws.com, SourceArn = that rule's ARN, by Fn::GetAtt) and for the bounce "
                        + "topic (sns.amazonaws.com, SourceArn = that topic, by Ref), which the rule's static check cannot read "
                        + "(checked below)");
        EXCEPTIONS.put("cloudwatch_log_group_retention_period_check",
                "CT.CLOUDWATCH.PR.2 wants a year: the logs hold migration ids and email addresses, so they are kept for "
                        + "LogRetentionDays (default 90, storage limitation under the GDPR); an operator who must keep them "
                        + "longer sets the parameter");
        EXCEPTIONS.put("sqs_dlq_check",
                "CT.SQS.PR.1: the one queue is itself a dead-letter queue (cleanup starts that failed); no consumer reads it, "
                        + "staff do, so there is nothing that could fail to process a message and move it on");
        EXCEPTIONS.put("cloudwatch_log_group_encrypted_check",
                "CT.CLOUDWATCH.PR.3: CloudWatch Logs encrypts every log group at rest with its own key; a customer managed "
                        + "KMS key would add a key policy for the logs service and a monthly cost, and protects nothing from "
                        + "anyone who may read the logs in this account");
    }

    @Test
    void theTransformedTemplatePassesEveryControlTowerRuleButTheNamedExceptions() throws IOException {
        Map<String, Object> parameters = new LinkedHashMap<>(TestDeployment.parameters(List.of("Z0000000000000000AAA1")));
        parameters.put("SesConfigurationSet", "deliveries");
        DeployedPolicies deployed = DeployedPolicies.of(parameters, "aws", LocalCloud.REGION, Repo.root().resolve("target/control-tower"));
        Path template = Repo.root().resolve("target/control-tower/template-aws.json");

        AwsRules.Result guard = AwsRules.run(List.of(AwsRules.cfnGuard().toString(), "validate", "--rules", AwsRules.controlTowerRules().toString(),
                "--data", template.toString(), "--show-summary", "none", "--output-format", "json"), null, Map.of(), 120, List.of(0, 19));
        TreeSet<String> failing = new TreeSet<>();
        int rules = 0;
        try (MappingIterator<JsonNode> reports = new ObjectMapper().readerFor(JsonNode.class).readValues(guard.stdout())) {
            while (reports.hasNext()) {
                JsonNode report = reports.next();
                rules++;
                report.path("not_compliant").forEach(n -> failing.add(n.path("Rule").path("name").asText()));
            }
        }
        assertThat(rules).as("Control Tower rule files evaluated").isGreaterThan(200);
        assertThat(failing).as("failing rules without a named reason").isSubsetOf(EXCEPTIONS.keySet());
        assertThat(EXCEPTIONS.keySet()).as("exceptions that no longer fail (remove them)").isSubsetOf(failing);

        // The reason given for CT.LAMBDA.PR.2 holds: every permission is the API's, scoped to this API.
        for (String id : deployed.transformed.logicalIdsOfType("AWS::Lambda::Permission")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) deployed.resolver.resolve(SamTemplate.properties(deployed.transformed.resource(id)));
            if ("sns.amazonaws.com".equals(p.get("Principal"))) {
                // SES's bounces and complaints, through the stack's own topic only.
                assertThat(String.valueOf(p.get("SourceArn"))).as(id).isEqualTo(deployed.arn("sns", LocalCloud.STACK + "-email-events"));
                continue;
            }
            if ("events.amazonaws.com".equals(p.get("Principal"))) {
                // The rule that starts the cleanup when a migration ends, and only that rule.
                assertThat(String.valueOf(p.get("SourceArn"))).as(id).contains("AbortFunctionMigrationEnded");
                continue;
            }
            assertThat(p.get("Principal")).as(id).isEqualTo("apigateway.amazonaws.com");
            assertThat(String.valueOf(p.get("SourceArn"))).as(id)
                    .startsWith(deployed.arn("execute-api", "LinkApi/"));
        }
    }
}
