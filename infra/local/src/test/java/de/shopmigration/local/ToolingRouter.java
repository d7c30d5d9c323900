package de.shopmigration.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The copy webhook the webhook cloud is deployed with. It checks each job's signature the way
 * copy tooling must (HMAC-SHA256 of the body, written independently of the product's code),
 * records the job, and then acts per migration: hand it to a real copy agent, swallow it (silent
 * tooling), or answer 503 a few times first (a flaky tooling the trigger must retry).
 */
final class ToolingRouter implements AutoCloseable {

    /** A job as it arrived (only correctly signed jobs are accepted and recorded). */
    record Job(String body, JsonNode json) {
        String callbackUrl() {
            return json.path("callbackUrl").asText();
        }

        String mode() {
            return json.path("mode").asText();
        }

        int round() {
            return json.path("round").asInt();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Job> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
    private final Map<String, URI> agents = new ConcurrentHashMap<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();

    private ToolingRouter(HttpServer server, String secret) {
        this.server = server;
        this.secret = secret;
    }

    static ToolingRouter start(String secret) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ToolingRouter router = new ToolingRouter(server, secret);
        server.createContext("/jobs", router::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tooling-router");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return router;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jobs";
    }

    /** The first {@code times} attempts for this migration answer 503. */
    void failFirst(String migrationId, int times) {
        failFirst.put(migrationId, times);
    }

    /** Jobs of this migration are refused with 400 and this error, as tooling refuses a job it cannot do. */
    void refuse(String migrationId, String error) {
        refusals.put(migrationId, error);
    }

    /** Jobs of this migration go to a real copy agent at {@code agentJobsUrl}. */
    void forwardTo(String migrationId, URI agentJobsUrl) {
        agents.put(migrationId, agentJobsUrl);
    }

    int attempts(String migrationId) {
        return attempts.getOrDefault(migrationId, new AtomicInteger()).get();
    }

    List<Job> jobs(String migrationId) {
        synchronized (jobs) {
            return jobs.stream().filter(j -> migrationId.equals(j.json().path("migrationId").asText())).toList();
        }
    }

    /** The job of a migration, copy mode and round, once it has been accepted. */
    Job awaitJob(String migrationId, String mode, int round, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Job j : jobs(migrationId)) {
                if (j.mode().equals(mode) && j.round() == round) {
                    return j;
                }
            }
            sleep(200);
        }
        throw new AssertionError("No " + mode + " copy job round " + round + " for " + migrationId + " within " + timeout
                + "; jobs so far: " + jobs(migrationId).stream().map(j -> j.mode() + "#" + j.round()).toList());
    }

    /** The signature header copy tooling sends and expects: sha256= and base64url HMAC-SHA256 of the body. */
    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String header = exchange.getRequestHeaders().getFirst("X-Migration-Signature");
            boolean signed = header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                    sign(secret, body).getBytes(StandardCharsets.UTF_8));
            if (!signed) {
                reply(exchange, 401, "{\"error\":\"bad signature\"}");
                return;
            }
            JsonNode json = JSON.readTree(body);
            String id = json.path("migrationId").asText();
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (attempt <= failFirst.getOrDefault(id, 0)) {
                reply(exchange, 503, "{\"error\":\"tooling busy\"}");
                return;
            }
            if (refusals.containsKey(id)) {
                reply(exchange, 400, "{\"error\":\"" + refusals.get(id) + "\"}");
                return;
            }
            URI agent = agents.get(id);
            if (agent == null) {
                jobs.add(new Job(new String(body, StandardCharsets.UTF_8), json));
                reply(exchange, 202, "{\"status\":\"accepted\"}");
                return;
            }
            HttpResponse<String> forwarded = http.send(HttpRequest.newBuilder(agent).timeout(Duration.ofSeconds(8))
                    .header("Content-Type", "application/json").header("X-Migration-Signature", header)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (forwarded.statusCode() < 300) {
                jobs.add(new Job(new String(body, StandardCharsets.UTF_8), json));
            }
            reply(exchange, forwarded.statusCode(), forwarded.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
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
        server.stop(0);
    }
}
