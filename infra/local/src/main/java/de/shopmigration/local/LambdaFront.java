package de.shopmigration.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code sam local start-lambda} does, in-process: serves the Lambda Invoke API and runs
 * the real handler classes; every other request goes on to moto unchanged. The SDK clients of
 * the functions and the tests, and moto's own interpreter (via MOTO_PORT), all talk to this
 * port. An optional fault hook can answer instead of moto (fault injection).
 */
public final class LambdaFront implements AutoCloseable {

    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");
    private static final long SLOW_MILLIS = 5_000;
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    /** Answers a forwarded AWS request itself (e.g. a throttling error), or returns null to pass. */
    public interface Faults {
        Reply intercept(String method, String path, List<String> authorization, byte[] body);

        /** Sees moto's answer to a request it let pass, and may change it (e.g. give a change its own id). */
        default byte[] answered(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
            return responseBody;
        }

        /**
         * Answers instead of moto after moto has carried the request out, or returns null to pass
         * its answer on: a lost answer, as a timeout or a dropped connection looks to the caller.
         */
        default Reply lost(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
            return null;
        }
    }

    public record Reply(int status, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-front");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;
    private volatile int motoPort;
    private volatile Functions functions = new Functions();
    /** Test classes run in parallel on one front: each injects its own faults and removes them after. */
    private final List<Faults> faults = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<String> log;
    private volatile Meter meter;
    private volatile IamCalls iam;

    private LambdaFront(HttpServer server, int port, Consumer<String> log) {
        this.server = server;
        this.port = port;
        this.log = log;
    }

    public static LambdaFront start(int port, Consumer<String> log) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        LambdaFront front = new LambdaFront(server, port, log);
        server.createContext("/", front::handle);
        server.setExecutor(front.executor);
        server.start();
        return front;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    void forwardTo(int motoPort) {
        this.motoPort = motoPort;
    }

    void functions(Functions functions) {
        this.functions = functions;
    }

    /** Counts every invocation and every forwarded AWS call from now on (benchmarks). */
    public void meter(Meter meter) {
        this.meter = meter;
    }

    /** Records every AWS call of the product's principals from now on, as IAM would authorise it. */
    void record(IamCalls calls) {
        this.iam = calls;
    }

    /** Adds a fault hook; closing the returned handle removes it again. */
    public AutoCloseable inject(Faults hook) {
        faults.add(hook);
        return () -> faults.remove(hook);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            IamCalls calls = iam;
            if (calls != null) {
                // Scheduler names a schedule's group in the query (DeleteSchedule, GetSchedule): its ARN needs it.
                String query = exchange.getRequestURI().getRawQuery();
                String recorded = path.startsWith("/schedules/") && query != null ? path + "?" + query : path;
                calls.record(exchange.getRequestMethod(), recorded, exchange.getRequestHeaders().getOrDefault("Authorization", List.of()),
                        exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            }
            Matcher invoke = INVOKE.matcher(path);
            if (invoke.matches() && exchange.getRequestMethod().equals("POST")) {
                invoke(exchange, functionName(URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8)), body);
            } else {
                forward(exchange, body);
            }
        } catch (RuntimeException e) {
            log.accept("lambda front: " + e);
            throw e;
        }
    }

    /** A name, a plain ARN, or an alias-qualified ARN (SnapStart aliases) all mean the function. */
    static String functionName(String nameOrArn) {
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":");
            return parts[6];
        }
        int colon = nameOrArn.indexOf(':');
        return colon < 0 ? nameOrArn : nameOrArn.substring(0, colon);
    }

    private void invoke(HttpExchange exchange, String name, byte[] payload) throws IOException {
        if (!functions.has(name)) {
            reply(exchange, 404, "application/json",
                    ("{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}").getBytes(StandardCharsets.UTF_8),
                    "x-amzn-ErrorType", "ResourceNotFoundException");
            return;
        }
        String invocationType = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        if ("Event".equals(invocationType)) {
            executor.submit(() -> runAsynchronously(name, payload));
            reply(exchange, 202, "application/json", new byte[0]);
            return;
        }
        Result result = run(name, payload);
        if (result.error() == null) {
            reply(exchange, 200, "application/json", result.output(), "X-Amz-Executed-Version", "live");
        } else {
            reply(exchange, 200, "application/json", result.error(), "X-Amz-Function-Error", "Unhandled",
                    "X-Amz-Executed-Version", "live");
        }
    }

    record Result(byte[] output, byte[] error) {
    }

    /** An asynchronous invocation (InvocationType Event), as an EventBridge rule makes it. */
    void invokeAsynchronously(String name, byte[] payload) {
        executor.submit(() -> runAsynchronously(name, payload));
    }

    /**
     * An asynchronous invocation as Lambda runs it: a failed one is tried twice more (Lambda waits
     * about one and two minutes; here one and two seconds).
     */
    private void runAsynchronously(String name, byte[] payload) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (run(name, payload).error() == null) {
                return;
            }
            log.accept("asynchronous invocation of " + name + " failed (attempt " + (attempt + 1) + " of 3)");
        }
    }

    /** Runs a handler as the Java runtime would; an exception becomes Lambda's error document. */
    Result run(String name, byte[] payload) {
        long started = System.nanoTime();
        try {
            return execute(name, payload);
        } finally {
            Meter m = meter;
            if (m != null) {
                m.lambda(name, System.nanoTime() - started);
            }
        }
    }

    private Result execute(String name, byte[] payload) {
        Object handler = functions.handler(name);
        LocalContext context = new LocalContext(name, 60, log);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = new ByteArrayInputStream(payload);
            if (handler instanceof RequestStreamHandler stream) {
                StandardOutput.during(name, log, () -> Functions.inContextOf(stream, () -> {
                    stream.handleRequest(in, out, context);
                    return null;
                }));
            } else {
                throw new IllegalStateException(name + " is not invoked through the Invoke API");
            }
            return new Result(out.toByteArray(), null);
        } catch (Exception | Error e) {
            log.accept("[" + name + "] " + e.getClass().getName() + ": " + e.getMessage());
            StringBuilder trace = new StringBuilder("[");
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(5, frames.length); i++) {
                trace.append(i > 0 ? "," : "").append(de.shopmigration.core.json.Json.write(frames[i].toString()));
            }
            trace.append("]");
            String doc = "{\"errorMessage\":" + de.shopmigration.core.json.Json.write(String.valueOf(e.getMessage()))
                    + ",\"errorType\":" + de.shopmigration.core.json.Json.write(e.getClass().getName())
                    + ",\"stackTrace\":" + trace + "}";
            return new Result(null, doc.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        List<String> auth = exchange.getRequestHeaders().getOrDefault("Authorization", List.of());
        Meter m = meter;
        if (m != null) {
            m.aws(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth, exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
        }
        for (Faults f : faults) {
            Reply fault = f.intercept(exchange.getRequestMethod(), exchange.getRequestURI().toString(), auth, body);
            if (fault != null) {
                reply(exchange, fault.status(), fault.contentType(), fault.body());
                return;
            }
        }
        URI target = URI.create("http://127.0.0.1:" + motoPort + exchange.getRequestURI().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(120))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        long sent = System.nanoTime();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        if (tookMillis > SLOW_MILLIS) {
            // The functions' SDK calls give up after 20 s: a slow emulator explains retried steps.
            log.accept("slow emulator answer: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Target") + " took " + tookMillis + " ms");
        }
        response.headers().map().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] out = response.body();
        if (response.statusCode() == 400 && new String(out, StandardCharsets.UTF_8).contains("ValidationException")) {
            // A request the emulator found invalid is a bug of ours (or of the emulator): keep the
            // evidence, without task tokens (long opaque strings).
            log.accept("emulator refused " + exchange.getRequestHeaders().getFirst("X-Amz-Target") + ": "
                    + clip(new String(body, StandardCharsets.UTF_8).replaceAll("\"S\":\"[A-Za-z0-9+/=_-]{100,}\"", "\"S\":\"(token)\""), 1500) + " -> " + clip(new String(out, StandardCharsets.UTF_8), 400));
        }
        for (Faults f : faults) {
            Reply instead = f.lost(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body, response.statusCode(), out);
            if (instead != null) {
                reply(exchange, instead.status(), instead.contentType(), instead.body());
                return;
            }
            out = f.answered(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body, response.statusCode(), out);
        }
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.statusCode() == 204 || response.statusCode() == 304;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length == 0 ? -1 : out.length);
        if (!noBody && out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body, String... headers)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
