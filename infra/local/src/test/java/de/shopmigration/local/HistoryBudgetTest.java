package de.shopmigration.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Audience;
import de.shopmigration.core.store.ErrorReports;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.ReminderSchedule;
import de.shopmigration.core.Rounds;
import de.shopmigration.core.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Step Functions ends an execution at 25,000 history events. This test measures what each kind
 * of state costs in events on the emulator's interpreter (and that the reminders really slow
 * down), then bounds every loop of statemachine.asl.json at the worst timing the input schema
 * allows: reminder loops by their schedule over the one year an execution may live, Route 53
 * polls by their patience, and every other cycle by {@link Rounds#MAX}. The sum must stay below
 * the limit with room for retries. docs/history-budget.md explains the arithmetic.
 */
class HistoryBudgetTest extends CloudTest {

    static final int HISTORY_LIMIT = 25_000;
    /** Room kept for retried tasks (each retry adds three events) and what the model leaves out. */
    static final double MARGIN = 0.8;
    static final long YEAR_SECONDS = 366L * 24 * 3600;

    /** Events a visit of each kind of state costs, measured below (largest seen). */
    record Costs(int lambdaTask, int waitTask, int dynamoTask, int pass, int choice, int waitState, int reminderCycle) {
    }

    @Test
    void remindersSlowDownAndNoExecutionCanOutgrowItsHistory() throws Exception {
        String id = "M-BUDGET-1";
        String timing = """
                {"customerReminderSeconds": 1, "maxReminders": 2, "staffReminderSeconds": 600, "goLiveReminderSeconds": 600,
                 "dnsPollSeconds": 1, "errorWindowSeconds": 3, "slotLeadSeconds": 0, "slotWaitCapSeconds": 2,
                 "quietFromHour": 0, "quietToHour": 0}""";
        String arn = cloud.startMigration(id, input("budget", timing, null));
        Mailbox mail = cloud.mailbox();
        // Two reminders and the first escalation a second apart; then the wait sleeps for the floor.
        Mailbox.Mail questionnaire = mail.await(id, "QUESTIONNAIRE", WAIT);
        mail.await(id, "QUESTIONNAIRE_ESCALATION", WAIT);
        for (int i = 0; i < 100 && questionnaireTimeouts(arn).size() < 4; i++) {
            Thread.sleep(100);
        }
        answerQuestionnaire(questionnaire, Map.of());
        confirm(mail.await(id, "CLUSTER_PREPARATION", WAIT), "Cluster ist vorbereitet", Map.of());
        confirm(mail.await(id, "INITIAL_COPY", WAIT), "Kopie abgeschlossen", Map.of());
        // One round of the test loop: problems, fix, retest.
        confirm(mail.await(id, "TEST_RESULTS", WAIT), "Probleme melden", Map.of("description", "Suche findet nichts"));
        Mailbox.Mail fix = mail.await(id, "PROBLEM_FIX", WAIT);
        confirm(fix, "Probleme behoben", Map.of());
        mail.await(m -> id.equals(m.migrationId()) && m.kind().equals("TEST_RESULTS") && m.subject().contains("behoben"), WAIT, "retest");
        abortToEnd(fix);
        cloud.awaitEnd(arn, WAIT);

        List<HistoryEvent> history;
        try (SfnClient sfn = cloud.sfn()) {
            history = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events().stream().toList();
        }
        String wait = "Phase 1 · Send the questionnaire and wait for the answers";
        List<Integer> entries = new ArrayList<>();
        List<Long> timeouts = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            if (e.stateEnteredEventDetails() != null && e.stateEnteredEventDetails().name().equals(wait)) {
                entries.add(i);
            }
            if (e.taskScheduledEventDetails() != null && e.taskScheduledEventDetails().timeoutInSeconds() != null
                    && e.taskScheduledEventDetails().parameters().contains("QUESTIONNAIRE")) {
                timeouts.add(e.taskScheduledEventDetails().timeoutInSeconds());
            }
        }
        // The interpreter really waited 1, 1, 1 (two reminders, the first escalation), then the floor.
        long floor = ReminderSchedule.ESCALATION_FLOOR_SECONDS;
        assertThat(timeouts).as("the questionnaire wait's timeouts, entry by entry").startsWith(1L, 1L, 1L, floor);
        // Timeout, reminder, the wait again. The questionnaire waits inside a Parallel state, whose
        // other branch's events interleave with the first cycles: the smallest distance is the cycle.
        assertThat(entries).hasSizeGreaterThanOrEqualTo(4);
        int cycle = Integer.MAX_VALUE;
        for (int i = 1; i < entries.size(); i++) {
            cycle = Math.min(cycle, entries.get(i) - entries.get(i - 1));
        }
        List<String> unusual = new ArrayList<>();
        Costs costs = measure(history, cycle, unusual);

        Budget budget = worstCase(costs);
        Files.createDirectories(Repo.root().resolve("target"));
        Files.writeString(Repo.root().resolve("target/history-budget.txt"), budget.report()
                + (unusual.isEmpty() ? "" : "Visits of another length than their kind's price (stray callbacks, timeouts; the margin's):\n  "
                        + String.join("\n  ", unusual) + "\n"));
        assertThat(budget.total()).as(budget.report() + "unusual visits: " + unusual).isLessThan((long) (HISTORY_LIMIT * MARGIN));
    }

    private List<Long> questionnaireTimeouts(String arn) {
        try (SfnClient sfn = cloud.sfn()) {
            return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events().stream()
                    .filter(e -> e.taskScheduledEventDetails() != null && e.taskScheduledEventDetails().timeoutInSeconds() != null
                            && e.taskScheduledEventDetails().parameters().contains("QUESTIONNAIRE"))
                    .map(e -> e.taskScheduledEventDetails().timeoutInSeconds()).toList();
        }
    }

    /**
     * Events per visit by kind of state, from the execution's history. Only states outside the
     * Parallel state count: inside it, the other branch's events interleave with a visit's.
     *
     * <p>A kind's price is its shortest visit that went through (a task's: one that ended in
     * TaskSucceeded): a Lambda task is entered, scheduled, started, succeeded, exited; a wait for a
     * task token also submitted. On CI's loaded machine the emulator writes a stale token's
     * callback into whatever visit is open (AWS refuses such a call) and lets a wait time out
     * without its TaskSubmitted, so neither the longest nor the most common visit is the price.
     * Longer visits are the margin's business; visits of another length are listed in {@code unusual} with
     * their events, so a CI log shows what they were.
     */
    private static Costs measure(List<HistoryEvent> history, int reminderCycle, List<String> unusual) throws IOException {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        TemplateAndStateMachineTest.asl().path("States").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue()));
        Map<String, Integer> price = new HashMap<>();
        Map<String, List<String>> visits = new HashMap<>();
        Map<String, Integer> openedAt = new HashMap<>();
        for (int i = 0; i < history.size(); i++) {
            HistoryEvent e = history.get(i);
            if (e.stateEnteredEventDetails() != null) {
                openedAt.put(e.stateEnteredEventDetails().name(), i);
            } else if (e.stateExitedEventDetails() != null && openedAt.containsKey(e.stateExitedEventDetails().name())) {
                String name = e.stateExitedEventDetails().name();
                JsonNode state = states.get(name);
                int from = openedAt.remove(name);
                if (state != null && !state.path("Type").asText().equals("Parallel")) {
                    List<HistoryEvent> visit = history.subList(from, i + 1);
                    boolean task = state.path("Type").asText().equals("Task");
                    if (!task || visit.get(visit.size() - 2).typeAsString().equals("TaskSucceeded")) {
                        price.merge(kind(state), visit.size(), Math::min);
                    }
                    visits.computeIfAbsent(kind(state), k -> new ArrayList<>())
                            .add(visit.size() + " " + name + ": " + visit.stream().map(HistoryEvent::typeAsString).toList());
                }
            }
        }
        assertThat(price).as("kinds of state measured").containsKeys("lambda", "wait", "dynamodb", "Pass", "Choice");
        visits.forEach((kind, list) -> list.stream().filter(v -> !v.startsWith(price.get(kind) + " "))
                .limit(Math.max(0, 10 - unusual.size())).forEach(unusual::add));
        return new Costs(price.get("lambda"), price.get("wait"), price.get("dynamodb"), price.get("Pass"), price.get("Choice"),
                price.getOrDefault("Wait", price.get("Pass")), reminderCycle);
    }

    static String kind(JsonNode state) {
        String type = state.path("Type").asText();
        if (!type.equals("Task")) {
            return type;
        }
        String resource = state.path("Resource").asText();
        return resource.endsWith(".waitForTaskToken") ? "wait" : resource.contains(":dynamodb:") ? "dynamodb" : "lambda";
    }

    static int cost(JsonNode state, Costs c) {
        return switch (kind(state)) {
            case "wait" -> c.waitTask();
            case "lambda" -> c.lambdaTask();
            case "dynamodb" -> c.dynamoTask();
            case "Choice" -> c.choice();
            case "Wait" -> c.waitState();
            // A Parallel state's own events: entered, started, succeeded, exited.
            case "Parallel" -> 4;
            default -> c.pass();
        };
    }

    record Budget(Map<String, Long> parts) {
        long total() {
            return parts.values().stream().mapToLong(Long::longValue).sum();
        }

        String report() {
            StringBuilder out = new StringBuilder("History events of one execution, worst case (limit " + HISTORY_LIMIT + "):\n");
            parts.forEach((k, v) -> out.append(String.format("  %-72s %7d%n", k, v)));
            return out.append(String.format("  %-72s %7d%n", "total", total())).toString();
        }
    }

    /** The arithmetic of docs/history-budget.md, from the ASL's graph, the schema's bounds and the measured costs. */
    static Budget worstCase(Costs c) throws IOException {
        JsonNode asl = TemplateAndStateMachineTest.asl();
        Map<String, JsonNode> states = TemplateAndStateMachineTest.allStates(asl);
        JsonNode timing = Json.read(Files.readString(Repo.root().resolve("functions/intake/src/main/resources/migration-input.schema.json")))
                .path("properties").path("timing").path("properties");
        int maxReminders = timing.path("maxReminders").path("maximum").asInt();
        long shortestInterval = Math.min(Math.min(timing.path("customerReminderSeconds").path("minimum").asLong(),
                timing.path("staffReminderSeconds").path("minimum").asLong()),
                Math.min(timing.path("goLiveReminderSeconds").path("minimum").asLong(), timing.path("copyTimeoutSeconds").path("minimum").asLong()));
        long shortestPoll = timing.path("dnsPollSeconds").path("minimum").asLong();

        // The graph without the loops bounded by time: a wait's reminder and a Route 53 poll.
        Set<String> reminderSteps = new HashSet<>();
        Set<String> waitsWithReminders = new HashSet<>();
        Set<String> pollWaits = new HashSet<>();
        states.forEach((name, s) -> {
            for (JsonNode c2 : s.path("Catch")) {
                if (c2.path("ErrorEquals").toString().contains("States.Timeout")) {
                    JsonNode r = states.get(c2.path("Next").asText());
                    if (r.path("Parameters").path("FunctionName").asText().equals("${RemindFunctionArn}")) {
                        reminderSteps.add(c2.path("Next").asText());
                        waitsWithReminders.add(name);
                    }
                }
            }
            if (s.path("Type").asText().equals("Wait") && s.path("SecondsPath").asText().endsWith(".nextPollSeconds")) {
                pollWaits.add(name);
            }
        });
        // The lookups of DNS elsewhere: every 30th unanswered lookup asks the customer again (a capped round).
        String lookupPause = "Phase 6 · Wait before looking up again";
        assertThat(states).containsKey(lookupPause);
        // The close-out's checks for open error reports: at most ErrorReports.CLOSE_OUT_CHECKS, counted in the execution's state.
        String reportPause = "Phase 7 · Give staff time to fix the open error reports";
        assertThat(states).containsKey(reportPause);
        Map<String, List<String>> edges = new LinkedHashMap<>();
        states.forEach((name, s) -> {
            List<String> next = new ArrayList<>();
            if (reminderSteps.contains(name) || pollWaits.contains(name) || name.equals(lookupPause) || name.equals(reportPause)) {
                edges.put(name, next);
                return;
            }
            for (String n : List.of(s.path("Next").asText(), s.path("Default").asText())) {
                if (!n.isEmpty()) {
                    next.add(n);
                }
            }
            s.path("Choices").forEach(ch -> next.add(ch.path("Next").asText()));
            s.path("Catch").forEach(ch -> {
                if (!reminderSteps.contains(ch.path("Next").asText())) {
                    next.add(ch.path("Next").asText());
                }
            });
            edges.put(name, next);
        });

        // Every remaining cycle must pass a wait whose round is capped: that is its bound.
        Set<String> capped = new HashSet<>();
        states.forEach((name, s) -> {
            if (kind(s).equals("wait") && s.path("Parameters").path("Payload").has("round.$")) {
                capped.add(name);
            }
        });
        Map<String, Long> parts = new LinkedHashMap<>();
        long onePass = states.values().stream().mapToLong(s -> cost(s, c)).sum();
        parts.put("every state once (" + states.size() + " states)", onePass);

        Set<String> onCycles = new HashSet<>();
        long rounds = 0;
        for (String w : capped) {
            long longest = longestCycleThrough(w, edges, states, c, onCycles);
            rounds += longest * (Rounds.max(stepOf(states.get(w))) - 1);
        }
        for (List<String> cycle : cyclesAvoiding(capped, edges)) {
            throw new AssertionError("A loop without a capped round: " + cycle);
        }
        parts.put("extra rounds: " + capped.size() + " capped waits x " + (Rounds.MAX - 1) + " rounds (site reviews "
                + (Rounds.SITE_REVIEW_MAX - 1) + ") x their longest loop", rounds);

        // Reminder loops: per entry of a wait, its reminders, a night's deferral before each, and
        // its escalations; escalations double, so N entries sharing a year escalate at most
        // N * log2(year / (N * shortest interval) + 1) times (the log is concave).
        long entries = 0;
        long customerEntries = 0;
        for (String w : waitsWithReminders) {
            long n = onCycles.contains(w) ? Rounds.max(stepOf(states.get(w))) : 1;
            entries += n;
            if (Step.valueOf(states.get(w).path("Parameters").path("Payload").path("step").asText()).audience() == Audience.CUSTOMER) {
                customerEntries += n;
            }
        }
        // After the first escalation the pause is at least ReminderSchedule.ESCALATION_FLOOR and
        // doubles: an entry escalating for t seconds does so at most 1 + log2(t / floor + 1) times.
        long floor = ReminderSchedule.ESCALATION_FLOOR_SECONDS;
        assertThat(ReminderSchedule.nextSeconds(shortestInterval, 0, 1)).as("the second escalation waits the floor").isEqualTo(floor);
        assertThat(ReminderSchedule.nextSeconds(shortestInterval, 0, 2)).as("then twice as long each time").isEqualTo(2 * floor);
        long escalations = entries + (long) Math.ceil(entries * log2((double) YEAR_SECONDS / (entries * floor) + 1));
        long reminderCycles = entries * maxReminders + customerEntries * maxReminders + escalations;
        parts.put("reminder loops: " + entries + " wait entries x " + maxReminders + " reminders, " + customerEntries + " customer entries x "
                + maxReminders + " night deferrals, " + escalations + " escalations; x " + c.reminderCycle() + " events",
                reminderCycles * c.reminderCycle());

        // Route 53 polls: each pause a quarter of the time pending (at least the shortest poll,
        // at most 5 minutes) until the hour of patience is over.
        int polls = 0;
        for (double t = 0; t <= 3600; t += Math.max(shortestPoll, Math.min(300, t / 4))) {
            polls++;
        }
        long pollCost = 0;
        for (String pw : pollWaits) {
            JsonNode check = states.get(states.get(pw).path("Next").asText());
            JsonNode choice = states.get(check.path("Next").asText());
            pollCost += (long) polls * (cost(check, c) + cost(choice, c) + c.waitState());
        }
        parts.put("Route 53 polls: " + pollWaits.size() + " loops x " + polls + " polls", pollCost);

        // Lookups of DNS elsewhere: every 30 unanswered lookups the customer is asked again (a capped round).
        String lookup = "Phase 6 · Look up the DNS elsewhere";
        long lookups = (long) Rounds.MAX * 30 * (cost(states.get(lookup), c) + c.choice() + c.waitState());
        parts.put("lookups of DNS elsewhere: " + Rounds.MAX + " requests x 30 lookups", lookups);

        JsonNode reportCheck = states.get(states.get(reportPause).path("Next").asText());
        assertThat(reportCheck.path("Parameters").path("Payload").path("checks.$").asText()).as("the check counts its rounds")
                .isEqualTo("$.reportCheck.checks");
        parts.put("close-out checks for open error reports: " + ErrorReports.CLOSE_OUT_CHECKS + " checks",
                (long) ErrorReports.CLOSE_OUT_CHECKS * (cost(reportCheck, c) + c.choice() + c.waitState()));
        return new Budget(parts);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** The costliest simple cycle from {@code start} back to it (depth-first over simple paths). */
    private static long longestCycleThrough(String start, Map<String, List<String>> edges, Map<String, JsonNode> states, Costs c,
                                            Set<String> onCycles) {
        long[] best = {0};
        Deque<String> path = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        dfs(start, start, edges, states, c, path, seen, 0, best, onCycles);
        return best[0];
    }

    private static void dfs(String start, String at, Map<String, List<String>> edges, Map<String, JsonNode> states, Costs c,
                            Deque<String> path, Set<String> seen, long cost, long[] best, Set<String> onCycles) {
        path.addLast(at);
        seen.add(at);
        long here = cost + cost(states.get(at), c);
        for (String next : edges.getOrDefault(at, List.of())) {
            if (next.equals(start)) {
                best[0] = Math.max(best[0], here);
                onCycles.addAll(path);
            } else if (!seen.contains(next)) {
                dfs(start, next, edges, states, c, path, seen, here, best, onCycles);
            }
        }
        path.removeLast();
        seen.remove(at);
    }

    /** The step a wait state asks for (its payload's "step"). */
    private static Step stepOf(JsonNode state) {
        return Step.valueOf(state.path("Parameters").path("Payload").path("step").asText());
    }

    /** Cycles of the graph that pass none of the capped waits (there must be none). */
    private static List<List<String>> cyclesAvoiding(Set<String> capped, Map<String, List<String>> edges) {
        Map<String, List<String>> rest = new LinkedHashMap<>();
        edges.forEach((k, v) -> {
            if (!capped.contains(k)) {
                rest.put(k, v.stream().filter(n -> !capped.contains(n)).toList());
            }
        });
        List<List<String>> found = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : rest.keySet()) {
            Deque<String> stack = new ArrayDeque<>();
            findCycle(start, rest, stack, new HashSet<>(), done, found);
        }
        return found;
    }

    private static void findCycle(String at, Map<String, List<String>> g, Deque<String> stack, Set<String> onStack, Set<String> done,
                                  List<List<String>> found) {
        if (done.contains(at) || !found.isEmpty()) {
            return;
        }
        stack.push(at);
        onStack.add(at);
        for (String n : g.getOrDefault(at, List.of())) {
            if (onStack.contains(n)) {
                found.add(new ArrayList<>(stack));
            } else {
                findCycle(n, g, stack, onStack, done, found);
            }
        }
        stack.pop();
        onStack.remove(at);
        done.add(at);
    }
}
