package de.shopmigration.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The whole product on loopback: moto (Step Functions interpreter, DynamoDB, Route 53, SES,
 * Secrets Manager),
 * the Invoke front running the real handlers, and the HTTP API for the link pages. Deployed
 * from template.yaml and statemachine.asl.json exactly as they are. Everything it starts, it
 * stops.
 */
public final class LocalCloud implements AutoCloseable {

    public static final String REGION = "eu-central-1";
    public static final String ACCOUNT = "123456789012";
    public static final String STACK = "shop-migration";
    public static final String STATE_MACHINE = "MigrationStateMachine";

    private final List<String> scheduleGroups = new java.util.ArrayList<>();
    private String siteRoutes = "";
    private int siteHttpsPort = 443;

    static {
        // AWS endpoints answer at once; the JDK's HTTP server otherwise leaves larger answers to
        // Nagle and a delayed ACK, some 40 ms each. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final Path repoRoot;
    private final Consumer<String> log;
    private final LambdaFront front;
    private final MotoServer moto;
    private final LocalApi api;
    private final SamTemplate template;
    private final Mailbox mailbox;
    private Route53Dns dns;
    private final UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.builder().build();
    private Functions functions;
    private final Map<String, String> stateMachineArns = new LinkedHashMap<>();
    private String tableName;
    private ScheduledExecutorService eventBridge;
    private ScheduledExecutorService schedulerTicks;
    private Map<String, Object> parameters = Map.of();
    private IamCalls iamCalls;
    /** Names the stack made up (a generated secret's ARN), by logical id: what CloudFormation would report as physical ids. */
    private final Map<String, String> physicalIds = new LinkedHashMap<>();
    private SamTemplate.Resolver deployed;

    private LocalCloud(Path repoRoot, Consumer<String> log, LambdaFront front, MotoServer moto, LocalApi api, SamTemplate template) {
        this.repoRoot = repoRoot;
        this.log = log;
        this.front = front;
        this.moto = moto;
        this.api = api;
        this.template = template;
        this.mailbox = new Mailbox(moto);
    }

    /** The local public DNS, answering for the emulator's hosted zones. */
    public Route53Dns dns() {
        return dns;
    }

    /** Starts the emulator and the local API; {@link #deploy} then installs the product. */
    public static LocalCloud start(Path repoRoot, Consumer<String> log) throws IOException {
        if ("unit".equals(System.getProperty("tests.tier"))) {
            // make unit promises no emulator: a test that starts one belongs to the full tier.
            throw new IllegalStateException("The local cloud is not started in the unit tier (make unit): tag the test @Tag(\"full\")");
        }
        SamTemplate template = SamTemplate.load(repoRoot.resolve("template.yaml"));
        LambdaFront front = LambdaFront.start(MotoServer.freePort(), log);
        MotoServer moto;
        try {
            moto = MotoServer.start(repoRoot, front.port(), repoRoot.resolve("target/local-cloud/moto-" + front.port() + ".log"));
        } catch (IOException | RuntimeException e) {
            front.close();
            throw e;
        }
        front.forwardTo(moto.port());
        LocalApi api;
        try {
            api = LocalApi.start(MotoServer.freePort(), log);
        } catch (IOException | RuntimeException e) {
            moto.close();
            front.close();
            throw e;
        }
        LocalCloud cloud = new LocalCloud(repoRoot, log, front, moto, api, template);
        try {
            // The DNS stand-in reads the zones straight from moto: its reads are the public DNS's, not the product's calls.
            cloud.dns = Route53Dns.start(cloud.local(Route53Client.builder()).httpClient(cloud.http).region(Region.AWS_GLOBAL)
                    .endpointOverride(URI.create("http://127.0.0.1:" + moto.port())).build(), log);
        } catch (IOException | RuntimeException e) {
            cloud.close();
            throw e;
        }
        return cloud;
    }

    /** The endpoint every AWS client (the CLI too) uses: the Invoke front, which forwards to moto. */
    public String endpoint() {
        return front.endpoint();
    }

    public String apiBaseUrl() {
        return api.baseUrl();
    }

    public LocalApi api() {
        return api;
    }

    public MotoServer moto() {
        return moto;
    }

    public LambdaFront front() {
        return front;
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    public SamTemplate template() {
        return template;
    }

    public String stateMachineArn() {
        return stateMachineArn(STATE_MACHINE);
    }

    /** The ARN of a state machine of template.yaml, by its logical id (e.g. CleanupStateMachine). */
    public String stateMachineArn(String logicalId) {
        String arn = stateMachineArns.get(logicalId);
        if (arn == null) {
            throw new IllegalArgumentException("template.yaml has no state machine " + logicalId + " (it has " + stateMachineArns.keySet() + ")");
        }
        return arn;
    }

    public String tableName() {
        return tableName;
    }

    public Functions functions() {
        return functions;
    }

    private <B extends AwsClientBuilder<B, ?>> B local(B builder) {
        return builder.region(Region.of(REGION)).endpointOverride(URI.create(endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    public DynamoDbClient dynamoDb() {
        return local(DynamoDbClient.builder()).httpClient(http).build();
    }

    public Route53Client route53() {
        return local(Route53Client.builder()).httpClient(http).region(Region.AWS_GLOBAL).build();
    }

    public SfnClient sfn() {
        return local(SfnClient.builder()).httpClient(http).build();
    }

    public SesV2Client ses() {
        return local(SesV2Client.builder()).httpClient(http).build();
    }

    public SnsClient sns() {
        return local(SnsClient.builder()).httpClient(http).build();
    }

    /** The ARN of a topic of template.yaml, by its logical id, as the functions' environment names it. */
    public String topicArn(String logicalId) {
        Object name = SamTemplate.properties(template.resource(logicalId)).get("TopicName");
        String topic = name == null ? STACK + "-" + logicalId
                : String.valueOf(template.resolver(Map.of("AWS::StackName", STACK), Map.of()).resolve(name));
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + topic;
    }

    /** What was published to a topic of template.yaml so far (moto keeps it): each message's subject and text. */
    public List<com.fasterxml.jackson.databind.JsonNode> published(String topicLogicalId) {
        try {
            List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
            Json.read(moto.get("/moto-api/sns/published?topic=" + java.net.URLEncoder.encode(topicArn(topicLogicalId), StandardCharsets.UTF_8)))
                    .path("published").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read what was published to " + topicLogicalId, e);
        }
    }

    /**
     * Delivers a message to a function the way SNS delivers it to a subscriber: the SNS event
     * Lambda documents ("Using Lambda with Amazon SNS"), with the message as its Message, invoked
     * through the Invoke front (the function's own AWS calls pass it, so they are recorded for
     * the IAM test). moto publishes no SES events and runs no Lambda subscriptions: tests and
     * the sandbox hand SES's documented events over this way.
     *
     * @return the function's answer
     * @throws IllegalStateException with Lambda's error document when the function failed
     */
    public String deliverSnsMessage(String functionLogicalId, String topicLogicalId, String message) {
        LambdaFront.Result result = front.run(functionLogicalId, snsEvent(topicLogicalId, message).getBytes(StandardCharsets.UTF_8));
        if (result.error() != null) {
            throw new IllegalStateException(functionLogicalId + " failed: " + new String(result.error(), StandardCharsets.UTF_8));
        }
        return new String(result.output(), StandardCharsets.UTF_8);
    }

    /** The event Lambda receives from SNS for one message of a topic of template.yaml. */
    public String snsEvent(String topicLogicalId, String message) {
        String topic = topicArn(topicLogicalId);
        ObjectNode event = Json.object();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventVersion", "1.0").put("EventSource", "aws:sns")
                .put("EventSubscriptionArn", topic + ":" + java.util.UUID.randomUUID());
        record.putObject("Sns").put("Type", "Notification").put("MessageId", java.util.UUID.randomUUID().toString())
                .put("TopicArn", topic).putNull("Subject").put("Message", message).put("Timestamp", Instant.now().toString())
                .put("SignatureVersion", "1").put("Signature", "EXAMPLE")
                .put("SigningCertUrl", "https://sns." + REGION + ".amazonaws.com/SimpleNotificationService-local.pem")
                .put("UnsubscribeUrl", "https://sns." + REGION + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + topic)
                .putObject("MessageAttributes");
        return Json.write(event);
    }

    public SecretsManagerClient secretsManager() {
        return local(SecretsManagerClient.builder()).httpClient(http).build();
    }

    /** Creates a hosted zone with A (and optional AAAA) records; returns its id. */
    public String createZone(String zoneName, Map<String, String> aRecords, long ttl) {
        try (Route53Client r53 = route53()) {
            String id = r53.createHostedZone(b -> b.name(zoneName).callerReference(zoneName + System.nanoTime()))
                    .hostedZone().id().replace("/hostedzone/", "");
            if (!aRecords.isEmpty()) {
                r53.changeResourceRecordSets(b -> b.hostedZoneId(id).changeBatch(cb -> cb.changes(aRecords.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.route53.model.Change.builder().action("CREATE")
                                .resourceRecordSet(r -> r.name(e.getKey()).type(e.getValue().contains(":") ? RRType.AAAA : RRType.A).ttl(ttl)
                                        .resourceRecords(rr -> rr.value(e.getValue()))).build()).toList())));
            }
            return id;
        }
    }

    /**
     * Installs the product as the template describes it: table, SES identities, the functions
     * with their environment, the state machine with its substitutions.
     *
     * @param parameters template parameters (SenderEmail, StaffEmail, HostedZoneIds, ...)
     */
    public void deploy(Map<String, Object> parameters) {
        Map<String, Object> refs = new LinkedHashMap<>(parameters);
        refs.putIfAbsent("PublicBaseUrl", api.baseUrl());
        refs.putIfAbsent("DnsResolvers", dns.resolvers());
        refs.put("AWS::Region", REGION);
        refs.put("AWS::AccountId", ACCOUNT);
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::StackName", STACK);
        refs.put("AWS::URLSuffix", "amazonaws.com");
        Map<String, Object> attributes = new LinkedHashMap<>();
        tableName = STACK + "-MigrationTable";
        refs.put("MigrationTable", tableName);
        attributes.put("MigrationTable.Arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + tableName);
        // A function is called by its FunctionName where the template gives one, else by its logical id.
        SamTemplate.Resolver names = template.resolver(refs, attributes);
        // The secrets the stack creates (the link secret, unless the deployment names its own).
        for (String id : template.logicalIdsOfType("AWS::SecretsManager::Secret")) {
            Object condition = template.resource(id).get("Condition");
            if (condition == null || names.condition(String.valueOf(condition))) {
                String arn = createSecret(id, names);
                refs.put(id, arn);
                physicalIds.put(id, arn);
            }
        }
        Map<String, String> physicalNames = new LinkedHashMap<>();
        for (String id : template.logicalIdsOfType("AWS::Serverless::Function")) {
            Object name = SamTemplate.properties(template.resource(id)).get("FunctionName");
            String physical = name == null ? id : String.valueOf(names.resolve(name));
            physicalNames.put(id, physical);
            String arn = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + physical;
            refs.put(id, physical);
            refs.put(id + ".Alias", arn + ":live");
            attributes.put(id + ".Arn", arn);
        }
        for (String id : template.logicalIdsOfType("AWS::Serverless::HttpApi")) {
            refs.put(id, "local");
        }
        // What the functions' environment and grants name besides them: the SES configuration set
        // the stack creates (CloudFormation would make its name up) and the SNS topics (ARN by name).
        for (String id : template.logicalIdsOfType("AWS::SES::ConfigurationSet")) {
            refs.put(id, STACK + "-" + id);
        }
        // The watch's schedule group (created in the emulator below) and the role its schedules act as.
        for (String id : template.logicalIdsOfType("AWS::Scheduler::ScheduleGroup")) {
            Object name = SamTemplate.properties(template.resource(id)).get("Name");
            String group = name == null ? STACK + "-" + id : String.valueOf(names.resolve(name));
            refs.put(id, group);
            scheduleGroups.add(group);
        }
        // Roles by their logical id, as the IAM test's deployed policies name them.
        for (String id : template.logicalIdsOfType("AWS::IAM::Role")) {
            refs.put(id, id);
            attributes.put(id + ".Arn", "arn:aws:iam::" + ACCOUNT + ":role/" + id);
        }
        Map<String, String> topics = new LinkedHashMap<>();
        for (String id : template.logicalIdsOfType("AWS::SNS::Topic")) {
            Object name = SamTemplate.properties(template.resource(id)).get("TopicName");
            String topic = name == null ? STACK + "-" + id : String.valueOf(names.resolve(name));
            topics.put(id, topic);
            refs.put(id, "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + topic);
        }
        SamTemplate.Resolver resolver = template.resolver(refs, attributes);
        Map<String, String> machines = new LinkedHashMap<>();
        for (String id : template.logicalIdsOfType("AWS::Serverless::StateMachine")) {
            String name = String.valueOf(resolver.resolve(SamTemplate.properties(template.resource(id)).get("Name")));
            machines.put(id, name);
            stateMachineArns.put(id, "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name);
            refs.put(id, stateMachineArns.get(id));
        }
        resolver = template.resolver(refs, attributes);
        this.deployed = resolver;

        createTable();
        try (SchedulerClient scheduler = scheduler()) {
            scheduleGroups.forEach(group -> scheduler.createScheduleGroup(b -> b.name(group)));
        }
        verifySender(String.valueOf(parameters.get("SenderEmail")));
        // The configuration set every email names exists before the first email: the operator's, when
        // the deployment names one, else the stack's own (moto keeps it; it publishes no events).
        String configurationSet = String.valueOf(resolver.resolve(template.globalEnvironment().get("SES_CONFIGURATION_SET")));
        try (SesV2Client ses = ses()) {
            ses.createConfigurationSet(b -> b.configurationSetName(configurationSet));
        }
        // The topics: the ops topic the bounce function reports a dead staff address to, and the one SES would publish to.
        try (SnsClient sns = sns()) {
            topics.values().forEach(topic -> sns.createTopic(b -> b.name(topic)));
        }

        this.parameters = new LinkedHashMap<>(parameters);
        Set<String> principals = new HashSet<>(template.logicalIdsOfType("AWS::Serverless::Function"));
        principals.add(IamCalls.INTERPRETER);
        eventRuleRole().ifPresent(principals::add);
        // Roles a service assumes to call the stack (the watch's schedule signs as SiteWatchSchedulerRole).
        principals.addAll(template.logicalIdsOfType("AWS::IAM::Role"));
        iamCalls = new IamCalls("aws", REGION, ACCOUNT, principals);
        front.record(iamCalls);

        Functions fs = Functions.fromSystemProperty(repoRoot);
        fs.names(physicalNames);
        for (SamTemplate.Function f : template.functions(resolver)) {
            // Each function signs with its own access key (its logical id), as each has its own
            // role in AWS: the Invoke front tells the callers apart by it (IamCalls).
            // The authoritative name servers listen on the local DNS's port, not on 53.
            fs.add(f, Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", endpoint(),
                    "AWS_ACCESS_KEY_ID", f.logicalId(), "AWS_SECRET_ACCESS_KEY", "local", "DNS_PORT", Integer.toString(dns.port()),
                    // The sample migration's new server is in a documentation block (198.51.100.20).
                    "ALLOW_DOCUMENTATION_ADDRESSES", "true",
                    // Where the sample's shop servers are reached here (loopback stand-ins), as DNS_PORT is for DNS.
                    "SITE_CHECK_ROUTES", siteRoutes, "SITE_CHECK_HTTPS_PORT", Integer.toString(siteHttpsPort)));
        }
        this.functions = fs;
        front.functions(fs);
        api.route(fs.handler(apiFunction()));

        try (SfnClient sfn = sfn()) {
            for (Map.Entry<String, String> machine : machines.entrySet()) {
                String definition = template.stateMachineDefinition(machine.getKey(), resolver);
                sfn.createStateMachine(b -> b.name(machine.getValue()).definition(definition)
                        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/" + STACK + "-" + machine.getKey()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read a state machine definition", e);
        }
        log.accept("deployed " + fs.names().size() + " functions and " + String.join(", ", stateMachineArns.values()));
    }

    /**
     * Before {@link #deploy}: the local stand-ins for the shop's servers (LoopbackShop). The site
     * check function reaches each public address at its loopback stand-in, on this HTTPS port,
     * as it reaches the local DNS on its port.
     *
     * @param routes public address → loopback address
     */
    public void siteNetwork(Map<String, String> routes, int httpsPort) {
        this.siteRoutes = String.join(",", routes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        this.siteHttpsPort = httpsPort;
    }

    /** The watch's schedule of a migration once its go-live started it, waited for up to {@code wait}. */
    public software.amazon.awssdk.services.scheduler.model.GetScheduleResponse watchSchedule(String migrationId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try (SchedulerClient scheduler = scheduler()) {
            while (true) {
                try {
                    return scheduler.getSchedule(b -> b.name("watch-" + migrationId).groupName(STACK + "-site-watch"));
                } catch (software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("No watch schedule for " + migrationId + " after " + wait, e);
                    }
                    sleep(300);
                }
            }
        }
    }

    /**
     * One tick of a migration's watch, as EventBridge Scheduler fires it (moto keeps schedules but
     * fires none): the schedule's own target invoked with its own input. Returns the function's answer.
     */
    public String fireWatch(String migrationId, Duration wait) {
        var target = watchSchedule(migrationId, wait).target();
        try (var lambda = asScheduler(target)) {
            var response = lambda.invoke(b -> b.functionName(target.arn())
                    .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String(target.input())));
            if (response.functionError() != null) {
                throw new IllegalStateException("The watch tick failed: " + response.payload().asUtf8String());
            }
            return response.payload().asUtf8String();
        }
    }

    /**
     * For the sandbox, whose time is compressed: fires every schedule of the stack's groups that
     * has not reached its end date, every {@code every} instead of at its own rate (moto keeps
     * schedules but fires none). Tests fire ticks themselves ({@link #fireWatch}).
     */
    public void emulateSchedulerCompressed(Duration every) {
        schedulerTicks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-ticks");
            t.setDaemon(true);
            return t;
        });
        schedulerTicks.scheduleWithFixedDelay(() -> {
            try (SchedulerClient scheduler = scheduler()) {
                for (String group : scheduleGroups) {
                    for (var summary : scheduler.listSchedules(b -> b.groupName(group)).schedules()) {
                        var schedule = scheduler.getSchedule(b -> b.name(summary.name()).groupName(group));
                        if (schedule.endDate() != null && schedule.endDate().isBefore(java.time.Instant.now())) {
                            continue;
                        }
                        try (var lambda = asScheduler(schedule.target())) {
                            lambda.invoke(b -> b.functionName(schedule.target().arn()).invocationType("Event")
                                    .payload(software.amazon.awssdk.core.SdkBytes.fromUtf8String(schedule.target().input())));
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.accept("scheduler emulation: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A Lambda client signing as the schedule's role, as EventBridge Scheduler invokes the target
     * with the role it assumed: the IAM evaluator judges the tick against that role's policy.
     */
    private software.amazon.awssdk.services.lambda.LambdaClient asScheduler(software.amazon.awssdk.services.scheduler.model.Target target) {
        String role = target.roleArn().substring(target.roleArn().lastIndexOf('/') + 1);
        return local(software.amazon.awssdk.services.lambda.LambdaClient.builder()).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(role, "local"))).build();
    }

    public SchedulerClient scheduler() {
        return local(SchedulerClient.builder()).httpClient(http).build();
    }

    /** The template parameters this cloud was deployed with. */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** What the stack named itself, by logical id: the ARN of the secret it generated (CloudFormation's physical ids). */
    public Map<String, String> physicalIds() {
        return Map.copyOf(physicalIds);
    }

    /** The link secret the functions read (stack output LinkSecretArn): the stack's own or the deployment's ExistingLinkSecretArn. */
    public String linkSecretArn() {
        return String.valueOf(deployed.resolve(template.output("LinkSecretArn").get("Value")));
    }

    /**
     * The link secret's value the functions sign with now (AWSCURRENT), read from the emulator
     * the way copy tooling gets it (aws secretsmanager get-secret-value): tests sign callbacks
     * and check links with it, as the deployment's generated value is known to nobody else.
     */
    public String linkSecret() {
        try (SecretsManagerClient sm = secretsManager()) {
            return sm.getSecretValue(b -> b.secretId(linkSecretArn())).secretString();
        }
    }

    /**
     * Creates a secret as CloudFormation does for an AWS::SecretsManager::Secret: a value drawn by
     * Secrets Manager's own generator with the template's GenerateSecretString settings (or the
     * given SecretString), named {@code <logical id>-<random>} unless the template names it.
     */
    @SuppressWarnings("unchecked")
    private String createSecret(String logicalId, SamTemplate.Resolver resolver) {
        Map<String, Object> props = (Map<String, Object>) resolver.resolve(SamTemplate.properties(template.resource(logicalId)));
        try (SecretsManagerClient sm = secretsManager()) {
            String value;
            if (props.get("GenerateSecretString") instanceof Map<?, ?> g) {
                Map<String, Object> generate = (Map<String, Object>) g;
                value = sm.getRandomPassword(b -> b.passwordLength(((Number) generate.getOrDefault("PasswordLength", 32)).longValue())
                        .excludeCharacters((String) generate.get("ExcludeCharacters"))
                        .excludeNumbers((Boolean) generate.get("ExcludeNumbers"))
                        .excludePunctuation((Boolean) generate.get("ExcludePunctuation"))
                        .excludeUppercase((Boolean) generate.get("ExcludeUppercase"))
                        .excludeLowercase((Boolean) generate.get("ExcludeLowercase"))
                        .includeSpace((Boolean) generate.get("IncludeSpace"))
                        .requireEachIncludedType((Boolean) generate.get("RequireEachIncludedType"))).randomPassword();
            } else {
                value = String.valueOf(props.get("SecretString"));
            }
            String name = props.containsKey("Name") ? String.valueOf(props.get("Name"))
                    : logicalId + "-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            return sm.createSecret(b -> b.name(name).description((String) props.get("Description")).secretString(value)).arn();
        }
    }

    /** Every AWS call the product's functions, state machines and rule made so far, as IAM sees them. */
    public IamCalls iamCalls() {
        return iamCalls;
    }

    /**
     * The role SAM gives the EventBridge rule (logical id {@code <target><event name>Role}), whose
     * credentials start the rule's target; the stand-in for the rule signs with it.
     */
    @SuppressWarnings("unchecked")
    Optional<String> eventRuleRole() {
        // Only a rule that targets a state machine has a role (SAM's <target><event>Role).
        for (String type : List.of("AWS::Serverless::StateMachine")) {
            for (String id : template.logicalIdsOfType(type)) {
                Map<String, Object> events = (Map<String, Object>) SamTemplate.properties(template.resource(id)).getOrDefault("Events", Map.of());
                for (Map.Entry<String, Object> e : events.entrySet()) {
                    if (e.getValue() instanceof Map<?, ?> m && "EventBridgeRule".equals(m.get("Type"))) {
                        return Optional.of(id + e.getKey() + "Role");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The function behind the HTTP API (the one whose events include an HttpApi). */
    @SuppressWarnings("unchecked")
    private String apiFunction() {
        for (String id : template.logicalIdsOfType("AWS::Serverless::Function")) {
            Map<String, Object> events = (Map<String, Object>) SamTemplate.properties(template.resource(id)).getOrDefault("Events", Map.of());
            for (Object e : events.values()) {
                if (e instanceof Map<?, ?> m && "HttpApi".equals(m.get("Type"))) {
                    return id;
                }
            }
        }
        throw new IllegalStateException("No function serves the HTTP API in template.yaml");
    }

    @SuppressWarnings("unchecked")
    private void createTable() {
        Map<String, Object> props = SamTemplate.properties(template.resource("MigrationTable"));
        List<AttributeDefinition> attrs = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) props.get("AttributeDefinitions")) {
            attrs.add(AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                    .attributeType((String) a.get("AttributeType")).build());
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (Map<String, Object> k : (List<Map<String, Object>>) props.get("KeySchema")) {
            keys.add(KeySchemaElement.builder().attributeName((String) k.get("AttributeName")).keyType((String) k.get("KeyType")).build());
        }
        try (DynamoDbClient dynamo = dynamoDb()) {
            dynamo.createTable(b -> b.tableName(tableName).attributeDefinitions(attrs).keySchema(keys)
                    .billingMode(String.valueOf(props.get("BillingMode"))));
            if (props.get("TimeToLiveSpecification") instanceof Map<?, ?> ttl) {
                dynamo.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(s -> s
                        .attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(Boolean.TRUE.equals(ttl.get("Enabled")))));
            }
        }
    }

    private void verifySender(String sender) {
        try (SesV2Client ses = ses()) {
            ses.createEmailIdentity(b -> b.emailIdentity(sender));
            ses.createEmailIdentity(b -> b.emailIdentity(sender.substring(sender.indexOf('@') + 1)));
        }
    }

    /** Starts one migration; the execution name is the migration id, as staff do in the console. */
    public String startMigration(String migrationId, String input) {
        try (SfnClient sfn = sfn()) {
            return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn()).name(migrationId).input(input)).executionArn();
        }
    }

    /** The execution a migration runs in: {@link #startMigration} names it after the migration. */
    public String executionArn(String migrationId) {
        return stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + migrationId;
    }

    public DescribeExecutionResponse describe(String executionArn) {
        try (SfnClient sfn = sfn()) {
            return sfn.describeExecution(b -> b.executionArn(executionArn));
        }
    }

    /** Waits until the execution has ended (or the timeout passed) and returns its description. */
    public DescribeExecutionResponse awaitEnd(String executionArn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        DescribeExecutionResponse d = describe(executionArn);
        while (d.status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
            sleep(200);
            d = describe(executionArn);
        }
        if (d.status() == ExecutionStatus.RUNNING) {
            // The caller's assertion says only "RUNNING"; where the execution stands says why.
            System.err.println("still running after " + timeout.toSeconds() + " s: " + diagnose(executionArn));
        }
        return d;
    }

    /** The status and the last events of an execution, for test failure messages. */
    public String diagnose(String executionArn) {
        try (SfnClient sfn = sfn()) {
            StringBuilder out = new StringBuilder("execution " + describe(executionArn).statusAsString() + "; last events:");
            List<software.amazon.awssdk.services.sfn.model.HistoryEvent> events =
                    sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
            for (var e : events.subList(Math.max(0, events.size() - 15), events.size())) {
                out.append("\n  ").append(e.typeAsString());
                if (e.stateEnteredEventDetails() != null) {
                    out.append(" ").append(e.stateEnteredEventDetails().name());
                }
                if (e.taskFailedEventDetails() != null) {
                    String cause = String.valueOf(e.taskFailedEventDetails().cause());
                    out.append(" ").append(e.taskFailedEventDetails().error()).append(": ")
                            .append(cause.length() > 200 ? cause.substring(0, 200) + "..." : cause);
                }
                if (e.timestamp() != null) {
                    out.append(" at ").append(e.timestamp());
                }
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "no diagnosis: " + e;
        }
    }

    /**
     * Stands in for the EventBridge rule of template.yaml (moto emits no EventBridge events):
     * when an execution of the migration state machine ends with one of the rule's statuses, the
     * rule's target gets the event AWS documents for "Step Functions Execution Status Change": a
     * state machine starts an execution with it as input (named by a UUID, as EventBridge does),
     * a function is invoked with it.
     */
    @SuppressWarnings("unchecked")
    public void emulateEventBridgeRule() {
        String target = null;
        Set<String> statuses = new HashSet<>();
        for (String type : List.of("AWS::Serverless::Function", "AWS::Serverless::StateMachine")) {
            for (String id : template.logicalIdsOfType(type)) {
                Map<String, Object> events = (Map<String, Object>) SamTemplate.properties(template.resource(id)).getOrDefault("Events", Map.of());
                for (Object e : events.values()) {
                    if (e instanceof Map<?, ?> m && "EventBridgeRule".equals(m.get("Type"))) {
                        Map<String, Object> pattern = (Map<String, Object>) ((Map<String, Object>) m.get("Properties")).get("Pattern");
                        statuses.addAll((List<String>) ((Map<String, Object>) pattern.get("detail")).get("status"));
                        target = id;
                    }
                }
            }
        }
        if (target == null) {
            throw new IllegalStateException("template.yaml has no EventBridge rule");
        }
        String targetMachine = stateMachineArns.get(target);
        String function = target;
        Set<String> delivered = new HashSet<>();
        eventBridge = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventbridge-rule");
            t.setDaemon(true);
            return t;
        });
        // A rule that starts a state machine signs with its role; one that invokes a function
        // needs none (the function's resource policy lets EventBridge in).
        String ruleRole = eventRuleRole().orElse("no-role");
        eventBridge.scheduleWithFixedDelay(() -> {
            try (SfnClient sfn = sfn(); SfnClient asRule = local(SfnClient.builder()).httpClient(http)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ruleRole, "local"))).build()) {
                // Every page of every matching status: one page holds only 100 executions, and a
                // test run starts more than that.
                for (String status : statuses) {
                    for (ExecutionListItem e : sfn.listExecutionsPaginator(b -> b.stateMachineArn(stateMachineArn()).statusFilter(status))
                            .executions()) {
                        if (delivered.add(e.executionArn())) {
                            String event = statusChangeEvent(e);
                            if (targetMachine != null) {
                                asRule.startExecution(b -> b.stateMachineArn(targetMachine).name(java.util.UUID.randomUUID().toString()).input(event));
                            } else {
                                front.invokeAsynchronously(function, event.getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.accept("eventbridge emulation: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    String statusChangeEvent(ExecutionListItem e) {
        return statusChangeEvent(e.executionArn(), e.name(), e.statusAsString(), e.startDate(), e.stopDate());
    }

    /** The event EventBridge delivers when the migration's execution ended with this status. */
    public String statusChangeEvent(String migrationId, String status) {
        Instant now = Instant.now();
        return statusChangeEvent(executionArn(migrationId), migrationId, status, now, now);
    }

    private String statusChangeEvent(String executionArn, String name, String status, Instant start, Instant stop) {
        ObjectNode event = Json.object();
        event.put("version", "0");
        event.put("id", java.util.UUID.randomUUID().toString());
        event.put("detail-type", "Step Functions Execution Status Change");
        event.put("source", "aws.states");
        event.put("account", ACCOUNT);
        event.put("time", Instant.now().toString());
        event.put("region", REGION);
        event.putArray("resources").add(executionArn);
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", executionArn);
        detail.put("stateMachineArn", stateMachineArn());
        detail.put("name", name);
        detail.put("status", status);
        detail.put("startDate", start == null ? 0 : start.toEpochMilli());
        detail.put("stopDate", stop == null ? 0 : stop.toEpochMilli());
        return Json.write(event);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (schedulerTicks != null) {
            schedulerTicks.shutdownNow();
        }
        if (eventBridge != null) {
            eventBridge.shutdownNow();
        }
        if (dns != null) {
            dns.close();
        }
        api.close();
        front.close();
        moto.close();
        http.close();
    }

    public Path repoRoot() {
        return repoRoot;
    }
}
