package de.shopmigration.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The product on this machine, on the embedded emulator: deploys template.yaml and the state
 * machine, starts a sample migration with compressed time, and serves an inbox page to click
 * through it as customer and staff. Ctrl-C stops everything it started.
 */
public final class Sandbox {

    /**
     * Minutes instead of days: reminders after 2 min, the 24 h error window as 90 s (then up to 3 min
     * for open error reports to be fixed). Quiet hours
     * are off, so reminders show up whatever the time of day the sandbox runs.
     */
    static final String TIMING = """
            {"customerReminderSeconds": 120, "staffReminderSeconds": 120, "goLiveReminderSeconds": 90, "maxReminders": 2,
             "dnsPollSeconds": 2, "copyTimeoutSeconds": 300, "errorWindowSeconds": 90, "slotLeadSeconds": 0,
             "slotWaitCapSeconds": 15, "quietFromHour": 0, "quietToHour": 0, "openReportsWaitSeconds": 180}""";

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        boolean quiet = List.of(args).contains("--quiet");
        LocalCloud cloud = LocalCloud.start(root, line -> {
            if (!quiet) {
                System.out.println("  " + line);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the sandbox (emulator PID " + cloud.moto().pid() + ") ...");
            cloud.close();
            stopped.countDown();
        }));
        Map<String, String> records = new LinkedHashMap<>();
        records.put("muster-shop.example.", "203.0.113.10");
        records.put("www.muster-shop.example.", "203.0.113.10");
        String zone = cloud.createZone("muster-shop.example.", records, 3600);
        cloud.deploy(SampleMigration.parameters(List.of(zone), "sandbox-only-link-secret-0123456789abcdef"));
        cloud.emulateEventBridgeRule();

        Path inputFile = root.resolve("target/sandbox/sample-input.json");
        Files.createDirectories(inputFile.getParent());
        Files.writeString(inputFile, sampleInput(zone));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMdd-HHmm"));
        AtomicInteger counter = new AtomicInteger();
        java.util.function.Supplier<String> startOne = () -> {
            String id = "M-" + stamp + "-" + counter.incrementAndGet();
            cloud.startMigration(id, sampleInput(zone));
            return id;
        };
        cloud.api().mount("/inbox", new Inbox(cloud, startOne)::handle);
        String first = startOne.get();

        System.out.println("""

                Sandbox running (Ctrl-C stops it).

                  Inbox (click through the migration):  %s/inbox
                  Link pages (local HTTP API):          %s
                  AWS emulator endpoint:                %s
                  State machine:                        %s
                  Cleanup state machine (aborts):       %s
                  Table:                                %s
                  Sample migration started:             %s

                Start another migration with the AWS CLI:
                  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region eu-central-1 --endpoint-url %s \\
                    stepfunctions start-execution --state-machine-arn %s \\
                    --name M-cli-1 --input file://%s
                """.formatted(cloud.apiBaseUrl(), cloud.apiBaseUrl(), cloud.endpoint(), cloud.stateMachineArn(),
                cloud.stateMachineArn("CleanupStateMachine"), cloud.tableName(), first, cloud.endpoint(), cloud.stateMachineArn(), root.relativize(inputFile)));
        stopped.await();
    }

    static String sampleInput(String zone) {
        return SampleMigration.input("muster-shop.example", zone, TIMING, "\"optimisationOrdered\": false");
    }
}
