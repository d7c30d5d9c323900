package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
    private volatile RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
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

    @SuppressWarnings("unchecked")
    void route(Object linksHandler) {
        this.handler = (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) linksHandler;
    }

    /** Counts every request the links function serves from now on (benchmarks). */
    public void meter(Meter meter) {
        this.meter = meter;
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
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(exchange, body),
                    new LocalContext("LinksFunction", 30, log));
            Meter m = meter;
            if (m != null) {
                m.api(System.nanoTime() - started);
            }
            Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
            String out = response.getBody() == null ? "" : response.getBody();
            byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(out) : out.getBytes(StandardCharsets.UTF_8);
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.getStatusCode(), head || bytes.length == 0 ? -1 : bytes.length);
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

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("x-www-form-urlencoded") || contentType.contains("xml");
        String rawQuery = exchange.getRequestURI().getRawQuery();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("127.0.0.1:" + port)
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod())
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .build();
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
