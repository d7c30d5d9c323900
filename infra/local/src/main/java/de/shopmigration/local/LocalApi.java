package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The HTTP API on loopback, as {@code sam local start-api} would serve it: each request becomes
 * an API Gateway payload-2.0 event for the links function, its response the HTTP answer.
 * Extra paths (the sandbox inbox) can be mounted beside it.
 */
public final class LocalApi implements AutoCloseable {

    /** API Gateway HTTP APIs refuse bodies over 10 MB; the link pages refuse far less. */
    static final int MAX_BODY = 10 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-api");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private volatile RequestStreamHandler handler;
    private final Consumer<String> log;
    private volatile Meter meter;

    private LocalApi(HttpServer server, int port, Consumer<String> log) {
        this.server = server;
        this.port = port;
        this.log = log;
    }

    public static LocalApi start(int port, Consumer<String> log) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        LocalApi api = new LocalApi(server, port, log);
        server.createContext("/", api::handle);
        server.setExecutor(api.executor);
        server.start();
        return api;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    void route(Object linksHandler) {
        this.handler = (RequestStreamHandler) linksHandler;
    }

    /** Counts every request the links function serves from now on (benchmarks). */
    public void meter(Meter meter) {
        this.meter = meter;
    }

    /** A page as the links function served it: the request's method and path, the response's status and body. */
    public record Served(String method, String path, int status, String contentType, byte[] body) {
    }

    private final java.util.List<Consumer<Served>> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Sees every response from now on, until closed (tests run in parallel: each filters its own paths). */
    public AutoCloseable watch(Consumer<Served> watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** Serves another path prefix (e.g. /inbox) beside the API. */
    public void mount(String prefix, HttpHandler extra) {
        server.createContext(prefix, extra);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                send(exchange, 413, Map.of("Content-Type", "text/plain"), "Request Entity Too Large");
                return;
            }
            if (handler == null) {
                send(exchange, 503, Map.of("Content-Type", "text/plain"), "not deployed yet");
                return;
            }
            long started = System.nanoTime();
            // As API Gateway does: the payload 2.0 event as JSON in, the 2.0 response JSON out.
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] event = Json.write(event(exchange, body)).getBytes(StandardCharsets.UTF_8);
            try {
                StandardOutput.during("LinksFunction", log, () -> Functions.inContextOf(handler, () -> {
                    handler.handleRequest(new java.io.ByteArrayInputStream(event), answer, new LocalContext("LinksFunction", 30, log));
                    return null;
                }));
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Meter m = meter;
            if (m != null) {
                m.api(System.nanoTime() - started);
            }
            JsonNode response = Json.read(answer.toString(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
            String out = response.path("body").asText("");
            byte[] bytes = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(out) : out.getBytes(StandardCharsets.UTF_8);
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            for (Consumer<Served> w : watchers) {
                w.accept(new Served(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), response.path("statusCode").asInt(500),
                        headers.getOrDefault("Content-Type", headers.getOrDefault("content-type", "")), bytes));
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.path("statusCode").asInt(500), head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(bytes);
                }
            }
        } catch (RuntimeException e) {
            // API Gateway answers 500 when the integration fails; so do we, and say why in the log.
            log.accept("local api: links function failed: " + e);
            send(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
        }
    }

    /** The HTTP API's payload 2.0 event for a request (header names lower-case, repeated ones joined). */
    private ObjectNode event(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("x-www-form-urlencoded") || contentType.contains("xml");
        String rawQuery = exchange.getRequestURI().getRawQuery();
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", exchange.getRequestURI().getRawPath());
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode h = event.putObject("headers");
        headers.forEach(h::put);
        if (body.length > 0) {
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        }
        event.put("isBase64Encoded", body.length > 0 && !text);
        ObjectNode context = event.putObject("requestContext");
        context.put("domainName", "127.0.0.1:" + port);
        context.put("stage", "$default");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", exchange.getRequestMethod());
        http.put("path", exchange.getRequestURI().getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        return event;
    }

    static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }
    }


    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
