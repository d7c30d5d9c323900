package de.shopmigration.local.bench;

import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.local.LocalCloud;
import de.shopmigration.local.Mailbox;
import de.shopmigration.local.Meter;
import de.shopmigration.local.SampleMigration;
import de.shopmigration.local.Walkthrough;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * What one migration costs in AWS: runs migrations on the emulator one at a time, reads each
 * execution's history (state transitions, Lambda tasks, retries), counts the AWS calls the
 * product made (Invoke front) and the link pages served (HTTP API), and prices them with AWS's
 * public list prices. Two runs: the plan without detours, and one with reminders, a problem
 * loop with retest, and an ordered optimisation with the full retest it demands.
 *
 * <p>Run: {@code make bench-cost}. Prints a table and writes target/bench/cost.md.
 */
public final class CostBenchmark {

    /** Public list prices, Europe (Frankfurt), USD; the product's template deploys arm64 Lambdas with 1024 MB. */
    record Prices(double perStateTransition, double perLambdaRequest, double perLambdaGbSecond, double perWriteUnit,
                  double perReadUnit, double perEmail, double perHttpApiRequest) {
        static final Prices FRANKFURT = new Prices(0.025 / 1000, 0.20 / 1e6, 0.0000133334, 0.7625 / 1e6, 0.1525 / 1e6,
                0.10 / 1000, 1.20 / 1e6);
    }

    /** What one migration used. */
    record Usage(String name, int transitions, int retries, int lambdaTasks, Map<String, Long> calls,
                 Map<String, Double> lambdaMillis, int emails, int recordBytes, Duration wallTime) {

        long count(String prefix) {
            return calls.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
        }

        long lambdaInvocations() {
            return count("lambda:");
        }

        /** Writes to the migration record cost one unit per KB of the record; other items are under 1 KB. */
        double writeUnits() {
            long record = calls.getOrDefault("dynamodb:RecordWrite", 0L);
            long transact = calls.getOrDefault("dynamodb:TransactWriteItems", 0L);
            long plain = count("dynamodb:PutItem") + count("dynamodb:UpdateItem") + count("dynamodb:DeleteItem") - record;
            return plain + transact * 2 * 2 + record * Math.ceil(recordBytes / 1024.0);
        }

        /** Strongly consistent reads: one unit per 4 KB; a query of a migration's items reads a few KB. */
        double readUnits() {
            long record = calls.getOrDefault("dynamodb:RecordRead", 0L);
            long plain = count("dynamodb:GetItem") - record;
            return plain + count("dynamodb:Query") * 2 + record * Math.ceil(recordBytes / 4096.0);
        }

        /** Billed per started millisecond; the template gives every function 1024 MB, i.e. 1 GB. */
        double lambdaGbSeconds() {
            return lambdaMillis.values().stream().mapToDouble(ms -> Math.ceil(ms) / 1000.0).sum();
        }

        double cost(Prices p) {
            return transitions * p.perStateTransition() + retries * p.perStateTransition()
                    + lambdaInvocations() * p.perLambdaRequest() + lambdaGbSeconds() * p.perLambdaGbSecond()
                    + writeUnits() * p.perWriteUnit() + readUnits() * p.perReadUnit()
                    + emails * p.perEmail() + count("apigateway:") * p.perHttpApiRequest();
        }
    }

    private CostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve("target/bench");
        Files.createDirectories(out);
        Consumer<String> logger = BenchLog.to(out.resolve("cost-harness.log"));
        List<Usage> usages = new ArrayList<>();
        try (LocalCloud cloud = LocalCloud.start(root, logger)) {
            Map<String, String> zones = new LinkedHashMap<>();
            for (String name : List.of("happy", "detours")) {
                Map<String, String> records = new LinkedHashMap<>();
                records.put(name + "-shop.example.", "203.0.113.10");
                records.put("www." + name + "-shop.example.", "203.0.113.10");
                zones.put(name, cloud.createZone(name + "-shop.example.", records, 3600));
            }
            cloud.deploy(SampleMigration.parameters(List.copyOf(zones.values())));
            Meter meter = new Meter();
            cloud.front().meter(meter);
            cloud.api().meter(meter);
            Walkthrough walk = new Walkthrough(cloud, Duration.ofSeconds(120));

            usages.add(run(cloud, meter, "happy path", "M-COST-1",
                    SampleMigration.input("happy-shop.example", zones.get("happy"), SampleMigration.FAST, null), walk::toGoLive));
            String slowCustomer = SampleMigration.FAST.replace("\"customerReminderSeconds\": 600", "\"customerReminderSeconds\": 10");
            usages.add(run(cloud, meter, "reminders, retest, optimisation", "M-COST-2",
                    SampleMigration.input("detours-shop.example", zones.get("detours"), slowCustomer, null), id -> detours(walk, id)));
        }
        String table = table(usages, Prices.FRANKFURT);
        System.out.println(table);
        Files.writeString(out.resolve("cost.md"), table);
    }

    /** Two questionnaire reminders, problems found and fixed, an optimisation and its full retest. */
    static void detours(Walkthrough walk, String id) {
        Mailbox.Mail questionnaire = walk.await(id, "QUESTIONNAIRE");
        Mailbox.Mail first = walk.awaitAfter(id, "QUESTIONNAIRE_REMINDER", questionnaire);
        walk.awaitAfter(id, "QUESTIONNAIRE_REMINDER", first);
        walk.answerQuestionnaire(questionnaire, Map.of("optimisationOrdered", "true"));
        walk.confirm(walk.await(id, "CLUSTER_PREPARATION"), "Cluster ist vorbereitet", Map.of());
        walk.confirm(walk.await(id, "INITIAL_COPY"), "Kopie abgeschlossen", Map.of());
        Mailbox.Mail tests = walk.await(id, "TEST_RESULTS");
        walk.confirm(tests, "Probleme melden", Map.of("description", "Warenkorb leert sich nach Login"));
        walk.confirm(walk.await(id, "PROBLEM_FIX"), "Probleme behoben", Map.of());
        Mailbox.Mail retest = walk.awaitAfter(id, "TEST_RESULTS", tests);
        walk.confirm(retest, "Alle Tests bestanden", Map.of());
        walk.confirm(walk.await(id, "OPTIMISATION"), "Optimierung abgeschlossen", Map.of());
        walk.confirm(walk.awaitAfter(id, "TEST_RESULTS", retest), "Alle Tests bestanden", Map.of());
        walk.bookFreeSlot(walk.await(id, "SLOT_BOOKING").link("Termin wählen"));
        walk.confirm(walk.await(id, "MAINTENANCE_ON"), "Wartungsmodus ist aktiv", Map.of());
        walk.confirm(walk.await(id, "FINAL_COPY"), "Kopie abgeschlossen", Map.of());
        walk.confirm(walk.await(id, "MAINTENANCE_OFF"), "Wartungsmodus ist aus", Map.of());
        walk.confirm(walk.await(id, "GO_LIVE_CHECK"), "Alles funktioniert", Map.of());
        walk.await(id, "GO_LIVE_DONE");
    }

    static Usage run(LocalCloud cloud, Meter meter, String name, String id, String input, Consumer<String> drive) {
        meter.reset();
        long started = System.nanoTime();
        String arn = cloud.startMigration(id, input);
        drive.accept(id);
        var end = cloud.awaitEnd(arn, Duration.ofMinutes(3));
        if (end.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException(id + " ended " + end.status() + ": " + cloud.diagnose(arn));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Long> calls = meter.counts();
        Map<String, Double> millis = meter.lambdaMillis();
        int transitions = 0;
        int taskEntries = 0;
        int scheduled = 0;
        int lambdaTasks = 0;
        try (SfnClient sfn = cloud.sfn()) {
            for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events()) {
                String type = e.typeAsString();
                if (type.endsWith("StateEntered")) {
                    transitions++;
                }
                if (type.equals("TaskStateEntered")) {
                    taskEntries++;
                }
                if (type.equals("TaskScheduled")) {
                    scheduled++;
                    if ("lambda".equals(e.taskScheduledEventDetails().resourceType())) {
                        lambdaTasks++;
                    }
                }
            }
        }
        int emails = (int) cloud.mailbox().forMigration(id).size();
        int recordBytes;
        try (var dynamo = cloud.dynamoDb()) {
            recordBytes = new MigrationStore(dynamo, cloud.tableName()).records().raw(id).toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return new Usage(name, transitions, Math.max(0, scheduled - taskEntries), lambdaTasks, calls, millis, emails, recordBytes, wall);
    }

    static String table(List<Usage> usages, Prices prices) {
        StringBuilder t = new StringBuilder();
        t.append("| per migration | ").append(String.join(" | ", usages.stream().map(Usage::name).toList())).append(" |\n");
        t.append("|---|").append("---:|".repeat(usages.size())).append("\n");
        row(t, "state transitions (billed, incl. retries)", usages, u -> Integer.toString(u.transitions() + u.retries()));
        row(t, "  of which retries", usages, u -> Integer.toString(u.retries()));
        row(t, "Lambda invocations (state machine tasks)", usages, u -> Integer.toString(u.lambdaTasks()));
        row(t, "Lambda invocations (all, incl. link pages)", usages, u -> Long.toString(u.lambdaInvocations()));
        row(t, "Lambda handler time, s (in-process, warm)", usages, u -> String.format("%.1f", u.lambdaMillis().values().stream()
                .mapToDouble(Double::doubleValue).sum() / 1000));
        row(t, "link page requests (HTTP API)", usages, u -> Long.toString(u.count("apigateway:")));
        row(t, "DynamoDB calls (all)", usages, u -> Long.toString(u.count("dynamodb:") - u.calls().getOrDefault("dynamodb:RecordWrite", 0L)
                - u.calls().getOrDefault("dynamodb:RecordRead", 0L)));
        row(t, "  write units / read units (est.)", usages, u -> String.format("%.0f / %.0f", u.writeUnits(), u.readUnits()));
        row(t, "SES emails sent", usages, u -> Long.toString(u.count("ses:SendEmail")));
        row(t, "Route 53 calls (change batches)", usages, u -> u.count("route53:") + " (" + u.count("route53:ChangeResourceRecordSets") + ")");
        row(t, "Step Functions callbacks (SendTask*)", usages, u -> Long.toString(u.count("states:SendTask")));
        row(t, "migration record size, bytes", usages, u -> Integer.toString(u.recordBytes()));
        row(t, "**AWS cost, USD (Frankfurt list prices)**", usages, u -> String.format("**%.4f**", u.cost(prices)));
        row(t, "wall time on the emulator, s", usages, u -> Long.toString(u.wallTime().toSeconds()));
        t.append("\nTarget: at most 200 state transitions on the happy path: ")
                .append(usages.get(0).transitions() + usages.get(0).retries() <= 200 ? "met" : "MISSED").append(".\n");
        t.append("\nCalls by operation (").append(usages.get(0).name()).append("): ").append(usages.get(0).calls()).append("\n");
        return t.toString();
    }

    private static void row(StringBuilder t, String label, List<Usage> usages, java.util.function.Function<Usage, String> value) {
        t.append("| ").append(label).append(" | ").append(String.join(" | ", usages.stream().map(value).toList())).append(" |\n");
    }
}
