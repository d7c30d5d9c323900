package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reads template.yaml as CloudFormation would resolve it and fails on any permission broader
 * than the deployment needs: a wildcard action, a wildcard resource where a scoped one exists,
 * a managed policy, or a SAM policy template that points at something outside this stack.
 */
class LeastPrivilegeTest {

    private static final String SES_IDENTITY = "arn:aws:ses:eu-central-1:123456789012:identity/";
    private static final List<String> ZONES = List.of("Z0000000000000000AAA1", "Z0000000000000000BBB2");
    private static final String TABLE_ARN = "arn:aws:dynamodb:eu-central-1:123456789012:table/shop-migration-MigrationTable";
    private static final String MACHINE_ARN = "arn:aws:states:eu-central-1:123456789012:stateMachine:shop-migration-migration";
    /** What Ref gives for the stack's link secret: its full ARN. */
    private static final String SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:LinkSecret-Ab12Cd34Ef56-gH78iJ";
    /** The functions that sign or verify links or webhook signatures, and so read the link secret. */
    static final Set<String> SIGNERS = Set.of("AskFunction", "RemindFunction", "NotifyFunction", "CopyFunction", "GoLiveFunction", "LinksFunction", "BounceFunction", "SiteCheckFunction");

    /** SAM policy templates we allow, with the one parameter each must tie to this stack. */
    private static final Map<String, String> POLICY_TEMPLATES = Map.of(
            "LambdaInvokePolicy", "FunctionName",
            "StepFunctionsCallbackPolicy", "StateMachineName",
            "StepFunctionsExecutionPolicy", "StateMachineName",
            "AWSSecretsManagerGetSecretValuePolicy", "SecretArn");

    /**
     * The only wildcards left: Route 53 change ids are made up by Route 53 per change, so
     * GetChange cannot be scoped further than change/*.
     */
    private static final Set<String> UNSCOPABLE = Set.of("route53:GetChange -> arn:aws:route53:::change/*",
            // A state machine's logs go through CloudWatch Logs' vended-log delivery, whose actions
            // take no resource (Step Functions developer guide, logging with CloudWatch Logs).
            "logs:CreateLogDelivery -> *", "logs:GetLogDelivery -> *", "logs:UpdateLogDelivery -> *", "logs:DeleteLogDelivery -> *",
            "logs:ListLogDeliveries -> *", "logs:PutResourcePolicy -> *", "logs:DescribeResourcePolicies -> *", "logs:DescribeLogGroups -> *");

    private static final String WATCH_ROLE_ARN = "arn:aws:iam::123456789012:role/shop-migration-SiteWatchSchedulerRole";

    private static final String TOPIC_ARN_PREFIX = "arn:aws:sns:eu-central-1:123456789012:shop-migration-";

    /** Resolved with an SES configuration set, so its grant is checked too. */
    private static final String CONFIGURATION_SET = "deliveries";

    private static SamTemplate.Resolver resolver(SamTemplate t) {
        return resolver(t, Map.of());
    }

    private static SamTemplate.Resolver resolver(SamTemplate t, Map<String, Object> parameters) {
        Map<String, Object> refs = new LinkedHashMap<>(TestDeployment.parameters(ZONES));
        refs.putAll(parameters);
        refs.put("LinkSecret", SECRET_ARN);
        refs.put("SesConfigurationSet", CONFIGURATION_SET);
        refs.put("AWS::Region", "eu-central-1");
        refs.put("AWS::AccountId", "123456789012");
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", "shop-migration");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        refs.put("MigrationTable", "shop-migration-MigrationTable");
        refs.put("MigrationStateMachine", MACHINE_ARN);
        refs.put("SiteWatchScheduleGroup", "shop-migration-site-watch");
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("MigrationTable.Arn", TABLE_ARN);
        attributes.put("SiteWatchSchedulerRole.Arn", WATCH_ROLE_ARN);
        for (String id : t.logicalIdsOfType("AWS::Serverless::Function")) {
            refs.put(id, id);
            attributes.put(id + ".Arn", "arn:aws:lambda:eu-central-1:123456789012:function:" + id);
        }
        for (String id : t.logicalIdsOfType("AWS::Serverless::HttpApi")) {
            refs.put(id, "api");
        }
        for (String id : t.logicalIdsOfType("AWS::SNS::Topic")) {
            refs.put(id, TOPIC_ARN_PREFIX + id);
        }
        return t.resolver(refs, attributes);
    }

    /** Each allowed action prefix and what its resources must be, in this deployment. */
    private static boolean scoped(String action, String resource) {
        String service = action.substring(0, action.indexOf(':'));
        return switch (service) {
            case "route53" -> ZONES.stream().anyMatch(z -> resource.equals("arn:aws:route53:::hostedzone/" + z));
            case "ses" -> resource.equals(SES_IDENTITY + "umzug@hosting.example")
                    || resource.equals(SES_IDENTITY + "hosting.example")
                    || resource.equals(SES_IDENTITY.replace(":identity/", ":configuration-set/") + CONFIGURATION_SET);
            case "states" -> resource.equals(MACHINE_ARN) || resource.equals(MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":*");
            case "dynamodb" -> resource.equals(TABLE_ARN) || resource.equals(TABLE_ARN + "/index/*");
            case "lambda" -> resource.startsWith("arn:aws:lambda:eu-central-1:123456789012:function:");
            // Only the ops topic is published to (by the bounce function, for a staff address that bounced).
            case "sns" -> action.equals("sns:Publish") && resource.equals(TOPIC_ARN_PREFIX + "OpsTopic");
            // The watch's schedules, in the stack's own group only; and the one role they act as.
            case "scheduler" -> resource.equals("arn:aws:scheduler:eu-central-1:123456789012:schedule/shop-migration-site-watch/*");
            case "iam" -> action.equals("iam:PassRole") && resource.equals(WATCH_ROLE_ARN);
            default -> false;
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPermissionIsScopedToThisStacksTablesZonesIdentityAndStateMachine() throws IOException {
        SamTemplate t = TemplateAndStateMachineTest.template();
        SamTemplate.Resolver resolver = resolver(t);
        List<String> findings = new ArrayList<>();
        int statements = 0;
        for (String type : List.of("AWS::Serverless::Function", "AWS::Serverless::StateMachine")) {
            for (String id : t.logicalIdsOfType(type)) {
                Object policies = SamTemplate.properties(t.resource(id)).get("Policies");
                for (Object policy : policies == null ? List.of() : (List<Object>) policies) {
                    if (!(policy instanceof Map<?, ?> map)) {
                        findings.add(id + ": managed policy " + policy + " (grants more than this stack needs)");
                        continue;
                    }
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        String name = String.valueOf(e.getKey());
                        if (name.equals("Statement")) {
                            for (Object s : (List<Object>) e.getValue()) {
                                statements++;
                                findings.addAll(check(id, (Map<String, Object>) resolver.resolve(s)));
                            }
                        } else if (!POLICY_TEMPLATES.containsKey(name)) {
                            findings.add(id + ": SAM policy template " + name + " is not one of " + POLICY_TEMPLATES.keySet());
                        } else {
                            Object target = resolver.resolve(((Map<String, Object>) e.getValue()).get(POLICY_TEMPLATES.get(name)));
                            boolean inStack = switch (name) {
                                case "LambdaInvokePolicy" -> t.logicalIdsOfType("AWS::Serverless::Function").contains(String.valueOf(target));
                                // Only the abort function starts executions, and only of the cleanup.
                                case "StepFunctionsExecutionPolicy" -> "shop-migration-cleanup".equals(target);
                                // The link secret, and no other.
                                case "AWSSecretsManagerGetSecretValuePolicy" -> SECRET_ARN.equals(target);
                                default -> MACHINE_ARN.endsWith(":" + target);
                            };
                            if (!inStack) {
                                findings.add(id + ": " + name + " points at " + target + ", not at this stack");
                            }
                        }
                    }
                }
            }
        }
        for (String id : t.logicalIdsOfType("AWS::IAM::Policy")) {
            findings.add(id + ": a free-standing IAM policy; attach scoped statements to the function instead");
        }
        assertThat(statements).as("the template's own statements were read").isGreaterThan(5);
        assertThat(findings).isEmpty();
    }

    /**
     * The table grant is exactly what the code can call: the DynamoDB client methods used in
     * the functions' sources, as IAM actions (a transaction's writes are authorised as their
     * Put, Update and Delete). Nothing scans, so nothing may Scan.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionMayCallExactlyTheTableActionsTheCodeUses() throws IOException {
        Map<String, List<String>> iam = Map.of("getItem", List.of("dynamodb:GetItem"), "putItem", List.of("dynamodb:PutItem"),
                "updateItem", List.of("dynamodb:UpdateItem"), "deleteItem", List.of("dynamodb:DeleteItem"), "query", List.of("dynamodb:Query"),
                "scan", List.of("dynamodb:Scan"), "batchGetItem", List.of("dynamodb:BatchGetItem"), "batchWriteItem", List.of("dynamodb:BatchWriteItem"),
                "transactGetItems", List.of("dynamodb:GetItem"),
                "transactWriteItems", List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"));
        Set<String> used = new java.util.TreeSet<>();
        java.util.regex.Pattern call = java.util.regex.Pattern.compile("\\.(" + String.join("|", iam.keySet()) + ")(Paginator)?\\(");
        try (var files = java.nio.file.Files.walk(Repo.root().resolve("functions"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/")).toList()) {
                String code = java.nio.file.Files.readString(f);
                if (!code.contains("DynamoDbClient") && !code.contains("services.dynamodb")) {
                    continue;
                }
                java.util.regex.Matcher m = call.matcher(code);
                while (m.find()) {
                    used.addAll(iam.get(m.group(1)));
                }
            }
        }
        assertThat(used).as("DynamoDB actions the code calls").contains("dynamodb:GetItem", "dynamodb:PutItem").doesNotContain("dynamodb:Scan");
        SamTemplate t = TemplateAndStateMachineTest.template();
        SamTemplate.Resolver resolver = resolver(t);
        for (String id : t.logicalIdsOfType("AWS::Serverless::Function")) {
            Set<String> granted = new java.util.TreeSet<>();
            for (Object policy : (List<Object>) SamTemplate.properties(t.resource(id)).get("Policies")) {
                if (policy instanceof Map<?, ?> map && map.get("Statement") instanceof List<?> statements) {
                    for (Object st : statements) {
                        Map<String, Object> s = (Map<String, Object>) resolver.resolve(st);
                        List<String> actions = s.get("Action") instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(s.get("Action")));
                        actions.stream().filter(a -> a.startsWith("dynamodb:")).forEach(granted::add);
                    }
                }
            }
            assertThat(granted).as(id + " may call on the table").isEqualTo(used);
        }
    }

    /**
     * The link secret is read by exactly the functions that sign or verify links and webhook
     * signatures, each told its ARN (LINK_SECRET_ARN) and granted GetSecretValue on exactly that
     * secret: the stack's own, or the operator's when ExistingLinkSecretArn names one.
     */
    @Test
    @SuppressWarnings("unchecked")
    void onlyTheFunctionsThatSignMayReadTheLinkSecretAndOnlyIt() throws IOException {
        SamTemplate t = TemplateAndStateMachineTest.template();
        String operators = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop/link-secret-a1B2c3";
        for (Map<String, Object> parameters : List.<Map<String, Object>>of(Map.of(), Map.of("ExistingLinkSecretArn", operators))) {
            String expected = parameters.isEmpty() ? SECRET_ARN : operators;
            SamTemplate.Resolver resolver = resolver(t, parameters);
            Set<String> readers = new java.util.TreeSet<>();
            for (String id : t.logicalIdsOfType("AWS::Serverless::Function")) {
                Map<String, Object> props = SamTemplate.properties(t.resource(id));
                List<Object> granted = new ArrayList<>();
                for (Object policy : (List<Object>) props.get("Policies")) {
                    if (policy instanceof Map<?, ?> map && map.containsKey("AWSSecretsManagerGetSecretValuePolicy")) {
                        granted.add(resolver.resolve(((Map<String, Object>) map.get("AWSSecretsManagerGetSecretValuePolicy")).get("SecretArn")));
                    }
                }
                Object env = resolver.resolve(((Map<String, Object>) ((Map<String, Object>) props.getOrDefault("Environment", Map.of()))
                        .getOrDefault("Variables", Map.of())).get("LINK_SECRET_ARN"));
                if (env != null || !granted.isEmpty()) {
                    readers.add(id);
                    assertThat(env).as(id + " is told the secret it may read").isEqualTo(expected);
                    assertThat(granted).as(id + " may read the secret it is told").containsExactly(expected);
                }
            }
            assertThat(readers).as("functions that read the link secret").isEqualTo(new java.util.TreeSet<>(SIGNERS));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> check(String owner, Map<String, Object> statement) {
        List<String> findings = new ArrayList<>();
        if (!"Allow".equals(statement.get("Effect"))) {
            return findings;
        }
        List<String> actions = statement.get("Action") instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(statement.get("Action")));
        List<String> resources = statement.get("Resource") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(statement.get("Resource")));
        for (String action : actions) {
            if (action.equals("*") || action.endsWith(":*") || !action.contains(":")) {
                findings.add(owner + ": wildcard action " + action);
                continue;
            }
            for (String resource : resources) {
                if (UNSCOPABLE.contains(action + " -> " + resource)) {
                    continue;
                }
                if (resource.equals("*") || !scoped(action, resource)) {
                    findings.add(owner + ": " + action + " on " + resource);
                }
            }
        }
        return findings;
    }

    @Test
    void theCheckCatchesAWildcard() {
        assertThat(check("X", Map.of("Effect", "Allow", "Action", "route53:*", "Resource", "*"))).hasSize(1);
        assertThat(check("X", Map.of("Effect", "Allow", "Action", List.of("route53:ChangeResourceRecordSets"), "Resource", "*")))
                .containsExactly("X: route53:ChangeResourceRecordSets on *");
        assertThat(check("X", Map.of("Effect", "Allow", "Action", "ses:SendEmail",
                "Resource", SES_IDENTITY + "*"))).hasSize(1);
        assertThat(check("X", Map.of("Effect", "Allow", "Action", "route53:ChangeResourceRecordSets",
                "Resource", "arn:aws:route53:::hostedzone/" + ZONES.get(0)))).isEmpty();
    }
}
