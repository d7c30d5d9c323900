package de.shopmigration.local.bench;

import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.local.LocalCloud;
import de.shopmigration.local.Mailbox;
import de.shopmigration.local.Meter;
import de.shopmigration.local.SampleMigration;
import de.shopmigration.local.Walkthrough;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Many migrations at once on the emulator, each driven through its emails by its own customer
 * and staff (one virtual thread per migration), with compressed time. Afterwards it proves
 * what must hold at any scale: every migration completed, every email went out exactly once
 * (the same 17 kinds a migration without detours sends), and no go-live slot holds more
 * migrations than the deployment's capacity.
 *
 * <p>Run: {@code make bench-scale} (200 migrations) or {@code make bench-scale MIGRATIONS=50}.
 */
public final class ScaleBenchmark {

    /** The emails of a migration without detours, each exactly once. */
    static final List<String> EXPECTED_EMAILS = List.of("QUESTIONNAIRE", "CLUSTER_PREPARATION", "CODE_FREEZE", "INITIAL_COPY",
            "COPY_DONE", "TEST_RESULTS", "SLOT_BOOKING", "GO_LIVE_CONFIRMED", "GO_LIVE_WAIT", "GO_LIVE_REMINDER", "MAINTENANCE_ON",
            "FINAL_COPY", "MAINTENANCE_OFF", "GO_LIVE_CHECK", "GO_LIVE_DONE", "CLOSE_OUT_SUMMARY", "CLOSE_OUT_SUMMARY");

    static final int SLOT_CAPACITY = 5;

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int migrations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve("target/bench");
        Files.createDirectories(out);
        Consumer<String> logger = BenchLog.to(out.resolve("scale-harness.log"));
        try (LocalCloud cloud = LocalCloud.start(root, logger)) {
            // Each shop has its own hosted zone, as each customer's domain does.
            List<String> zones = new ArrayList<>();
            for (int i = 1; i <= migrations; i++) {
                Map<String, String> records = new LinkedHashMap<>();
                records.put(shop(i) + ".", "203.0.113.10");
                records.put("www." + shop(i) + ".", "203.0.113.10");
                zones.add(cloud.createZone(shop(i) + ".", records, 3600));
            }
            Map<String, Object> parameters = SampleMigration.parameters(zones);
            parameters.put("SlotCapacity", SLOT_CAPACITY);
            // One-hour go-lives, so the three weeks offered hold a place for each of hundreds of migrations.
            parameters.put("SlotLengthMinutes", 60);
            cloud.deploy(parameters);
            Meter meter = new Meter();
            cloud.front().meter(meter);
            cloud.api().meter(meter);
            // Long reminder timeouts: under this load an answer may take minutes, and this run measures the plan, not reminders.
            String timing = SampleMigration.FAST.replace("600", "7200");
            Walkthrough walk = new Walkthrough(cloud, Duration.ofMinutes(20));

            System.out.printf("Starting %d migrations at once ...%n", migrations);
            long started = System.nanoTime();
            Map<String, Duration> took = new ConcurrentHashMap<>();
            Map<String, Duration> firstEmail = new ConcurrentHashMap<>();
            Map<String, String> arns = new ConcurrentHashMap<>();
            List<Future<?>> running = new ArrayList<>();
            try (ExecutorService people = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 1; i <= migrations; i++) {
                    String id = "M-SCALE-%03d".formatted(i);
                    String input = SampleMigration.input(shop(i), zones.get(i - 1), timing, null);
                    running.add(people.submit(() -> {
                        long t0 = System.nanoTime();
                        String arn = cloud.startMigration(id, input);
                        walk.await(id, "QUESTIONNAIRE");
                        firstEmail.put(id, Duration.ofNanos(System.nanoTime() - t0));
                        walk.toGoLive(id);
                        // The summary is the close-out's last step; the executions' end states are checked once, below.
                        walk.await(id, "CLOSE_OUT_SUMMARY");
                        took.put(id, Duration.ofNanos(System.nanoTime() - t0));
                        arns.put(id, arn);
                        return null;
                    }));
                }
                List<String> failures = new ArrayList<>();
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures.add(String.valueOf(e.getCause().getMessage()));
                    }
                }
                if (!failures.isEmpty()) {
                    System.out.println(failures.size() + " migrations did not complete; first: " + failures.get(0));
                }
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            int succeeded = succeeded(cloud, arns.values());
            String report = report(cloud, migrations, succeeded, wall, took, firstEmail, meter, walk.repeatedClicks());
            System.out.println(report);
            Files.writeString(out.resolve("scale.md"), report);
        }
    }

    static String shop(int i) {
        return "shop-%03d.example".formatted(i);
    }

    /** The executions that ended SUCCEEDED, read once (polling each one would load the emulator more than the migrations do). */
    static int succeeded(LocalCloud cloud, java.util.Collection<String> arns) {
        java.util.Set<String> done = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (var sfn = cloud.sfn()) {
            while (System.nanoTime() < deadline) {
                done.clear();
                sfn.listExecutionsPaginator(b -> b.stateMachineArn(cloud.stateMachineArn()).statusFilter(ExecutionStatus.SUCCEEDED))
                        .executions().forEach(e -> done.add(e.executionArn()));
                if (done.containsAll(arns)) {
                    break;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return (int) arns.stream().filter(done::contains).count();
    }

    static String report(LocalCloud cloud, int migrations, int succeeded, Duration wall, Map<String, Duration> took,
                         Map<String, Duration> firstEmail, Meter meter, int repeatedClicks) {
        // Exactly once: per migration, the kinds sent equal the expected list (duplicates would show as extra entries).
        // A DNS review (a lookup that timed out under the emulator's load) is a staff task of its own, counted apart.
        Map<String, List<String>> sent = new TreeMap<>();
        int reviews = 0;
        for (Mailbox.Mail m : cloud.mailbox().all()) {
            if (m.migrationId() != null && m.migrationId().startsWith("M-SCALE-")) {
                if (m.kind().equals("DNS_REVIEW")) {
                    reviews++;
                } else {
                    sent.computeIfAbsent(m.migrationId(), k -> new ArrayList<>()).add(m.kind());
                }
            }
        }
        List<String> expected = EXPECTED_EMAILS.stream().sorted().toList();
        int exact = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 1; i <= migrations; i++) {
            String id = "M-SCALE-%03d".formatted(i);
            List<String> kinds = new ArrayList<>(sent.getOrDefault(id, List.of()));
            kinds.sort(null);
            if (kinds.equals(expected)) {
                exact++;
            } else {
                wrong.add(id + " " + kinds);
            }
        }
        // No double booking: at no moment do more booked go-lives run than the capacity (counted
        // from every record's booking over the hours it covers; a finished go-live gives its hours
        // back, so the cells themselves are empty by now).
        Map<Instant, Integer> holders = new HashMap<>();
        int ownSlot = 0;
        try (var dynamo = cloud.dynamoDb()) {
            MigrationStore store = new MigrationStore(dynamo, cloud.tableName());
            for (int i = 1; i <= migrations; i++) {
                String id = "M-SCALE-%03d".formatted(i);
                MigrationRecord record = store.records().get(id);
                if (record.booking() != null) {
                    record.booking().held().forEach(cell -> holders.merge(cell, 1, Integer::sum));
                    ownSlot++;
                }
            }
        }
        int overbooked = (int) holders.values().stream().filter(n -> n > SLOT_CAPACITY).count();
        List<Long> seconds = took.values().stream().map(Duration::toSeconds).sorted().toList();
        Map<String, Long> calls = meter.counts();
        long total = calls.entrySet().stream().filter(e -> !e.getKey().startsWith("lambda:") && !e.getKey().startsWith("apigateway:")
                && !e.getKey().equals("dynamodb:RecordRead") && !e.getKey().equals("dynamodb:RecordWrite")).mapToLong(Map.Entry::getValue).sum();
        StringBuilder r = new StringBuilder();
        r.append("| scale run | value |\n|---|---:|\n");
        r.append("| migrations started at once | ").append(migrations).append(" |\n");
        r.append("| completed (execution SUCCEEDED) | ").append(succeeded).append(" |\n");
        r.append("| clicks made again after a \"temporarily unavailable\" page or none within a minute | ").append(repeatedClicks).append(" |\n");
        r.append("| wall time | ").append(wall.toSeconds()).append(" s |\n");
        r.append("| throughput | ").append(String.format("%.1f", took.size() * 60.0 / Math.max(1, wall.toSeconds()))).append(" migrations/min |\n");
        r.append("| time per migration, median / max | ").append(seconds.isEmpty() ? "–" : seconds.get(seconds.size() / 2) + " s / "
                + seconds.get(seconds.size() - 1) + " s").append(" |\n");
        List<Long> first = firstEmail.values().stream().map(Duration::toSeconds).sorted().toList();
        r.append("| start to the questionnaire email, median / max | ").append(first.isEmpty() ? "–" : first.get(first.size() / 2) + " s / "
                + first.get(first.size() - 1) + " s").append(" |\n");
        r.append("| emails exactly as planned (17 each, none twice, none missing) | ").append(exact).append(" of ").append(migrations).append(" |\n");
        r.append("| DNS reviews sent to staff (a lookup timed out under the emulator's load), checked again | ").append(reviews)
                .append(" |\n");
        r.append("| emails sent in all | ").append(sent.values().stream().mapToInt(List::size).sum()).append(" |\n");
        r.append("| hours booked / hours with more go-lives than the capacity (").append(SLOT_CAPACITY).append(") | ")
                .append(holders.size()).append(" / ").append(overbooked).append(" |\n");
        r.append("| migrations with a booked go-live | ").append(ownSlot).append(" of ").append(migrations).append(" |\n");
        r.append("| Lambda invocations | ").append(calls.entrySet().stream().filter(e -> e.getKey().startsWith("lambda:"))
                .mapToLong(Map.Entry::getValue).sum()).append(" |\n");
        r.append("| AWS API calls through the emulator | ").append(total).append(" (")
                .append(String.format("%.0f", total / Math.max(1.0, wall.toSeconds()))).append("/s) |\n");
        if (!wrong.isEmpty()) {
            r.append("\nNot as planned: ").append(wrong.subList(0, Math.min(5, wrong.size()))).append("\n");
        }
        return r.toString();
    }
}
