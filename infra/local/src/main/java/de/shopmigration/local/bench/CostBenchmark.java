package de.shopmigration.local.bench;

import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.local.LocalCloud;
import de.shopmigration.local.LoopbackShop;
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
    record Prices(double perStateTransition, double perLambdaRequest, double perLambdaGbSecond, double perSchedulerInvocation, double perWriteUnit,
                  double perReadUnit, double perEmail, double perHttpApiRequest) {
        // EventBridge Scheduler: the first 14 million invocations a month are free, then USD 1.00 per million (priced here as if paid).
        static final Prices FRANKFURT = new Prices(0.025 / 1000, 0.20 / 1e6, 0.0000133334, 1.00 / 1e6, 0.7625 / 1e6, 0.1525 / 1e6,
                0.10 / 1000, 1.20 / 1e6);
    }

    /** What one migration used. */
    record Usage(String name, int transitions, int retries, int lambdaTasks, Map<String, Long> calls,
                 Map<String, Double> lambdaMillis, int emails, int recordBytes, Duration wallTime, int siteTransitions,
                 double watchTickMillis) {

        /** The site check function's handler time in this migration (its ticks of the watch not included). */
        double siteCheckMillis() {
            return lambdaMillis.entrySet().stream().filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).contains("sitecheck"))
                    .mapToDouble(Map.Entry::getValue).sum() - watchTickMillis;
        }

        /** What the site checks add: their states, their Lambda time and invocations, and a whole watch (ticks over 24 hours). */
        double siteCheckCost(Prices p, int watchMinutes) {
            long ticks = 24 * 60 / watchMinutes;
            long checkInvocations = calls.entrySet().stream().filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).contains("sitecheck"))
                    .mapToLong(Map.Entry::getValue).sum() - (watchTickMillis > 0 ? 1 : 0);
            return siteTransitions * p.perStateTransition() + checkInvocations * p.perLambdaRequest()
                    + Math.ceil(siteCheckMillis()) / 1000.0 * p.perLambdaGbSecond()
                    + ticks * (p.perLambdaRequest() + p.perSchedulerInvocation() + Math.ceil(watchTickMillis) / 1000.0 * p.perLambdaGbSecond());
        }

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

    /** The template's default watch interval (SiteWatchIntervalMinutes). */
    static final int WATCH_MINUTES = 15;

    private CostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve("target/bench");
        Files.createDirectories(out);
        Consumer<String> logger = BenchLog.to(out.resolve("cost-harness.log"));
        List<Usage> usages = new ArrayList<>();
        LoopbackShop shop = null;
        try (LocalCloud cloud = LocalCloud.start(root, logger)) {
            Map<String, String> zones = new LinkedHashMap<>();
            for (String name : List.of("happy", "detours")) {
                Map<String, String> records = new LinkedHashMap<>();
                records.put(name + "-shop.example.", "203.0.113.10");
                records.put("www." + name + "-shop.example.", "203.0.113.10");
                zones.put(name, cloud.createZone(name + "-shop.example.", records, 3600));
            }
            Map<String, Object> parameters = SampleMigration.parameters(List.copyOf(zones.values()));
            if (LoopbackShop.nginxInstalled()) {
                // The site checks look at real servers: nginx for the old server and the new cluster of both shops.
                shop = LoopbackShop.start(Files.createTempDirectory("cost-shop-"), List.of("happy-shop.example", "www.happy-shop.example",
                        "detours-shop.example", "www.detours-shop.example"), "127.0.0.2", "127.0.0.3");
                cloud.siteNetwork(shop.routes("203.0.113.10", SampleMigration.NEW_IP), shop.port());
                parameters.put("SiteCheckCaCertificates", shop.caPem());
            } else {
                System.out.println("nginx is not installed: the site checks are switched off, their rows show 0. " + LoopbackShop.howToInstall());
                parameters.put("SiteChecks", "Disabled");
            }
            cloud.deploy(parameters);
            Meter meter = new Meter();
            cloud.front().meter(meter);
            cloud.api().meter(meter);
            Walkthrough walk = new Walkthrough(cloud, Duration.ofSeconds(120));

            // The happy path's error window is long enough to fire one tick of its watch, as EventBridge Scheduler would.
            String withWindow = SampleMigration.FAST.replace("\"errorWindowSeconds\": 3", "\"errorWindowSeconds\": 20");
            usages.add(run(cloud, meter, "happy path", "M-COST-1",
                    SampleMigration.input("happy-shop.example", zones.get("happy"), withWindow, null), id -> {
                        walk.toGoLive(id);
                        if (LoopbackShop.nginxInstalled()) {
                            double before = siteCheckMillis(meter);
                            cloud.fireWatch(id, Duration.ofSeconds(60));
                            tickMillis = siteCheckMillis(meter) - before;
                        }
                    }));
            String slowCustomer = SampleMigration.FAST.replace("\"customerReminderSeconds\": 600", "\"customerReminderSeconds\": 10");
            usages.add(run(cloud, meter, "reminders, retest, optimisation", "M-COST-2",
                    SampleMigration.input("detours-shop.example", zones.get("detours"), slowCustomer, null), id -> detours(walk, id)));
        } finally {
            if (shop != null) {
                shop.close();
            }
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

    /** The handler time of the last watch tick a drive fired (0: none). */
    private static double tickMillis;

    /** The states of the site checks and the watch, as the console graph names them. */
    static final java.util.regex.Pattern SITE_STATES = java.util.regex.Pattern.compile(
            "automatically|against the test system|at its new address|watching the shop|check's findings|check findings"
                    + "|Check again or continue|Count the next (test system|go-live|switch) check|passed the automatic check");

    static double siteCheckMillis(Meter meter) {
        return meter.lambdaMillis().entrySet().stream().filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).contains("sitecheck"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static Usage run(LocalCloud cloud, Meter meter, String name, String id, String input, Consumer<String> drive) {
        meter.reset();
        tickMillis = 0;
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
        int siteTransitions = 0;
        try (SfnClient sfn = cloud.sfn()) {
            for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000)).events()) {
                String type = e.typeAsString();
                if (type.endsWith("StateEntered")) {
                    transitions++;
                    if (SITE_STATES.matcher(e.stateEnteredEventDetails().name()).find()) {
                        siteTransitions++;
                    }
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
        return new Usage(name, transitions, Math.max(0, scheduled - taskEntries), lambdaTasks, calls, millis, emails, recordBytes, wall,
                siteTransitions, tickMillis);
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
        row(t, "site checks: state transitions (of the above)", usages, u -> Integer.toString(u.siteTransitions()));
        row(t, "site checks: Lambda handler time, s (of the above)", usages, u -> String.format("%.1f", u.siteCheckMillis() / 1000));
        row(t, "watch: one tick's handler time, s", usages, u -> u.watchTickMillis() > 0 ? String.format("%.2f", u.watchTickMillis() / 1000) : "–");
        row(t, "watch: ticks in a 24-hour window (every " + WATCH_MINUTES + " min)", usages, u -> Integer.toString(24 * 60 / WATCH_MINUTES));
        row(t, "**site checks and watch, USD (checks above + a whole watch at the measured tick)**", usages,
                u -> u.watchTickMillis() > 0 ? String.format("**%.4f**", u.siteCheckCost(prices, WATCH_MINUTES)) : "–");
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
