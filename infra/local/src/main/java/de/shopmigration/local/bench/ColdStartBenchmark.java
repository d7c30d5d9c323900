package de.shopmigration.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.store.MigrationStore;
import de.shopmigration.local.Functions;
import de.shopmigration.local.LocalCloud;
import de.shopmigration.local.SampleMigration;
import de.shopmigration.local.Mailbox;
import de.shopmigration.local.SamTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The cold-start benchmark (issue "Performance: cold starts"); run it with
 * {@code make bench-coldstart}. A program that prints figures, not a test.
 *
 * <p>For each function of template.yaml: a fresh JVM with the deployable artifact (the function's
 * shrunk package {@code target/lambda/<module>-function.jar}, which {@code make build-<Function>}
 * hands to SAM) and the template's
 * {@code JAVA_TOOL_OPTIONS}, which loads the handler as the Lambda Java runtime does
 * ({@code de.shopmigration.bench.Runner}) and invokes it once with a realistic first event whose
 * AWS calls go to the local emulator. Wall time from just before the process starts to the
 * moment the runner reports the response; at least five rounds, functions interleaved within
 * each round, after one discarded warm-up round. Two references in the same rounds: an empty
 * JVM ({@code Hello}) and a JVM that builds one DynamoDB client and calls ListTables once
 * ({@code MinimalSdk}). Targets: every function within 1.5x of MinimalSdk's median, artifact at
 * most 12 MiB. Then one more run per target with {@code -Xlog:class+load} to count the classes
 * each loads and from which jar, split at handler construction and response.
 *
 * <p>Warm link pages: the links function's artifact in an isolated class loader (as Lambda
 * loads it), built from its template environment, called in this JVM with API Gateway events
 * for a status page and an open questionnaire page; the time in SDK HTTP exchanges, measured by
 * an SDK execution interceptor registered only in that class loader, is subtracted.
 *
 * <p>Options: {@code --runs N} (measured rounds, default 5), {@code --warm-calls N} (300),
 * {@code --warm-warmups N} (50), {@code --sdk-lib MODULE} (function whose lib/ MinimalSdk runs
 * with, default documents), {@code --only F1,F2} (a subset of functions), {@code --no-classload},
 * {@code --no-warm}, {@code --jvm-flags "..."} (appended to every measured JVM, for experiments; {@code {target}}
 * becomes the target's name, e.g. {@code -XX:SharedArchiveFile=target/bench/cds/{target}.jsa}),
 * {@code --variant NAME="FLAGS"} (repeatable: every target once more with these flags, in the same
 * rounds and on data of its own, so flag experiments compare under the same machine noise).
 * Output: the console table and {@code target/bench/cold-start.md}; per-run figures in
 * {@code target/bench/cold-start-runs.csv}; everything else under {@code target/bench/}.
 */
public final class ColdStartBenchmark {

    static final double RATIO_TARGET = 1.5;
    static final long SIZE_TARGET = 12L * 1024 * 1024;
    static final double WARM_P50_TARGET_MS = 10.0;
    static final String OLD_IP = "203.0.113.10";
    static final String RUNNER = "de.shopmigration.bench.Runner";
    static final Duration MAIL_WAIT = Duration.ofSeconds(120);
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);

    /** Production timing, except: DNS polled every second (setup speed) and no quiet hours (reminders whatever the hour). */
    static final String TIMING = """
            {"dnsPollSeconds": 1, "quietFromHour": 0, "quietToHour": 0}""";

    /** The answers a customer gives in the questionnaire (like the emulator tests). */
    static final Map<String, String> ANSWERS = Map.ofEntries(
            Map.entry("currentProvider", "Alt-Hosting AG"), Map.entry("shopSystem", "SHOPWARE"),
            Map.entry("shopVersion", "6.5.8"), Map.entry("phpVersion", "8.2"),
            Map.entry("databaseEngine", "MARIADB"), Map.entry("databaseSizeGb", "3,5"),
            Map.entry("fileSizeGb", "12"), Map.entry("emailHosting", "EXTERNAL"),
            Map.entry("tlsCertificates", "LETS_ENCRYPT"), Map.entry("contactPhone", "+49 30 1234567"),
            Map.entry("interfaces", "JTL-Wawi über REST"), Map.entry("cronJobs", "Sitemap nachts um 3"),
            Map.entry("dns0", "Muster Hosting (Route 53)"), Map.entry("contactName", "Erika Mustermann"));

    record Options(int runs, int warmCalls, int warmups, String sdkLib, List<String> only, boolean classLoad, boolean warm,
                   List<String> jvmFlags, Map<String, List<String>> variants) {
        static Options parse(String[] args) {
            int runs = 5;
            int warmCalls = 300;
            int warmups = 50;
            String sdkLib = "documents";
            List<String> only = List.of();
            boolean classLoad = true;
            boolean warm = true;
            List<String> flags = List.of();
            Map<String, List<String>> variants = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--warm-calls" -> warmCalls = Integer.parseInt(args[++i]);
                    case "--warm-warmups" -> warmups = Integer.parseInt(args[++i]);
                    case "--sdk-lib" -> sdkLib = args[++i];
                    case "--only" -> only = Arrays.stream(args[++i].split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                    case "--no-classload" -> classLoad = false;
                    case "--no-warm" -> warm = false;
                    case "--jvm-flags" -> flags = Arrays.stream(args[++i].strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
                    case "--variant" -> {
                        String v = args[++i];
                        int eq = v.indexOf('=');
                        require(eq > 0 && v.substring(0, eq).matches("[A-Za-z0-9_-]+"), "--variant NAME=FLAGS, e.g. serial=-XX:+UseSerialGC");
                        variants.put(v.substring(0, eq), Arrays.stream(v.substring(eq + 1).strip().split("\\s+")).filter(s -> !s.isEmpty()).toList());
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + " (options: --runs N, --warm-calls N, --warm-warmups N, --sdk-lib MODULE, --only F1,F2,"
                            + " --no-classload, --no-warm, --jvm-flags \"...\", --variant NAME=\"FLAGS\")");
                }
            }
            if (runs < 1 || warmCalls < 1 || warmups < 0) {
                throw new IllegalArgumentException("--runs and --warm-calls must be at least 1");
            }
            return new Options(runs, warmCalls, warmups, sdkLib, only, classLoad, warm, flags, variants);
        }
    }

    /** What one function's event checks in its response (besides the handler not throwing). */
    record Expectation(String description, List<String> mustContain) {
    }

    /** One program measured: a reference or a function with its artifact. */
    record Target(String name, String mainClass, String handlerClass, String classpath, Map<String, String> env,
                  List<String> jvmFlags, IntFunction<Path> eventFile, String marker, Expectation expectation,
                  long artifactBytes, String event, String variant) {
        boolean reference() {
            return handlerClass == null;
        }

        /**
         * The same program with extra JVM flags, measured in the same rounds (name "Target[variant]"),
         * with events on data of its own (round r uses the data of index r + offset).
         */
        Target with(String variantName, List<String> flags, int offset) {
            List<String> all = new ArrayList<>(jvmFlags);
            all.addAll(flags);
            IntFunction<Path> events = eventFile == null ? null : round -> eventFile.apply(round + offset);
            return new Target(name + "[" + variantName + "]", mainClass, handlerClass, classpath, env, all, events, marker,
                    expectation, artifactBytes, event, variantName);
        }
    }

    /** One cold start as measured; times in ms, NaN when unknown. */
    record Run(String target, int round, boolean ok, String problem, double wallMs, double mainMs, double constructMs,
               double invokeMs, double cpuMs, String body, int httpCalls, double httpMs, String operations) {
    }

    private final Path root;
    private final Options options;
    private final Path out;
    private final Path harnessLog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicReference<Process> running = new AtomicReference<>();
    private String javaBin;
    private double loadAtStart;
    private final List<Double> roundLoads = new ArrayList<>();

    private ColdStartBenchmark(Path root, Options options) {
        this.root = root;
        this.options = options;
        this.out = root.resolve("target/bench");
        this.harnessLog = out.resolve("harness.log");
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // The local cloud's HTTP servers (Invoke front, link pages) are JDK HttpServers, which do
        // not set TCP_NODELAY: a response whose body goes out in a second segment then waits for
        // the client's delayed ACK (~40 ms on Linux). AWS endpoints do not do that; without this,
        // every larger emulator response (e.g. a record holding a slot offer) would add 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        new ColdStartBenchmark(Path.of("").toAbsolutePath(), options).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(out);
        for (String dir : List.of("events", "logs", "classload")) {
            deleteTree(out.resolve(dir));
            Files.createDirectories(out.resolve(dir));
        }
        Files.deleteIfExists(harnessLog);
        String javaHome = System.getenv("JAVA_HOME") != null ? System.getenv("JAVA_HOME") : System.getProperty("java.home");
        javaBin = Path.of(javaHome, "bin", "java").toString();
        Path runnerJar = single(root.resolve("infra/bench-runner/target"), "bench-runner-*.jar");

        System.out.println("Cold-start benchmark: " + options.runs() + " measured rounds (+1 warm-up round, discarded), java " + javaBin);
        loadAtStart = loadAverage();
        if (loadAtStart > 1.0) {
            System.out.printf(Locale.ROOT, "Note: load average %.2f before the run; other processes use the CPU, so the figures will be noisier.%n", loadAtStart);
        }
        System.out.println("Starting the local cloud (moto) ... (log: " + root.relativize(harnessLog) + ")");
        LocalCloud cloud = LocalCloud.start(root, this::log);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            Process p = running.get();
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (closed.compareAndSet(false, true)) {
                cloud.close();
            }
        };
        Thread hook = new Thread(stop, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Setup setup = setUp(cloud);
            double setupSeconds = seconds(started);
            System.out.printf(Locale.ROOT, "Setup done in %.1f s: migrations %s (questionnaire answered, waiting for staff) and %s (questionnaire open)%n",
                    setupSeconds, setup.mainId, setup.questionnaireId);

            List<Target> targets = targets(cloud, setup, runnerJar);
            long coldStarted = System.nanoTime();
            List<Run> runs = measureColdStarts(targets);
            double coldSeconds = seconds(coldStarted);

            long diagStarted = System.nanoTime();
            Map<String, ClassLoads> classLoads = options.classLoad() ? classLoadRuns(targets) : Map.of();
            double diagSeconds = seconds(diagStarted);

            long warmStarted = System.nanoTime();
            List<WarmResult> warm = options.warm() ? warmLinkPages(cloud, setup, runnerJar) : List.of();
            double warmSeconds = seconds(warmStarted);

            String timings = String.format(Locale.ROOT, "Whole run %.0f s: setup %.0f s, cold starts %.0f s, class-load runs %.0f s, warm link pages %.0f s.",
                    seconds(started), setupSeconds, coldSeconds, diagSeconds, warmSeconds);
            printAndWrite(targets, runs, classLoads, warm, setup, timings);
        } finally {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        System.out.printf(Locale.ROOT, "Stopped the local cloud. Total %.0f s.%n", seconds(started));
    }

    // ---- setup: one migration through the emulator, and first-time targets per round ---------

    /** What the events refer to. Round r uses the migrations of index r (0 = warm-up, runs+1 = class-load run). */
    static final class Setup {
        String stamp;
        String mainZone;
        String mainId;
        String questionnaireId;
        String statusLink;
        String questionnaireLink;
        final List<String> dnsZones = new ArrayList<>();
        final List<String> abortZones = new ArrayList<>();
        final List<String> fresh = new ArrayList<>();
        final List<String> toAbort = new ArrayList<>();
        final List<String> toRemind = new ArrayList<>();
        Map<String, String> localEnv;
        /** SES's events wrapped as SNS hands them to the bounce function. */
        java.util.function.Function<String, String> snsEvent;
    }

    private Setup setUp(LocalCloud cloud) throws Exception {
        Setup s = new Setup();
        s.stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        // Every variant gets data of its own: a first invocation must not find the work done.
        int sets = (options.runs() + 2) * (1 + options.variants().size());
        s.mainZone = zone(cloud, "bench-main");
        String questionnaireZone = zone(cloud, "bench-q");
        for (int r = 0; r < sets; r++) {
            s.dnsZones.add(zone(cloud, "bench-dns-" + r));
            s.abortZones.add(zone(cloud, "bench-abort-" + r));
        }
        List<String> zones = new ArrayList<>();
        zones.add(s.mainZone);
        zones.add(questionnaireZone);
        zones.addAll(s.dnsZones);
        zones.addAll(s.abortZones);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("SenderEmail", "umzug@hosting.example");
        parameters.put("StaffEmail", "team@hosting.example");
        parameters.put("ProviderName", "Muster Hosting");
        parameters.put("HostedZoneIds", zones);
        cloud.deploy(parameters);
        s.snsEvent = message -> cloud.snsEvent("EmailEventsTopic", message);
        // As LocalCloud.deploy adds to every function's template environment.
        s.localEnv = Map.of("AWS_REGION", LocalCloud.REGION, "AWS_ENDPOINT_URL", cloud.endpoint(),
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local", "DNS_PORT", Integer.toString(cloud.dns().port()),
                "ALLOW_DOCUMENTATION_ADDRESSES", "true");

        // One real migration through the state machine: questionnaire answered from the emailed
        // link, DNS lowered, now waiting for staff to prepare the cluster. A second one waits at
        // its questionnaire (its page is one of the warm link pages).
        s.mainId = "MB-" + s.stamp;
        s.questionnaireId = "MQ-" + s.stamp;
        cloud.startMigration(s.mainId, input("bench-main", s.mainZone));
        cloud.startMigration(s.questionnaireId, input("bench-q", questionnaireZone));
        Mailbox.Mail questionnaire = cloud.mailbox().await(s.mainId, "QUESTIONNAIRE", MAIL_WAIT);
        s.statusLink = questionnaire.link("Stand des Umzugs ansehen");
        String link = questionnaire.link("Fragebogen ausfüllen");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofString());
        require(page.statusCode() == 200, "questionnaire page answered " + page.statusCode());
        String form = ANSWERS.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> answered = http.send(HttpRequest.newBuilder(URI.create(link))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        require(answered.statusCode() == 200, "questionnaire answer: HTTP " + answered.statusCode() + ": " + clip(answered.body(), 400));
        cloud.mailbox().await(s.mainId, "CLUSTER_PREPARATION", MAIL_WAIT);
        s.questionnaireLink = cloud.mailbox().await(s.questionnaireId, "QUESTIONNAIRE", MAIL_WAIT).link("Fragebogen ausfüllen");
        // The questionnaire migration's DNS branch runs beside the wait: let it finish, so the
        // emulator is idle while the benchmark measures.
        MigrationStore store = new MigrationStore(cloud.dynamoDb(), cloud.tableName());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.records().get(s.questionnaireId).dns().loweredAt() == null) {
            require(System.nanoTime() < deadline, s.questionnaireId + ": the TTLs were not lowered within 60 s");
            Thread.sleep(200);
        }

        // Per round: a migration just opened by the intake step (the first invocation of every
        // other step is still to come), and one in phase 1 (TTLs lowered, questionnaire asked)
        // for the abort cleanup. Built with the product's own handlers through the Invoke API.
        for (int r = 0; r < sets; r++) {
            String fresh = s.mainId + "-b" + r;
            invoke(cloud, "IntakeFunction", intakeEvent(input("bench-dns-" + r, s.dnsZones.get(r)), fresh));
            s.fresh.add(fresh);
            String abort = s.mainId + "-x" + r;
            invoke(cloud, "IntakeFunction", intakeEvent(input("bench-abort-" + r, s.abortZones.get(r)), abort));
            invoke(cloud, "DnsFunction", "{\"operation\":\"LOWER_TTL\",\"migrationId\":\"" + abort + "\"}");
            invoke(cloud, "AskFunction", "{\"migrationId\":\"" + abort + "\",\"step\":\"QUESTIONNAIRE\",\"round\":1,\"taskToken\":\""
                    + taskToken(new Random(r)) + "\"}");
            // The cleanup's steps before the measured one: marked ABORTING, DNS put back.
            invoke(cloud, "AbortFunction", "{\"operation\":\"BEGIN\",\"event\":" + cloud.statusChangeEvent(abort, "FAILED") + "}");
            invoke(cloud, "DnsFunction", "{\"operation\":\"ROLLBACK\",\"migrationId\":\"" + abort + "\"}");
            s.toAbort.add(abort);
            String remind = s.mainId + "-r" + r;
            invoke(cloud, "IntakeFunction", intakeEvent(subdomainInput("r" + r, s.mainZone), remind));
            invoke(cloud, "AskFunction", "{\"migrationId\":\"" + remind + "\",\"step\":\"QUESTIONNAIRE\",\"round\":1,\"taskToken\":\""
                    + taskToken(new Random(3000 + r)) + "\"}");
            s.toRemind.add(remind);
        }
        return s;
    }

    private static String zone(LocalCloud cloud, String name) {
        String zone = name + "-shop.example.";
        Map<String, String> records = new LinkedHashMap<>();
        records.put(zone, OLD_IP);
        records.put("www." + zone, OLD_IP);
        records.put("mail." + zone, "203.0.113.25");
        return cloud.createZone(zone, records, 3600);
    }

    /** A valid execution input, as staff start a migration (the emulator tests' input). */
    static String input(String zoneName, String zoneId) {
        return SampleMigration.input(zoneName + "-shop.example", zoneId, TIMING, null);
    }

    /**
     * An input for a host of the main zone of its own: the main migration holds bench-main's
     * names while it runs, so a second request for them would be refused at its first check.
     */
    static String subdomainInput(String label, String mainZoneId) {
        return SampleMigration.input(label + ".bench-main-shop.example", mainZoneId, TIMING, null);
    }

    static String intakeEvent(String input, String executionName) {
        ObjectNode event = Json.object();
        event.set("input", Json.read(input));
        event.put("executionName", executionName);
        return Json.write(event);
    }

    /** Step Functions task tokens are long opaque strings; none of these is ever sent back. */
    static String taskToken(Random random) {
        byte[] bytes = new byte[480];
        random.nextBytes(bytes);
        return "AQB" + Base64.getEncoder().withoutPadding().encodeToString(bytes).replace('+', 'A').replace('/', 'B');
    }

    /** Invokes a function of the local cloud through the Lambda Invoke API, as the state machine does. */
    private String invoke(LocalCloud cloud, String function, String payload) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cloud.endpoint() + "/2015-03-31/functions/" + function + "/invocations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
        require(r.statusCode() == 200 && r.headers().firstValue("X-Amz-Function-Error").isEmpty(),
                function + " failed during setup: " + clip(r.body(), 600));
        return r.body();
    }

    /** An API Gateway HTTP API (payload 2.0) GET of a link page, as the local API builds it. */
    static String pageEvent(String url) {
        URI uri = URI.create(url);
        String domain = uri.getAuthority();
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", uri.getRawPath());
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("accept", "text/html,application/xhtml+xml");
        headers.put("accept-language", "de-DE,de;q=0.9,en;q=0.8");
        headers.put("host", domain);
        headers.put("user-agent", "Mozilla/5.0 (X11; Linux x86_64) bench");
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", LocalCloud.ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", domain);
        context.put("domainPrefix", "127");
        ObjectNode httpNode = context.putObject("http");
        httpNode.put("method", "GET");
        httpNode.put("path", uri.getRawPath());
        httpNode.put("protocol", "HTTP/1.1");
        httpNode.put("sourceIp", "127.0.0.1");
        httpNode.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) bench");
        context.put("requestId", "bench-request");
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("time", "29/Nov/2026:06:00:00 +0000");
        context.put("timeEpoch", System.currentTimeMillis());
        event.put("isBase64Encoded", false);
        return Json.write(event);
    }

    // ---- targets and their events ----------------------------------------------------------

    private List<Target> targets(LocalCloud cloud, Setup s, Path runnerJar) throws IOException {
        SamTemplate template = cloud.template();
        List<String> functions = template.logicalIdsOfType("AWS::Serverless::Function");
        List<Target> targets = new ArrayList<>();
        List<String> globalFlags = flags(cloud.functions().declared(functions.get(0)).environment().get("JAVA_TOOL_OPTIONS"));

        Map<String, String> sdkEnv = new LinkedHashMap<>();
        for (String k : List.of("AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
            sdkEnv.put(k, s.localEnv.get(k));
        }
        // The reference runs on the SDK's jars as Maven Central ships them, not on a shrunk package.
        Path sdkLib = root.resolve("functions/" + options.sdkLib() + "/target/lambda-deps");
        require(Files.isDirectory(sdkLib), sdkLib + " is missing: build the function packages first (make package)");
        targets.add(new Target("Hello", "de.shopmigration.bench.Hello", null, runnerJar.toString(), Map.of(), globalFlags, null, "hi",
                null, -1, "– (prints hi)", null));
        targets.add(new Target("MinimalSdk", "de.shopmigration.bench.MinimalSdk", null, runnerJar + ":" + sdkLib + "/*", sdkEnv,
                globalFlags, null, "RESPONSE", new Expectation("ListTables answered", List.of("TableNames=")), -1,
                "one DynamoDbClient, ListTables (class path: functions/" + options.sdkLib() + "/target/lambda-deps/*, the unshrunk jars)", null));

        for (String id : functions) {
            if (!options.only().isEmpty() && !options.only().contains(id)) {
                continue;
            }
            SamTemplate.Function declared = cloud.functions().declared(id);
            Path jar = Functions.packageOf(root, id);
            long size = Files.size(jar);
            Map<String, String> env = new LinkedHashMap<>(declared.environment());
            List<String> jvmFlags = flags(env.remove("JAVA_TOOL_OPTIONS"));
            env.putAll(s.localEnv);
            // What the Lambda service itself sets (the SDK looks at some of it).
            env.put("AWS_LAMBDA_FUNCTION_NAME", id);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            EventSpec spec = eventSpec(id, s);
            IntFunction<Path> eventFile = round -> {
                Path file = out.resolve("events/" + id + "-" + round + ".json");
                try {
                    if (!Files.exists(file)) {
                        Files.writeString(file, spec.event().apply(round));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return file;
            };
            targets.add(new Target(id, RUNNER, declared.handlerClass(), runnerJar + ":" + jar, env, jvmFlags,
                    eventFile, "RESPONSE", spec.expectation(), size, spec.description(), null));
        }
        List<Target> variants = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, List<String>> v : options.variants().entrySet()) {
            offset += options.runs() + 2;
            for (Target t : targets) {
                variants.add(t.with(v.getKey(), v.getValue(), offset));
            }
        }
        targets.addAll(variants);
        return targets;
    }

    record EventSpec(String description, IntFunction<String> event, Expectation expectation) {
    }

    /**
     * Each function's event: a first invocation as the state machine (or API Gateway) makes it,
     * with at least one AWS call, on data no earlier round touched, so every round does the same
     * work. Round r uses the migrations of index r.
     */
    private EventSpec eventSpec(String id, Setup s) {
        return switch (id) {
            case "IntakeFunction" -> new EventSpec(
                    "Check the migration request: a valid request (1 domain in Route 53, a host of its own per round) under a new execution name per round -> GetHostedZone, record with the holds on its names and standing links written",
                    r -> intakeEvent(subdomainInput("i" + r, s.mainZone), s.mainId + "-i" + r),
                    new Expectation("record opened", List.of("\"migrationId\"", "\"testRun\"")));
            case "AskFunction" -> new EventSpec(
                    "Send the questionnaire (step QUESTIONNAIRE, round 1) of a migration the intake just opened -> wait and links stored, questionnaire email sent",
                    r -> "{\"migrationId\":\"" + s.fresh.get(r) + "\",\"step\":\"QUESTIONNAIRE\",\"round\":1,\"taskToken\":\""
                            + taskToken(new Random(1000 + r)) + "\"}",
                    new Expectation("wait opened, email sent", List.of("{}")));
            case "RemindFunction" -> new EventSpec(
                    "Questionnaire overdue: remind the customer (QUESTIONNAIRE, round 1, nudgeKey = the state's entry time, the default interval of a day) of a migration whose questionnaire was sent -> first reminder email",
                    r -> "{\"migrationId\":\"" + s.toRemind.get(r) + "\",\"step\":\"QUESTIONNAIRE\",\"round\":1,\"nudgeKey\":\""
                            + Instant.now() + "\",\"intervalSeconds\":86400}",
                    new Expectation("customer reminded once (not escalated)", List.of("\"nudges\":1", "\"escalated\":false")));
            case "NotifyFunction" -> new EventSpec(
                    "Announce the code freeze (notice CODE_FREEZE) for a migration the intake just opened -> customer email",
                    r -> "{\"migrationId\":\"" + s.fresh.get(r) + "\",\"notice\":\"CODE_FREEZE\"}",
                    new Expectation("one email sent", List.of("\"sent\":1")));
            case "DnsFunction" -> new EventSpec(
                    "Lower the DNS TTLs (LOWER_TTL) of a migration the intake just opened, own hosted zone per round -> ListResourceRecordSets, originals stored, one change batch",
                    r -> "{\"operation\":\"LOWER_TTL\",\"migrationId\":\"" + s.fresh.get(r) + "\"}",
                    new Expectation("change batch sent", List.of("\"pending\":true")));
            case "CopyFunction" -> new EventSpec(
                    "Copy the application for the test system (INITIAL_COPY, round 1; no copy webhook deployed) for a migration the intake just opened -> wait stored, copy job emailed to staff",
                    r -> "{\"migrationId\":\"" + s.fresh.get(r) + "\",\"step\":\"INITIAL_COPY\",\"round\":1,\"taskToken\":\""
                            + taskToken(new Random(2000 + r)) + "\"}",
                    new Expectation("wait opened, job emailed", List.of("{}")));
            case "GoLiveFunction" -> new EventSpec(
                    "Offer go-live slots (OFFER) for the real migration (TTLs lowered) -> holidays, slot holders read, offer stored",
                    r -> "{\"operation\":\"OFFER\",\"migrationId\":\"" + s.mainId + "\"}",
                    new Expectation("slots offered", List.of("\"slots\"", "\"bookingRound\"")));
            case "DocumentsFunction" -> new EventSpec(
                    "Write the test scenarios (TEST_SCENARIOS) for the real migration (questionnaire answered) -> PDF stored",
                    r -> "{\"operation\":\"TEST_SCENARIOS\",\"migrationId\":\"" + s.mainId + "\"}",
                    new Expectation("PDF written", List.of("\"document\"", "\"bytes\"")));
            case "LinksFunction" -> new EventSpec(
                    "API Gateway GET of the real migration's status page (link from the questionnaire email) -> record, link and waits read, page rendered",
                    r -> pageEvent(s.statusLink),
                    new Expectation("HTTP 200", List.of("\"statusCode\":200")));
            case "AbortFunction" -> new EventSpec(
                    "Cleanup: release the slot and revoke the links (FINISH, the heavier of its two steps) of a migration in phase 1 (TTLs lowered, questionnaire asked) whose cleanup marked it ABORTING and put its DNS back -> links revoked, record marked ABORTED, audit entry",
                    r -> "{\"operation\":\"FINISH\",\"migrationId\":\"" + s.toAbort.get(r) + "\",\"dns\":{\"changeIds\":[\"/change/C0BENCH\"],\"switchedBack\":0}}",
                    new Expectation("cleaned up", List.of("\"cleanedUp\":true")));
            case "BounceFunction" -> new EventSpec(
                    "SNS delivers SES's documented permanent bounce (550 5.1.1 user unknown) of the customer's questionnaire email of a migration the intake just opened -> record read, audit entry, problem listed, address marked unreachable, staff email sent",
                    r -> bounceEvent(s, s.fresh.get(r)),
                    new Expectation("bounce recorded", List.of("\"events\":1")));
            case "SiteCheckFunction" -> new EventSpec(
                    "Start watching the shop (START_WATCH, window ending in a day) for a migration the intake just opened -> EventBridge Scheduler schedule created, watch stored, audit entry (the trust store is built at start; no page is fetched: the bench's shops have no servers)",
                    r -> "{\"operation\":\"START_WATCH\",\"migrationId\":\"" + s.fresh.get(r) + "\",\"endsAt\":\""
                            + Instant.now().plus(Duration.ofDays(1)) + "\"}",
                    new Expectation("schedule created", List.of("\"watching\":true", "\"schedule\"")));
            default -> throw new IllegalStateException("template.yaml has a function the benchmark has no event for: " + id
                    + " (add one in ColdStartBenchmark.eventSpec)");
        };
    }

    /** The SNS event of SES's bounce of the customer's first email to a migration (tags as the Mailer sets them). */
    private String bounceEvent(Setup s, String migrationId) {
        var ses = new de.shopmigration.local.SesEvents("bench-" + migrationId, "umzug@hosting.example", "erika@muster-shop.example",
                "[" + migrationId + "] Fragebogen zum Umzug", Map.of("ses:configuration-set", LocalCloud.STACK + "-EmailConfigurationSet",
                        "migration-id", migrationId, "message-kind", "QUESTIONNAIRE", "audience", "CUSTOMER"));
        return s.snsEvent.apply(ses.bounce("Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown",
                "bench-feedback-" + migrationId, Instant.now()));
    }

    static List<String> flags(String javaToolOptions) {
        return javaToolOptions == null || javaToolOptions.isBlank() ? List.of()
                : Arrays.stream(javaToolOptions.strip().split("\\s+")).toList();
    }

    // ---- cold starts -----------------------------------------------------------------------

    private List<Run> measureColdStarts(List<Target> targets) throws Exception {
        List<Run> runs = new ArrayList<>();
        Path csv = out.resolve("cold-start-runs.csv");
        Files.writeString(csv, "target,round,ok,wall_ms,jvm_to_main_ms,main_to_constructed_ms,invoke_ms,cpu_ms,problem\n");
        for (int round = 0; round <= options.runs(); round++) {
            // Rotate the order each round, so no target always runs first or after the same one.
            List<Target> order = new ArrayList<>(targets);
            Collections.rotate(order, -round);
            double load = loadAverage();
            if (round > 0) {
                roundLoads.add(load);
            }
            System.out.printf(Locale.ROOT, "%s (load %.1f):", round == 0 ? "Warm-up round (discarded)" : "Round " + round + "/" + options.runs(), load);
            for (Target t : order) {
                Run run = spawn(t, round, List.of(), out.resolve("logs/" + t.name() + "-" + round + ".err"));
                System.out.printf(Locale.ROOT, " %s %.0f%s", shortName(t.name()), run.wallMs(), run.ok() ? "" : "(FAILED)");
                if (!run.ok()) {
                    System.out.printf("%n  %s round %d failed: %s%n ", t.name(), round, run.problem());
                }
                if (round > 0) {
                    runs.add(run);
                }
                Files.writeString(csv, String.format(Locale.ROOT, "%s,%d,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%s%n", t.name(), round,
                        run.ok(), run.wallMs(), run.mainMs(), run.constructMs(), run.invokeMs(), run.cpuMs(),
                        run.problem() == null ? "" : "\"" + run.problem().replace("\"", "'") + "\""), StandardOpenOption.APPEND);
            }
            System.out.println();
        }
        return runs;
    }

    /** Starts one fresh JVM and measures until it reports its response. */
    private Run spawn(Target t, int round, List<String> extraFlags, Path stderr) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaBin);
        t.jvmFlags().forEach(f -> command.add(f.replace("{target}", t.name().replaceAll("[^A-Za-z0-9_-]", "-"))));
        options.jvmFlags().forEach(f -> command.add(f.replace("{target}", t.name().replaceAll("[^A-Za-z0-9_-]", "-"))));
        boolean timed = extraFlags.contains("-Dbench.httpTimer=true");
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(timed ? t.classpath() + ":" + httpTimerDir() : t.classpath());
        command.add(t.mainClass());
        if (!t.reference()) {
            command.add(t.handlerClass());
            command.add(t.eventFile().apply(round).toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
        // Only the function's own environment, as Lambda gives it (no PATH, no HOME, no JAVA_TOOL_OPTIONS:
        // its flags are on the command line).
        builder.environment().clear();
        builder.environment().putAll(t.env());
        long spawned = System.nanoTime();
        builder.environment().put("BENCH_SPAWN_NANOS", Long.toString(spawned));
        Process process = builder.start();
        running.set(process);
        long responded = 0;
        List<String> lines = new ArrayList<>();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended in time
            }
        });
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (responded == 0 && line.startsWith(t.marker())) {
                    responded = System.nanoTime();
                }
                lines.add(line);
            }
        }
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        watchdog.interrupt();
        running.set(null);
        double wall = responded == 0 ? Double.NaN : (responded - spawned) / 1e6;
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            fields.putIfAbsent(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
        }
        String problem = null;
        if (responded == 0) {
            problem = "no " + t.marker() + " line (exit " + (exited ? process.exitValue() : "timeout") + "): "
                    + clip(String.join(" | ", lines), 300) + " stderr: " + tail(stderr, 600);
        } else if (fields.containsKey("ERROR")) {
            problem = "handler threw " + clip(fields.get("ERROR"), 400);
        } else if (t.expectation() != null) {
            String body = fields.getOrDefault("BODY", "");
            for (String expected : t.expectation().mustContain()) {
                if (!body.contains(expected)) {
                    problem = "expected " + t.expectation().description() + " (" + expected + ") but got: " + clip(body, 300);
                    break;
                }
            }
        }
        String[] httpStats = fields.getOrDefault("HTTP", "-1 -1").split(" ");
        return new Run(t.name(), round, problem == null, problem, wall, millis(fields.get("MAIN")),
                millis(first(fields.get("CONSTRUCTED"))), millis(fields.get("INVOKED")), millis(fields.get("CPU")),
                fields.getOrDefault("BODY", ""), Integer.parseInt(httpStats[0]), millis(httpStats[1]), fields.getOrDefault("OPERATIONS", ""));
    }

    private static String first(String value) {
        return value == null ? null : value.split(" ")[0];
    }

    private static double millis(String nanos) {
        if (nanos == null || nanos.isBlank()) {
            return Double.NaN;
        }
        long n = Long.parseLong(nanos.strip().split(" ")[0]);
        return n < 0 ? Double.NaN : n / 1e6;
    }

    // ---- class loading ---------------------------------------------------------------------

    /** Classes one run loaded, by phase and by where they came from. */
    record ClassLoads(int boot, int init, int invoke, int after, Map<String, Integer> initBySource,
                      Map<String, Integer> invokeBySource, Map<String, Integer> appPackages, List<String> clients,
                      double constructedAt, double respondedAt, double wallMs, int httpCalls, double httpMs, String operations) {
        int total() {
            return boot + init + invoke;
        }

        int fromJars() {
            return Counts.sum(initBySource, k -> k.endsWith(".jar")) + Counts.sum(invokeBySource, k -> k.endsWith(".jar"));
        }
    }

    /** Small helpers for maps of counts. */
    static final class Counts {
        static int sum(Map<String, Integer> counts, java.util.function.Predicate<String> key) {
            return counts.entrySet().stream().filter(e -> key.test(e.getKey())).mapToInt(Map.Entry::getValue).sum();
        }

        static String top(Map<String, Integer> counts, int n) {
            return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    private static final Pattern CLASS_LOAD = Pattern.compile("^\\[([0-9.]+)s\\]\\[info\\s*\\]\\[class,load\\s*\\] (\\S+) source: (.*)$");
    private static final Pattern SDK_CLIENT = Pattern.compile("^software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.Default\\w+Client$");

    private Map<String, ClassLoads> classLoadRuns(List<Target> targets) throws Exception {
        System.out.print("Class-load runs (-Xlog:class+load, not timed):");
        Map<String, ClassLoads> result = new LinkedHashMap<>();
        int round = options.runs() + 1;
        for (Target t : targets) {
            if (t.variant() != null) {
                continue;
            }
            Path logFile = out.resolve("classload/" + t.name() + ".log");
            Run run = spawn(t, round, List.of("-Xlog:class+load=info:file=" + logFile, "-Dbench.httpTimer=true"),
                    out.resolve("logs/" + t.name() + "-classload.err"));
            if (run.ok()) {
                result.put(t.name(), parseClassLoads(logFile, run));
            } else {
                System.out.printf("%n  %s class-load run failed (no class counts for it): %s%n", t.name(), run.problem());
            }
            System.out.print(" " + shortName(t.name()));
        }
        System.out.println();
        return result;
    }

    static ClassLoads parseClassLoads(Path logFile, Run run) throws IOException {
        int boot = 0;
        int init = 0;
        int invoke = 0;
        int after = 0;
        int phase = 0;
        double constructedAt = Double.NaN;
        double respondedAt = Double.NaN;
        Map<String, Integer> initBySource = new LinkedHashMap<>();
        Map<String, Integer> invokeBySource = new LinkedHashMap<>();
        Map<String, Integer> packages = new LinkedHashMap<>();
        List<String> clients = new ArrayList<>();
        for (String line : Files.readAllLines(logFile)) {
            Matcher m = CLASS_LOAD.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String name = m.group(2);
            String source = source(name, m.group(3));
            if (phase == 0 && (name.equals(RUNNER) || name.equals("de.shopmigration.bench.MinimalSdk") || name.equals("de.shopmigration.bench.Hello"))) {
                phase = 1;
            }
            if (name.equals(RUNNER + "$Constructed")) {
                phase = 2;
                constructedAt = Double.parseDouble(m.group(1)) * 1000;
                continue;
            }
            if (name.equals(RUNNER + "$Responded")) {
                phase = 3;
                respondedAt = Double.parseDouble(m.group(1)) * 1000;
                continue;
            }
            switch (phase) {
                case 0 -> boot++;
                case 1 -> {
                    init++;
                    initBySource.merge(source, 1, Integer::sum);
                }
                case 2 -> {
                    invoke++;
                    invokeBySource.merge(source, 1, Integer::sum);
                }
                default -> after++;
            }
            if (phase >= 1 && phase <= 2 && source.endsWith(".jar")) {
                int dot = name.lastIndexOf('.');
                packages.merge(dot < 0 ? "(default)" : name.substring(0, dot), 1, Integer::sum);
            }
            Matcher client = SDK_CLIENT.matcher(name);
            if (client.matches() && phase >= 1 && phase <= 2) {
                clients.add(client.group(1) + (phase == 1 ? "" : " (during the call)"));
            }
        }
        return new ClassLoads(boot, init, invoke, after, initBySource, invokeBySource, packages, clients, constructedAt, respondedAt,
                run.wallMs(), run.httpCalls(), run.httpMs(), run.operations());
    }

    /** Where a class came from: a jar's file name, the JDK (CDS archive or jrt), or generated at run time. */
    static String source(String name, String source) {
        if (source.startsWith("shared objects file")) {
            return "JDK (CDS archive)";
        }
        if (source.startsWith("jrt:/")) {
            return "JDK (jrt, not archived)";
        }
        if (source.startsWith("file:") || source.startsWith("jar:file:")) {
            String path = source.replaceFirst("^jar:", "").replaceFirst("!/.*$", "");
            return path.substring(path.lastIndexOf('/') + 1);
        }
        return "generated (lambdas, method handles, proxies)";
    }

    // ---- warm link pages -------------------------------------------------------------------

    record WarmResult(String page, int calls, double p50, double p90, double p50Total, double p50Http, double sdkCallsPerRequest,
                      int status) {
    }

    @SuppressWarnings("unchecked")
    private List<WarmResult> warmLinkPages(LocalCloud cloud, Setup s, Path runnerJar) throws Exception {
        String id = "LinksFunction";
        SamTemplate.Function declared = cloud.functions().declared(id);
        List<URL> urls = new ArrayList<>();
        urls.add(runnerJar.toUri().toURL());
        urls.add(Functions.packageOf(root, id).toUri().toURL());
        // The SDK's global interceptor file, only in this class loader: HttpTimer sees every HTTP
        // exchange of the clients the handler builds, and nothing else.
        urls.add(httpTimerDir().toUri().toURL());

        Map<String, String> env = new LinkedHashMap<>(declared.environment());
        env.remove("JAVA_TOOL_OPTIONS");
        env.putAll(s.localEnv);
        List<WarmResult> results = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader("links-function", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> envType = Class.forName("de.shopmigration.core.lambda.Env", true, loader);
            Object envValue = envType.getConstructor(Map.class).newInstance(env);
            Object handler = Class.forName(declared.handlerClass(), true, loader).getConstructor(envType).newInstance(envValue);
            Class<?> runner = Class.forName(RUNNER, true, loader);
            Class<?> timer = Class.forName("de.shopmigration.bench.HttpTimer", true, loader);
            java.lang.reflect.Method reset = timer.getMethod("reset");
            java.lang.reflect.Method nanos = timer.getMethod("nanos");
            java.lang.reflect.Method count = timer.getMethod("calls");
            java.lang.reflect.Method prepare = runner.getMethod("prepare", Object.class, byte[].class);
            java.lang.reflect.Method serialize = runner.getMethod("serialize", Object.class);
            List<String> pages = List.of("status page", "questionnaire page");
            List<Supplier<Object>> calls = List.of(
                    (Supplier<Object>) prepare.invoke(null, handler, pageEvent(s.statusLink).getBytes(StandardCharsets.UTF_8)),
                    (Supplier<Object>) prepare.invoke(null, handler, pageEvent(s.questionnaireLink).getBytes(StandardCharsets.UTF_8)));
            int[] status = new int[pages.size()];
            for (int i = 0; i < pages.size(); i++) {
                JsonNode response = Json.read(new String((byte[]) serialize.invoke(null, calls.get(i).get()), StandardCharsets.UTF_8));
                status[i] = response.path("statusCode").asInt();
                require(status[i] == 200, pages.get(i) + " answered " + status[i] + ": " + clip(response.path("body").asText(), 300));
                require(response.path("body").asText().contains("<form") == (i == 1),
                        pages.get(i) + (i == 1 ? " shows no form" : " shows a form") + ": " + clip(response.path("body").asText(), 300));
            }
            System.out.printf("Warm link pages: %d warm-up and %d measured calls per page, in this JVM (flags: %s)%n",
                    options.warmups(), options.warmCalls(), String.join(" ", jitFlags()));
            List<List<double[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
            for (int n = 0; n < options.warmups() + options.warmCalls(); n++) {
                for (int i = 0; i < pages.size(); i++) {
                    reset.invoke(null);
                    long t0 = System.nanoTime();
                    Object response = calls.get(i).get();
                    long t1 = System.nanoTime();
                    long httpNanos = (long) nanos.invoke(null);
                    long httpCalls = (long) count.invoke(null);
                    int code = Json.read(new String((byte[]) serialize.invoke(null, response), StandardCharsets.UTF_8)).path("statusCode").asInt();
                    require(code == 200, pages.get(i) + " answered " + code + " on call " + n);
                    if (n >= options.warmups()) {
                        samples.get(i).add(new double[] {(t1 - t0) / 1e6, httpNanos / 1e6, httpCalls});
                    }
                }
            }
            for (int i = 0; i < pages.size(); i++) {
                List<double[]> sample = samples.get(i);
                double[] own = sample.stream().mapToDouble(x -> x[0] - x[1]).sorted().toArray();
                double[] total = sample.stream().mapToDouble(x -> x[0]).sorted().toArray();
                double[] httpMs = sample.stream().mapToDouble(x -> x[1]).sorted().toArray();
                double sdkCalls = sample.stream().mapToDouble(x -> x[2]).average().orElse(0);
                results.add(new WarmResult(pages.get(i), sample.size(), percentile(own, 50), percentile(own, 90), percentile(total, 50),
                        percentile(httpMs, 50), sdkCalls, status[i]));
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return results;
    }

    /**
     * A class path entry holding only the SDK's global interceptor file naming HttpTimer: where it
     * is on the class path, every SDK client counts its HTTP exchanges; nowhere else.
     */
    private Path httpTimerDir() {
        Path dir = out.resolve("http-timer");
        Path file = dir.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "de.shopmigration.bench.HttpTimer\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The 1-minute load average (Linux), NaN elsewhere. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static List<String> jitFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:") || a.startsWith("-Xmx") || a.startsWith("-Xss")).toList();
    }

    // ---- report ----------------------------------------------------------------------------

    private void printAndWrite(List<Target> targets, List<Run> runs, Map<String, ClassLoads> classLoads, List<WarmResult> warm,
                               Setup setup, String timings) throws IOException {
        Map<String, List<Run>> byTarget = new LinkedHashMap<>();
        for (Target t : targets) {
            byTarget.put(t.name(), runs.stream().filter(r -> r.target().equals(t.name())).toList());
        }
        double sdkMedian = median(byTarget.get("MinimalSdk").stream().filter(Run::ok).mapToDouble(Run::wallMs).toArray());

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"target", "median ms", "min–max ms", "× MinimalSdk", "JVM→main", "main→handler", "invocation",
                "CPU ms", "size MiB", "classes", "result"});
        boolean allPass = true;
        for (Target t : targets) {
            List<Run> rs = byTarget.get(t.name());
            double[] ok = rs.stream().filter(Run::ok).mapToDouble(Run::wallMs).sorted().toArray();
            int failed = (int) rs.stream().filter(r -> !r.ok()).count();
            double med = median(ok);
            double ratio = med / sdkMedian;
            String result;
            if (t.variant() != null) {
                result = failed > 0 ? "variant; " + failed + " runs failed" : "variant: +" + String.join(" ", options.variants().get(t.variant()));
            } else if (t.reference()) {
                result = failed > 0 ? "FAIL (" + failed + " runs failed)" : "reference";
            } else {
                List<String> why = new ArrayList<>();
                if (failed > 0) {
                    why.add(failed + "/" + rs.size() + " runs failed");
                }
                if (!(ratio <= RATIO_TARGET)) {
                    why.add(String.format(Locale.ROOT, "%.2fx > %.1fx", ratio, RATIO_TARGET));
                }
                if (t.artifactBytes() > SIZE_TARGET) {
                    why.add(String.format(Locale.ROOT, "%.1f MiB > 12 MiB", t.artifactBytes() / 1048576.0));
                }
                result = why.isEmpty() ? "PASS" : "FAIL: " + String.join(", ", why);
                allPass &= why.isEmpty();
            }
            ClassLoads cl = classLoads.get(t.name());
            rows.add(new String[] {t.name(), fmt(med), ok.length == 0 ? "–" : fmt(ok[0]) + "–" + fmt(ok[ok.length - 1]),
                    t.name().equals("MinimalSdk") ? "1.00" : String.format(Locale.ROOT, "%.2f", ratio),
                    fmt(median(rs.stream().filter(Run::ok).mapToDouble(Run::mainMs).toArray())),
                    fmt(median(rs.stream().filter(Run::ok).mapToDouble(Run::constructMs).toArray())),
                    fmt(median(rs.stream().filter(Run::ok).mapToDouble(Run::invokeMs).toArray())),
                    fmt(median(rs.stream().filter(Run::ok).mapToDouble(Run::cpuMs).toArray())),
                    t.artifactBytes() < 0 ? "–" : String.format(Locale.ROOT, "%.1f", t.artifactBytes() / 1048576.0),
                    cl == null ? "–" : Integer.toString(cl.total()),
                    result});
        }

        StringBuilder md = new StringBuilder();
        md.append("# Cold starts\n\n");
        md.append("`make bench-coldstart` on ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(System.getProperty("java.vm.name")).append(" ").append(System.getProperty("java.version"))
                .append(" (children: ").append(javaBin).append(")\n\n");
        md.append("Cold start = wall time from just before a fresh JVM starts (`java ")
                .append(String.join(" ", targets.get(0).jvmFlags())).append(options.jvmFlags().isEmpty() ? "" : " " + String.join(" ", options.jvmFlags()))
                .append(" -cp bench-runner.jar:<function package>`) to the first handler response, one AWS round trip or more ")
                .append("to the local emulator included. Median and spread of ").append(options.runs())
                .append(" rounds (one warm-up round discarded; targets interleaved, order rotated per round). ")
                .append("JVM→main, main→handler (class loading + constructor) and invocation are medians reported by the runner; ")
                .append("CPU ms is the child's CPU time (all threads) at its response. Size = the function's package, one jar (1 MiB = 1,048,576 bytes). ")
                .append("Targets: at most ").append(RATIO_TARGET).append("x MinimalSdk's median and 12 MiB.\n\n");
        table(md, rows);
        md.append("\n").append(allPass ? "All functions meet both targets.\n" : "Not every function meets the targets.\n");
        md.append("\n").append(timings).append(String.format(Locale.ROOT,
                " 1-minute load average: %.2f before the run, %s at the start of the measured rounds (2 CPUs: above ~1 means other processes competed).",
                loadAtStart, roundLoads.stream().map(l -> String.format(Locale.ROOT, "%.1f", l)).collect(Collectors.joining(", "))))
                .append(" The emulator's HTTP servers run with TCP_NODELAY (`sun.net.httpserver.nodelay`), as AWS endpoints answer without a delayed-ACK stall.\n\n## Events\n\n");
        md.append("| target | event |\n|---|---|\n");
        for (Target t : targets) {
            md.append("| ").append(t.name()).append(" | ").append(t.event()).append(" |\n");
        }
        md.append("\nMigrations: ").append(setup.mainId).append(" went through the state machine (questionnaire answered from the emailed link, ")
                .append("TTLs lowered, waiting for staff at CLUSTER_PREPARATION); ").append(setup.questionnaireId)
                .append(" waits at its questionnaire; per round r, ").append(setup.mainId).append("-b<r> was opened by the intake step, ")
                .append(setup.mainId).append("-r<r> opened and its questionnaire sent, and ").append(setup.mainId)
                .append("-x<r> opened, its TTLs lowered and its questionnaire sent, all through the ")
                .append("Invoke API of the local cloud (the product's handlers). Events: `target/bench/events/`.\n");

        if (!classLoads.isEmpty()) {
            md.append("\n## Classes loaded\n\nOne extra run per target with `-Xlog:class+load` (logs in `target/bench/classload/`). ")
                    .append("boot = before the runner's main class; init = class loading + handler constructor; invoke = the first ")
                    .append("invocation. JDK classes from the CDS archive are cheap; classes from jars are read, defined and verified. ")
                    .append("AWS calls: the SDK HTTP exchanges of that run (HttpTimer interceptor) and the time in them, emulator included.\n\n");
            List<String[]> cl = new ArrayList<>();
            cl.add(new String[] {"target", "total", "boot", "init", "invoke", "from jars", "JDK not in CDS", "generated",
                    "SDK clients built", "AWS calls (ms in HTTP)", "top jars (init + invoke)"});
            for (Map.Entry<String, ClassLoads> e : classLoads.entrySet()) {
                ClassLoads c = e.getValue();
                Map<String, Integer> all = new LinkedHashMap<>(c.initBySource());
                c.invokeBySource().forEach((k, v) -> all.merge(k, v, Integer::sum));
                Map<String, Integer> jars = new LinkedHashMap<>();
                all.forEach((k, v) -> {
                    if (k.endsWith(".jar")) {
                        jars.put(k, v);
                    }
                });
                cl.add(new String[] {e.getKey(), Integer.toString(c.total()), Integer.toString(c.boot()), Integer.toString(c.init()),
                        Integer.toString(c.invoke()), Integer.toString(c.fromJars()),
                        Integer.toString(all.getOrDefault("JDK (jrt, not archived)", 0)),
                        Integer.toString(all.getOrDefault("generated (lambdas, method handles, proxies)", 0)),
                        c.clients().isEmpty() ? "–" : String.join(", ", c.clients()), awsCalls(c), Counts.top(jars, 6)});
            }
            table(md, cl);
            md.append("\n### Per target: classes by source and by package\n");
            for (Map.Entry<String, ClassLoads> e : classLoads.entrySet()) {
                ClassLoads c = e.getValue();
                md.append("\n**").append(e.getKey()).append("** (class-load run: handler constructed at ")
                        .append(fmt(c.constructedAt())).append(" ms JVM uptime, response at ").append(fmt(c.respondedAt()))
                        .append(" ms; wall ").append(fmt(c.wallMs())).append(" ms with logging)\n\n");
                md.append("- init by source: ").append(Counts.top(c.initBySource(), 12)).append("\n");
                md.append("- invoke by source: ").append(Counts.top(c.invokeBySource(), 12)).append("\n");
                md.append("- top packages from jars: ").append(Counts.top(c.appPackages(), 12)).append("\n");
                if (!c.operations().isBlank()) {
                    md.append("- AWS calls by operation: ").append(c.operations().replace(",", ", ").replace("=", " ×")).append("\n");
                }
            }
        }

        if (!warm.isEmpty()) {
            md.append("\n## Warm link pages\n\nThe links function's artifact in an isolated class loader of the benchmark JVM (flags: `")
                    .append(String.join(" ", jitFlags())).append("`), built from its template environment; ")
                    .append(options.warmups()).append(" warm-up and ").append(options.warmCalls())
                    .append(" measured GETs per page, alternating. Handler time excluding network = handler time minus the time ")
                    .append("the SDK spent in HTTP exchanges (an execution interceptor, beforeTransmission to afterTransmission). ")
                    .append("Target: p50 under ").append(WARM_P50_TARGET_MS).append(" ms.\n\n");
            List<String[]> w = new ArrayList<>();
            w.add(new String[] {"page", "calls", "p50 ms (excl. network)", "p90 ms (excl. network)", "p50 ms handler total",
                    "p50 ms in HTTP", "SDK calls per request", "result"});
            for (WarmResult r : warm) {
                w.add(new String[] {r.page(), Integer.toString(r.calls()), fmt2(r.p50()), fmt2(r.p90()), fmt2(r.p50Total()), fmt2(r.p50Http()),
                        String.format(Locale.ROOT, "%.1f", r.sdkCallsPerRequest()), r.p50() < WARM_P50_TARGET_MS ? "PASS" : "FAIL"});
            }
            table(md, w);
        }
        Files.writeString(out.resolve("cold-start.md"), md.toString());

        System.out.println();
        System.out.print(textTable(rows));
        System.out.println(allPass ? "All functions meet both targets." : "Not every function meets the targets (1.5x MinimalSdk, 12 MiB).");
        if (!classLoads.isEmpty()) {
            System.out.println("\nClasses loaded (one -Xlog:class+load run each; init = loading + constructor, invoke = first call):");
            for (Map.Entry<String, ClassLoads> e : classLoads.entrySet()) {
                ClassLoads c = e.getValue();
                Map<String, Integer> jars = new LinkedHashMap<>();
                c.initBySource().forEach((k, v) -> {
                    if (k.endsWith(".jar")) {
                        jars.merge(k, v, Integer::sum);
                    }
                });
                c.invokeBySource().forEach((k, v) -> {
                    if (k.endsWith(".jar")) {
                        jars.merge(k, v, Integer::sum);
                    }
                });
                System.out.printf(Locale.ROOT, "  %-18s %5d total (boot %d, init %d, invoke %d), %d from jars; clients: %s; AWS calls: %s%n      top jars: %s%n",
                        e.getKey(), c.total(), c.boot(), c.init(), c.invoke(), c.fromJars(),
                        c.clients().isEmpty() ? "–" : String.join(", ", c.clients()), awsCalls(c), Counts.top(jars, 5));
            }
        }
        if (!warm.isEmpty()) {
            System.out.println("\nWarm link pages (handler time excluding SDK HTTP time; target p50 < 10 ms):");
            for (WarmResult r : warm) {
                System.out.printf(Locale.ROOT, "  %-19s p50 %.2f ms, p90 %.2f ms (handler total p50 %.2f ms, of which HTTP %.2f ms; %.1f SDK calls/request) %s%n",
                        r.page(), r.p50(), r.p90(), r.p50Total(), r.p50Http(), r.sdkCallsPerRequest(), r.p50() < WARM_P50_TARGET_MS ? "PASS" : "FAIL");
            }
        }
        System.out.println("\n" + timings);
        System.out.printf(Locale.ROOT, "Load average: %.2f before the run; at the start of each measured round: %s%n", loadAtStart,
                roundLoads.stream().map(l -> String.format(Locale.ROOT, "%.1f", l)).collect(Collectors.joining(", ")));
        System.out.println("Written: " + root.relativize(out.resolve("cold-start.md")) + " (with the events and class-load details), "
                + root.relativize(out.resolve("cold-start-runs.csv")));
    }

    private static String awsCalls(ClassLoads c) {
        return c.httpCalls() < 0 ? "–" : c.httpCalls() + " (" + fmt(c.httpMs()) + " ms)";
    }

    private static void table(StringBuilder md, List<String[]> rows) {
        for (int i = 0; i < rows.size(); i++) {
            md.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) {
                md.append("|").append("---|".repeat(rows.get(0).length)).append("\n");
            }
        }
    }

    private static String textTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                boolean left = i == 0 || i == row.length - 1;
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                text.append(left ? cell + pad : pad + cell).append(i == row.length - 1 ? "" : "  ");
            }
            text.append("\n");
        }
        return text.toString();
    }

    // ---- helpers ---------------------------------------------------------------------------

    static double median(double[] values) {
        return percentile(Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray(), 50);
    }

    /** Nearest-rank percentile of sorted values (the median of an even count is the mean of the middle two). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (p == 50) {
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String fmt(double ms) {
        return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%.0f", ms);
    }

    private static String fmt2(double ms) {
        return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static String shortName(String name) {
        return name.endsWith("Function") ? name.substring(0, name.length() - "Function".length()) : name;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static Path single(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
                for (Path p : files) {
                    String n = p.getFileName().toString();
                    if (!n.endsWith("-sources.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar")) {
                        found.add(p);
                    }
                }
            }
        }
        require(found.size() == 1, "expected one " + glob + " in " + dir + ", found " + found + " (build first: make package)");
        return found.get(0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static String clip(String text, int max) {
        String t = text == null ? "" : text.replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max) + "...";
    }

    private static String tail(Path file, int max) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return clip(text.length() <= max ? text : text.substring(text.length() - max), max);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private void log(String line) {
        try {
            Files.writeString(harnessLog, Instant.now() + " " + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
