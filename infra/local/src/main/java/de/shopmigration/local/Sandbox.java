package de.shopmigration.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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
        // Each function's package carries SLF4J (through the AWS SDK and others) without a logging
        // backend, and each one's class loader says so: three lines per function, 1.7 and 2.x
        // wordings, which would bury the inbox URL. The sandbox leaves them out of its output.
        System.setErr(new WithoutSlf4jNotices(System.err));
        Path root = Path.of("").toAbsolutePath();
        boolean quiet = List.of(args).contains("--quiet");
        // Where the dashboard's figures come from: the functions' metric lines, summed up at Ctrl-C and on the inbox page.
        MetricSummary metrics = new MetricSummary();
        LocalCloud cloud = LocalCloud.start(root, line -> {
            metrics.accept(line);
            if (!quiet) {
                System.out.println("  " + line);
            }
        });
        // The sample shops' old server and new cluster, for the site checks: nginx on loopback when installed.
        SampleShopServers servers = startShop();
        LoopbackShop shop = servers.shop();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\n" + metrics.text());
            System.out.println("Stopping the sandbox (emulator PID " + cloud.moto().pid() + ") ...");
            cloud.close();
            if (shop != null) {
                shop.close();
            }
            stopped.countDown();
        }));
        SampleShops shops = SampleShops.create(cloud, TIMING);
        Map<String, Object> parameters = SampleMigration.parameters(shops.zoneIds());
        if (shop != null) {
            // The sample migrations' old and new public addresses are reached at the nginx stand-ins, trusted through their CA.
            cloud.siteNetwork(shop.routes(SampleShops.OLD_IP, SampleMigration.NEW_IP), shop.port());
            parameters.put("SiteCheckCaCertificates", shop.caPem());
        } else {
            // Without servers to look at, the checks would only find the shops unreachable.
            parameters.put("SiteChecks", "Disabled");
        }
        cloud.deploy(parameters);
        cloud.emulateEventBridgeRule();
        // The watch after a go-live ticks every 20 s here (15 minutes in AWS), as the sandbox compresses all its time.
        cloud.emulateSchedulerCompressed(java.time.Duration.ofSeconds(20));

        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMdd-HHmm"));
        AtomicInteger counter = new AtomicInteger();
        Supplier<String> startOne = () -> {
            String id = "M-" + stamp + "-" + counter.incrementAndGet();
            cloud.startMigration(id, shops.nextInput());
            return id;
        };
        String cli = cliExample(cloud);
        cloud.api().mount("/inbox", new Inbox(cloud, startOne, shops::nextInput, cli, metrics)::handle);
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
                  Sample shops' servers:                %s

                Start another migration with the AWS CLI (each run gets a fresh name and a sample shop of its own):
                %s

                The functions' metric lines (what the CloudWatch dashboard shows in AWS) are summed up on the inbox page
                and printed here at Ctrl-C.
                """.formatted(cloud.apiBaseUrl(), cloud.apiBaseUrl(), cloud.endpoint(), cloud.stateMachineArn(),
                cloud.stateMachineArn("CleanupStateMachine"), cloud.tableName(), first, servers.line(), cli.indent(2).stripTrailing()));
        stopped.await();
    }

    /** The sample shops' servers (null when there are none) and one line on what the site checks will reach. */
    record SampleShopServers(LoopbackShop shop, String line) {
    }

    /**
     * Starts the sample shops' old server and new cluster (nginx on 127.0.0.2 and 127.0.0.3, one
     * certificate for every sample name) when nginx is installed.
     */
    static SampleShopServers startShop() {
        String unreachable = "so the site checks are switched off (SiteChecks=Disabled). To get nginx and openssl: " + LoopbackShop.howToInstall();
        if (!LoopbackShop.nginxInstalled()) {
            return new SampleShopServers(null, "none: nginx is not installed, " + unreachable);
        }
        try {
            LoopbackShop shop = LoopbackShop.start(Files.createTempDirectory("sandbox-shop-"), SampleShops.hostNames(), "127.0.0.2", "127.0.0.3");
            return new SampleShopServers(shop, "the old server and the new cluster are served by nginx on " + shop.oldAddress() + " and "
                    + shop.newAddress() + ", port " + shop.port());
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return new SampleShopServers(null, "none: nginx did not start (" + why + "), " + unreachable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sample shops' servers", e);
        }
    }

    /**
     * The AWS CLI command that starts a migration. The name comes from the clock and the input
     * from the inbox, which hands each run a sample shop no running migration holds, so the
     * command can be run again and again.
     */
    static String cliExample(LocalCloud cloud) {
        return """
                AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region %s --endpoint-url %s \\
                  stepfunctions start-execution --state-machine-arn %s \\
                  --name "M-cli-$(date +%%Y%%m%%d-%%H%%M%%S)" --input "$(curl -s %s/inbox/sample-input.json)"
                """.formatted(LocalCloud.REGION, cloud.endpoint(), cloud.stateMachineArn(), cloud.apiBaseUrl());
    }

    /** Standard error without SLF4J's own notices (lines that start with "SLF4J"). */
    static final class WithoutSlf4jNotices extends java.io.PrintStream {
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private final java.io.PrintStream target;

        WithoutSlf4jNotices(java.io.PrintStream target) {
            super(target, true, java.nio.charset.StandardCharsets.UTF_8);
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                line.reset();
                if (!text.startsWith("SLF4J")) {
                    target.print(text);
                    target.flush();
                }
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }
    }
}
