package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** template.yaml and statemachine.asl.json agree with each other, with the code and with the plan. */
class TemplateAndStateMachineTest {

    static final Path ROOT = Repo.root();

    static JsonNode asl() throws IOException {
        return Json.read(Files.readString(ROOT.resolve("statemachine.asl.json")));
    }

    static JsonNode cleanupAsl() throws IOException {
        return Json.read(Files.readString(ROOT.resolve("cleanup.asl.json")));
    }

    static SamTemplate template() throws IOException {
        return SamTemplate.load(ROOT.resolve("template.yaml"));
    }

    @Test
    void everyAslPlaceholderIsSubstitutedAndEverySubstitutionIsUsed() throws IOException {
        SamTemplate t = template();
        assertThat(t.logicalIdsOfType("AWS::Serverless::StateMachine")).containsExactlyInAnyOrder("MigrationStateMachine", "CleanupStateMachine");
        for (String machine : t.logicalIdsOfType("AWS::Serverless::StateMachine")) {
            Map<String, Object> props = SamTemplate.properties(t.resource(machine));
            Set<String> used = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(Files.readString(ROOT.resolve(String.valueOf(props.get("DefinitionUri")))));
            while (m.find()) {
                used.add(m.group(1));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> subs = (Map<String, Object>) props.get("DefinitionSubstitutions");
            assertThat(used).as("placeholders in the ASL of " + machine).isEqualTo(new TreeSet<>(subs.keySet()));
            subs.keySet().stream().filter(k -> k.endsWith("FunctionArn")).forEach(k ->
                    assertThat(subs.get(k)).as(k + " calls the function's SnapStart alias").isEqualTo(Map.of("Ref", k.replace("FunctionArn", "Function") + ".Alias")));
        }
    }

    @Test
    void everyHandlerNamedInTheTemplateExistsAndBuildsFromItsEnvironment() throws Exception {
        SamTemplate t = template();
        List<String> functions = t.logicalIdsOfType("AWS::Serverless::Function");
        assertThat(functions).hasSize(12);
        for (String id : functions) {
            String handler = String.valueOf(SamTemplate.properties(t.resource(id)).get("Handler"));
            assertThat(handler).as(id).endsWith("::handleRequest");
            Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
            // Lambda builds the handler with its public no-argument constructor; the local cloud with the Env one.
            assertThat(java.util.Arrays.stream(type.getConstructors()).map(c -> List.of(c.getParameterTypes())))
                    .as(id + " has the constructor Lambda calls and one taking its environment")
                    .contains(List.of(), List.of(Env.class));
            assertThat(t.resource(id).get("Metadata")).as(id).isEqualTo(Map.of("BuildMethod", "makefile"));
        }
    }

    /**
     * The link secret is in Secrets Manager only: no parameter carries a key (anyone who may read
     * the stack or the functions' configuration could forge every link with it), no function's
     * environment holds one, and the stack's own secret is generated long, from letters and digits.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theLinkSecretIsInSecretsManagerAndNowhereElse() throws IOException {
        SamTemplate t = template();
        assertThat(t.parameters()).doesNotContainKey("LinkSecret");
        t.parameters().forEach((name, spec) -> assertThat(((Map<String, Object>) spec).get("NoEcho")).as(name + ": a secret as a parameter").isNull());
        Object secretArn = Map.of("Fn::If", List.of("CreatesLinkSecret", Map.of("Ref", "LinkSecret"), Map.of("Ref", "ExistingLinkSecretArn")));
        for (String id : t.logicalIdsOfType("AWS::Serverless::Function")) {
            t.variablesAsWritten(id).forEach((name, value) -> {
                if (name.contains("SECRET")) {
                    assertThat(name).as(id + ": only the secret's ARN is in the environment").isEqualTo("LINK_SECRET_ARN");
                    assertThat(value).as(id).isEqualTo(secretArn);
                }
            });
        }
        Map<String, Object> secret = t.resource("LinkSecret");
        assertThat(secret.get("Type")).isEqualTo("AWS::SecretsManager::Secret");
        assertThat(secret.get("Condition")).isEqualTo("CreatesLinkSecret");
        Map<String, Object> generate = (Map<String, Object>) SamTemplate.properties(secret).get("GenerateSecretString");
        assertThat(((Number) generate.get("PasswordLength")).intValue()).isGreaterThanOrEqualTo(de.shopmigration.core.links.LinkKeys.MIN_LENGTH * 2);
        assertThat(generate).containsEntry("ExcludePunctuation", true).doesNotContainKey("IncludeSpace");
        assertThat(t.output("LinkSecretArn").get("Value")).as("operators find the secret from the stack's outputs").isEqualTo(secretArn);
    }

    @Tag("full")
    @Test
    void templateIsCleanForCfnLint() throws Exception {
        Process p = new ProcessBuilder("cfn-lint", "template.yaml").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Nothing fails silently: every function, both state machines and the API have an alarm that reaches staff. */
    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionStateMachineAndTheApiHaveAnAlarmThatReachesStaff() throws IOException {
        SamTemplate t = template();
        // The rules SAM writes for a function's EventBridge events are named function + event.
        Set<String> generated = new TreeSet<>();
        for (String function : t.logicalIdsOfType("AWS::Serverless::Function")) {
            Object events = SamTemplate.properties(t.resource(function)).get("Events");
            if (events instanceof Map<?, ?> named) {
                named.forEach((name, event) -> generated.add(function + name));
            }
        }
        Set<String> watched = new TreeSet<>();
        for (String alarm : t.logicalIdsOfType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> props = SamTemplate.properties(t.resource(alarm));
            assertThat(props.get("AlarmActions")).as(alarm + " tells staff").isEqualTo(List.of(Map.of("Ref", "OpsTopic")));
            assertThat(props.get("TreatMissingData")).as(alarm + ": no data is good news").isEqualTo("notBreaching");
            List<Map<String, Object>> queries = (List<Map<String, Object>>) props.getOrDefault("Metrics", List.of(props));
            // AWS: an alarm on a metric math expression references at most 10 metrics (a hard limit).
            assertThat(queries.stream().filter(q -> q.containsKey("MetricStat")).count()).as(alarm + " metrics").isLessThanOrEqualTo(10);
            for (Map<String, Object> q : queries) {
                Map<String, Object> metric = q.containsKey("MetricStat")
                        ? (Map<String, Object>) ((Map<String, Object>) q.get("MetricStat")).get("Metric") : q.containsKey("MetricName") ? q : null;
                if (metric != null) {
                    for (Map<String, Object> d : (List<Map<String, Object>>) metric.get("Dimensions")) {
                        Object value = d.get("Value");
                        if (value instanceof Map<?, ?> ref && ref.get("Ref") != null) {
                            assertThat(generated.contains(String.valueOf(ref.get("Ref"))) || t.resources().containsKey(String.valueOf(ref.get("Ref"))))
                                    .as(alarm + " names a resource of the template: " + ref.get("Ref")).isTrue();
                            watched.add(metric.get("MetricName") + " " + ref.get("Ref"));
                        }
                    }
                }
            }
        }
        for (String function : t.logicalIdsOfType("AWS::Serverless::Function")) {
            assertThat(watched).as("alarms on " + function).contains("Errors " + function, "Throttles " + function);
        }
        for (String machine : t.logicalIdsOfType("AWS::Serverless::StateMachine")) {
            assertThat(watched).as("alarms on " + machine).contains("ExecutionsFailed " + machine, "ExecutionsTimedOut " + machine);
        }
        assertThat(watched).contains("5xx LinkApi", "FailedInvocations AbortFunctionMigrationEnded");
        // The access log names no path: the path of a link page is the link, and a link is a capability.
        Map<String, Object> accessLog = (Map<String, Object>) SamTemplate.properties(t.resource("LinkApi")).get("AccessLogSettings");
        assertThat(String.valueOf(accessLog.get("Format"))).contains("$context.requestId", "$context.status")
                .doesNotContain("$context.path", "rawPath", "$context.routeKey\"\"", "querystring", "header");
        assertThat(SamTemplate.properties(t.resource("MigrationTable"))).as("the records survive a stray delete")
                .containsEntry("DeletionProtectionEnabled", true);
        assertThat((Map<String, Object>) SamTemplate.properties(t.resource("MigrationTable")).get("TimeToLiveSpecification"))
                .as("the table deletes what the code marks (de.shopmigration.core.Retention)")
                .containsEntry("AttributeName", de.shopmigration.core.Retention.ATTRIBUTE).containsEntry("Enabled", true);
        for (String machine : t.logicalIdsOfType("AWS::Serverless::StateMachine")) {
            Map<String, Object> logging = (Map<String, Object>) SamTemplate.properties(t.resource(machine)).get("Logging");
            assertThat(logging).as(machine + " logs errors without execution data (it holds personal data)")
                    .containsEntry("Level", "ERROR").containsEntry("IncludeExecutionData", false);
        }
    }

    /** Every state of the machine and of its Parallel branches, by name. */
    static Map<String, JsonNode> allStates(JsonNode machine) {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        machine.get("States").fields().forEachRemaining(e -> {
            states.put(e.getKey(), e.getValue());
            e.getValue().path("Branches").forEach(b -> states.putAll(allStates(b)));
        });
        return states;
    }

    static List<String> targets(JsonNode state) {
        List<String> out = new ArrayList<>();
        if (state.has("Next")) {
            out.add(state.get("Next").asText());
        }
        if (state.has("Default")) {
            out.add(state.get("Default").asText());
        }
        state.path("Choices").forEach(c -> out.add(c.get("Next").asText()));
        state.path("Catch").forEach(c -> out.add(c.get("Next").asText()));
        return out;
    }

    @Test
    void everyTransitionLeadsToAStateOfItsScopeAndEveryStateIsReachable() throws IOException {
        checkScope(asl());
        checkScope(cleanupAsl());
    }

    private void checkScope(JsonNode machine) {
        JsonNode states = machine.get("States");
        Deque<String> todo = new ArrayDeque<>(List.of(machine.get("StartAt").asText()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            JsonNode state = states.get(name);
            assertThat(state).as("state " + name + " exists in its scope").isNotNull();
            todo.addAll(targets(state));
            state.path("Branches").forEach(this::checkScope);
        }
        List<String> unreachable = new ArrayList<>();
        states.fieldNames().forEachRemaining(n -> {
            if (!seen.contains(n)) {
                unreachable.add(n);
            }
        });
        assertThat(unreachable).as("unreachable states").isEmpty();
    }

    @Test
    void allSevenPhasesAreInTheGraphWithTheirSteps() throws IOException {
        Set<String> names = allStates(asl()).keySet();
        for (int phase = 1; phase <= 7; phase++) {
            int p = phase;
            assertThat(names.stream().filter(n -> n.startsWith("Phase " + p + " · ")).count()).as("states of phase " + p).isGreaterThanOrEqualTo(3);
        }
        assertThat(names).contains("Phase 1 · Send the questionnaire and wait for the answers", "Phase 1 · Lower the DNS TTLs",
                "Phase 2 · Ask staff to prepare the new cluster", "Phase 2 · Announce the code freeze",
                "Phase 2 · Copy the application for the test system", "Phase 3 · Send the test scenarios and wait for the results",
                "Phase 4 · Optimisation ordered?", "Phase 4 · Require a full retest", "Phase 5 · Check nameservers and TTLs",
                "Phase 5 · Ask the customer to book a go-live slot", "Phase 5 · Wait until the day before the go-live",
                "Phase 5 · Wait until the go-live slot",
                "Phase 6 · Ask the customer to switch on maintenance mode", "Phase 6 · Copy the current data once more",
                "Phase 6 · Ask staff to switch off maintenance mode on the new cluster", "Phase 6 · Ask the customer to check the application",
                "Phase 6 · Switch DNS to the new server", "Phase 7 · Wait out the 24-hour error window",
                "Phase 7 · Restore the original TTLs", "Phase 7 · Send the summary", "Abort · Record why the migration stops");
        names.stream().filter(n -> allStatesType(n).equals("Choice")).forEach(n -> assertThat(n).as("a Choice reads as a question").endsWith("?"));
        allStates(cleanupAsl()).forEach((n, state) -> {
            if (state.path("Type").asText().equals("Choice")) {
                assertThat(n).as("a Choice reads as a question").endsWith("?");
            } else if (state.path("Type").asText().equals("Task")) {
                assertThat(n).as("a cleanup step reads as one").startsWith("Cleanup · ");
            }
        });
    }

    /** Whether a state can go on to {@code target} (Next, a choice, the default, a catch). */
    private static boolean leadsTo(JsonNode state, String target) {
        if (target.equals(state.path("Next").asText()) || target.equals(state.path("Default").asText())) {
            return true;
        }
        for (JsonNode c : state.path("Choices")) {
            if (target.equals(c.path("Next").asText())) {
                return true;
            }
        }
        for (JsonNode c : state.path("Catch")) {
            if (target.equals(c.path("Next").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Where the machine and each Parallel branch start. */
    private static List<String> startsAt(JsonNode machine) {
        List<String> starts = new java.util.ArrayList<>(List.of(machine.path("StartAt").asText()));
        machine.path("States").forEach(state -> state.path("Branches").forEach(b -> starts.addAll(startsAt(b))));
        return starts;
    }

    private static String allStatesType(String name) {
        try {
            return allStates(asl()).get(name).get("Type").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyWaitForAPersonHasATimeoutThatRemindsAndComesBack() throws IOException {
        Map<String, JsonNode> states = allStates(asl());
        List<String> waitedSteps = new java.util.ArrayList<>();
        for (Map.Entry<String, JsonNode> e : states.entrySet()) {
            JsonNode s = e.getValue();
            if (!s.path("Resource").asText().endsWith(".waitForTaskToken")) {
                continue;
            }
            waitedSteps.add(s.path("Parameters").path("Payload").path("step").asText());
            assertThat(s.has("TimeoutSecondsPath") || s.has("TimeoutSeconds")).as(e.getKey() + " has a timeout").isTrue();
            JsonNode timeout = null;
            for (JsonNode c : s.path("Catch")) {
                if (c.path("ErrorEquals").toString().contains("States.Timeout")) {
                    timeout = c;
                }
            }
            assertThat(timeout).as(e.getKey() + " catches its timeout").isNotNull();
            if (s.path("Parameters").path("Payload").path("step").asText().equals("GO_LIVE_WAIT")) {
                // The countdown to the slot: its timeout is the schedule, not a late answer.
                assertThat(timeout.get("Next").asText()).isIn("Phase 5 · Remind the customer of the go-live (if due)", "Phase 6 · Going live begins");
                continue;
            }
            JsonNode reminder = states.get(timeout.get("Next").asText());
            assertThat(reminder.path("Parameters").path("FunctionName").asText()).isEqualTo("${RemindFunctionArn}");
            assertThat(reminder.get("Next").asText()).as("the reminder returns to the wait").isEqualTo(e.getKey());
            // The reminder sets the wait's next timeout (later after each escalation, the morning at
            // night); every other way into the wait starts the clock at the usual interval.
            assertThat(s.path("TimeoutSecondsPath").asText()).as(e.getKey()).isEqualTo("$.reminder.afterSeconds");
            assertThat(reminder.path("ResultPath").asText()).isEqualTo("$.reminder");
            assertThat(reminder.path("ResultSelector").path("afterSeconds.$").asText()).isEqualTo("$.Payload.nextReminderSeconds");
            String usual = reminder.path("Parameters").path("Payload").path("intervalSeconds.$").asText();
            assertThat(usual).as(e.getKey() + " reminder knows the usual interval").startsWith("$.timing.");
            assertThat(startsAt(asl())).as("no branch starts at a wait without its clock").doesNotContain(e.getKey());
            for (Map.Entry<String, JsonNode> other : allStates(asl()).entrySet()) {
                if (other.getKey().equals(timeout.get("Next").asText()) || !leadsTo(other.getValue(), e.getKey())) {
                    continue;
                }
                assertThat(other.getValue().path("Type").asText()).as(other.getKey() + " -> " + e.getKey()).isEqualTo("Pass");
                assertThat(other.getValue().path("ResultPath").asText()).isEqualTo("$.reminder");
                assertThat(other.getValue().path("Parameters").path("afterSeconds.$").asText()).as(other.getKey()).isEqualTo(usual);
            }
            assertThat(s.path("Parameters").path("Payload").path("taskToken.$").asText()).isEqualTo("$$.Task.Token");
        }
        // Every step a person answers has exactly one wait in the state machine (the go-live countdown two:
        // before and after the reminder), and nothing else waits.
        List<String> expected = new java.util.ArrayList<>(
                java.util.Arrays.stream(de.shopmigration.core.Step.values()).map(Enum::name).toList());
        expected.add("GO_LIVE_WAIT");
        assertThat(waitedSteps).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyTopLevelTaskRetriesTransientErrorsAndCatchesTheRestOnTheAbortPath() throws IOException {
        JsonNode states = asl().get("States");
        states.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (!s.path("Type").asText().equals("Task") && !s.path("Type").asText().equals("Parallel")) {
                return;
            }
            if (s.path("Type").asText().equals("Task")) {
                assertThat(s.path("Retry").isEmpty()).as(e.getKey() + " retries").isFalse();
            }
            if (e.getKey().startsWith("Abort") || e.getKey().equals("Check the migration request")
                    || e.getKey().equals("Phase 7 · Send the summary")) {
                return;
            }
            boolean aborts = false;
            for (JsonNode c : s.path("Catch")) {
                aborts |= c.path("ErrorEquals").toString().contains("States.ALL")
                        && c.path("Next").asText().equals("Abort · Record why the migration stops");
            }
            assertThat(aborts).as(e.getKey() + " leads to abort and cleanup on failure").isTrue();
        });
    }

    /**
     * The abort path keeps the failure and ends the execution as failed, whatever happens to the
     * record; every end but success (stopped, failed, timed out) starts the cleanup state machine,
     * whose every step retries transient errors and ends in a failure staff see when it gives up.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyUnsuccessfulEndStartsTheCleanupWhoseStepsRetryAndReportWhenTheyGiveUp() throws IOException {
        JsonNode abort = asl().get("States").get("Abort · Record why the migration stops");
        assertThat(abort.path("Resource").asText()).isEqualTo("arn:${Partition}:states:::dynamodb:updateItem");
        assertThat(abort.path("Next").asText()).isEqualTo("Migration aborted");
        assertThat(abort.path("Catch").get(0).path("Next").asText()).isEqualTo("Migration aborted");
        assertThat(asl().get("States").get("Migration aborted").path("Type").asText()).isEqualTo("Fail");

        SamTemplate t = template();
        Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) SamTemplate.properties(t.resource("AbortFunction"))
                .get("Events")).get("MigrationEnded");
        assertThat(rule.get("Type")).isEqualTo("EventBridgeRule");
        Map<String, Object> detail = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) rule.get("Properties"))
                .get("Pattern")).get("detail");
        assertThat((List<String>) detail.get("status")).containsExactlyInAnyOrder("ABORTED", "FAILED", "TIMED_OUT");
        assertThat(String.valueOf(detail.get("stateMachineArn"))).contains("${AWS::StackName}-migration");

        cleanupAsl().get("States").fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (!s.path("Type").asText().equals("Task")) {
                return;
            }
            assertThat(s.path("Retry").get(0).path("ErrorEquals").toString()).as(e.getKey() + " retries")
                    .contains("Lambda.TooManyRequestsException", "de.shopmigration.core.TransientAwsFailure");
            assertThat(s.path("Catch").get(0).path("ErrorEquals").toString()).contains("States.ALL");
            // Staff are told what is left before the execution fails; telling them is the one step that may only fail.
            assertThat(s.path("Catch").get(0).path("Next").asText()).as(e.getKey()).isEqualTo(
                    e.getKey().equals("Cleanup · Tell staff what is left to do") ? "Cleanup failed: staff must finish it by hand"
                            : e.getKey().equals("Cleanup · Mark the migration as aborting") ? "Cleanup · Name the migration after its execution"
                            : "Cleanup · Tell staff what is left to do");
        });
        assertThat(cleanupAsl().get("States").get("Cleanup · Name the migration after its execution").path("Next").asText())
                .isEqualTo("Cleanup · Tell staff what is left to do");
        assertThat(cleanupAsl().get("States").get("Cleanup failed: staff must finish it by hand").path("Type").asText()).isEqualTo("Fail");
    }
}
