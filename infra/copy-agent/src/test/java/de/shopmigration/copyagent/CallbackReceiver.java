package de.shopmigration.copyagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The workflow's side of the callbacks, as far as the agent can see it: {@code POST
 * /m/<migration>/<token>/callback}, signature checked, each body recorded. Results are answered
 * 200 once per link and 409 after that; heartbeats 200 unless a test sets another answer.
 */
final class CallbackReceiver implements AutoCloseable {

    /** One callback as it arrived. */
    record Call(String migrationId, String token, JsonNode body, boolean signatureValid, int answer, Instant at) {
        boolean isHeartbeat() {
            return "RUNNING".equals(body.path("result").asText());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Signature signature;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> heartbeatAnswers = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> resultFailures = new ConcurrentHashMap<>();
    private final Set<String> answeredTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    CallbackReceiver(String secret) throws IOException {
        signature = new Signature(secret);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fresh callback URL for a job of this migration (a new token each time). */
    String callbackUrl(String migrationId) {
        byte[] t = new byte[12];
        random.nextBytes(t);
        String token = HexFormat.of().formatHex(t) + ".sig" + HexFormat.of().formatHex(t, 0, 4);
        issuedTokens.add(token);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/m/" + migrationId + "/" + token + "/callback";
    }

    static String tokenOf(String callbackUrl) {
        String[] parts = callbackUrl.split("/");
        return parts[parts.length - 2];
    }

    Set<String> issuedTokens() {
        return Set.copyOf(issuedTokens);
    }

    void answerHeartbeats(String migrationId, int status) {
        heartbeatAnswers.put(migrationId, status);
    }

    /** The next {@code times} results of this migration are answered 503 (the workflow's API having a bad moment). */
    void failResults(String migrationId, int times) {
        resultFailures.put(migrationId, new java.util.concurrent.atomic.AtomicInteger(times));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> callsFor(String token) {
        return calls.stream().filter(c -> c.token().equals(token)).toList();
    }

    /** Waits for the first call of this link that matches. */
    Call await(String token, Predicate<Call> what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Call> c = callsFor(token).stream().filter(what).findFirst();
            if (c.isPresent()) {
                return c.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching callback within " + timeout.toSeconds() + " s; calls of this link: " + callsFor(token));
    }

    Call awaitResult(String token, Duration timeout) throws InterruptedException {
        return await(token, c -> !c.isHeartbeat(), timeout);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (!exchange.getRequestMethod().equals("POST") || parts.length != 5 || !parts[1].equals("m")
                    || !parts[4].equals("callback")) {
                send(exchange, 404);
                return;
            }
            String migrationId = parts[2];
            String token = parts[3];
            boolean valid = signature.matches(exchange.getRequestHeaders().getFirst(Signature.HEADER), body);
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = JSON.createObjectNode().put("unparseable", new String(body, StandardCharsets.UTF_8));
            }
            int answer;
            if (!valid) {
                answer = 401;
            } else if ("RUNNING".equals(json.path("result").asText())) {
                answer = heartbeatAnswers.getOrDefault(migrationId, 200);
            } else if (resultFailures.containsKey(migrationId) && resultFailures.get(migrationId).getAndDecrement() > 0) {
                answer = 503;
            } else {
                answer = answeredTokens.add(token) ? 200 : 409;
            }
            calls.add(new Call(migrationId, token, json, valid, answer, Instant.now()));
            send(exchange, answer);
        }
    }

    private static void send(HttpExchange exchange, int status) throws IOException {
        byte[] b = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
