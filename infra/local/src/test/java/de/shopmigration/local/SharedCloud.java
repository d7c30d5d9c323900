package de.shopmigration.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local cloud for the whole test run (starting moto and deploying takes seconds), with a
 * hosted zone of its own for each test that touches DNS. JUnit closes it when the run ends,
 * which stops moto by its PID.
 */
final class SharedCloud implements ExtensionContext.Store.CloseableResource {

    static {
        // As in LocalCloud: no Nagle delays on loopback, also for the copy webhook started before it.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // Each cloud writes the AWS calls it saw when the run ends; older runs' calls must not mix in.
        deleteRecursively(Repo.root().resolve(IamCallRecordings.FOLDER));
    }

    /**
     * The SES configuration set of the cloud whose copy jobs go to a webhook: one deployment
     * sends every email with a configuration set and one without, and the IAM test evaluates the
     * calls of both (AWS authorises SendEmail on the configuration set too).
     */
    static final String CONFIGURATION_SET = "shop-migration-deliveries";

    /** One zone per test, so no test sees another's DNS changes. */
    static final List<String> ZONES = List.of("e2e", "loop", "abort", "remind", "bad", "links", "links-2", "links-3", "dns-a", "dns-b", "dns-retry", "dns-retry-2", "dns-race", "dns-switch", "dns-big", "dns-gate", "dns-ext", "dns-ext-2", "knot-ok", "knot-moved", "abort-1", "abort-2", "abort-3", "abort-4", "abort-5", "abort-6", "abort-7", "abort-fail", "faults", "browser", "pages", "mails", "once", "once-2", "once-3", "quiet", "race-1", "race-2", "race-3", "slotwait", "window", "overrun", "umlaut", "budget", "hostile", "hostile-2", "hostile-3", "hostile-4", "abort-stuck", "inbox", "reports-fixed", "reports-open", "held", "held-race", "held-retry", "access", "logs", "metrics", "bounce", "rotation", "calendar");
    static final String OLD_IP = "203.0.113.10";

    /** The zones of the cloud whose copy jobs go to a webhook ({@link CopyWebhook}). */
    static final List<String> WEBHOOK_ZONES = List.of("hook-1", "hook-2", "hook-3", "agent");

    final LocalCloud cloud;
    final Map<String, String> zoneIds = new LinkedHashMap<>();
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The copy tooling's webhook as the deployment sees it; null when copies go to staff by email. */
    final ToolingRouter tooling;

    private SharedCloud(List<String> zones, ToolingRouter tooling) throws Exception {
        this.tooling = tooling;
        java.nio.file.Path logFile = Repo.root().resolve("target/local-cloud/" + (tooling == null ? "harness" : "harness-webhook") + ".log");
        java.nio.file.Files.createDirectories(logFile.getParent());
        cloud = LocalCloud.start(Repo.root(), line -> {
            log.add(line);
            try {
                java.nio.file.Files.writeString(logFile, java.time.Instant.now() + " " + line + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            deploy(zones, tooling);
        } catch (Exception | Error e) {
            // A cloud that started but could not be deployed is stopped here: no test will close it.
            cloud.close();
            throw e;
        }
    }

    private void deploy(List<String> zones, ToolingRouter tooling) throws Exception {
        for (String name : zones) {
            String zone = name + "-shop.example.";
            Map<String, String> records = new LinkedHashMap<>();
            records.put(zone, OLD_IP);
            records.put("www." + zone, OLD_IP);
            records.put("mail." + zone, "203.0.113.25");
            zoneIds.put(name, cloud.createZone(zone, records, 3600));
        }
        Map<String, Object> parameters = TestDeployment.parameters(new ArrayList<>(zoneIds.values()));
        if (tooling != null) {
            parameters.put("CopyWebhookUrl", tooling.url());
            parameters.put("SesConfigurationSet", CONFIGURATION_SET);
            // The operator's own secret, holding the value the copy tooling was given (the
            // upgrade path: the former LinkSecret parameter's value carried over).
            try (var secrets = cloud.secretsManager()) {
                parameters.put("ExistingLinkSecretArn", secrets.createSecret(b -> b.name("shop-migration/link-secret")
                        .secretString(TestDeployment.OPERATOR_LINK_SECRET)).arn());
            }
        }
        cloud.deploy(parameters);
        cloud.emulateEventBridgeRule();
    }

    /** Test classes with this annotation get a cloud of their own whose copy jobs go to a {@link ToolingRouter}. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    @interface CopyWebhook {
    }

    static SharedCloud get(ExtensionContext context) {
        boolean webhook = context.getTestClass().map(c -> c.isAnnotationPresent(CopyWebhook.class)).orElse(false);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(webhook ? "cloud-with-copy-webhook" : "cloud", k -> {
                    ToolingRouter router = null;
                    try {
                        router = webhook ? ToolingRouter.start(TestDeployment.OPERATOR_LINK_SECRET) : null;
                        return new SharedCloud(webhook ? WEBHOOK_ZONES : ZONES, router);
                    } catch (Exception e) {
                        if (router != null) {
                            router.close();
                        }
                        throw new IllegalStateException("The local cloud did not start: " + e.getMessage(), e);
                    }
                }, SharedCloud.class);
    }

    /** Hands the shared cloud to any test method or lifecycle method that asks for it. */
    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCloud.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return get(context);
        }
    }

    String zone(String name) {
        String id = zoneIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("No test zone " + name);
        }
        return id;
    }

    static String domain(String name) {
        return name + "-shop.example";
    }

    @Override
    public void close() {
        try {
            cloud.iamCalls().write(Repo.root().resolve(IamCallRecordings.FOLDER).resolve((tooling == null ? "shared" : "copy-webhook") + ".json"),
                    cloud.parameters(), cloud.physicalIds());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("The AWS calls of this run could not be written for the IAM test", e);
        } finally {
            closeAll();
        }
    }

    private static void deleteRecursively(java.nio.file.Path folder) {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(folder)) {
            for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void closeAll() {
        cloud.close();
        if (tooling != null) {
            tooling.close();
        }
    }
}
