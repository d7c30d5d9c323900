package de.shopmigration.copyagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The provider's reference copy tooling: {@code POST /jobs} takes a signed copy job from the
 * migration workflow, answers at once (202), mirrors files with rsync and the database with
 * mariadb-dump into mariadb, sends heartbeats meanwhile and calls back with the figures.
 *
 * <p>Run it with {@code --config <file>}; in-process: {@code new CopyAgent(config).start()}.
 */
public final class CopyAgent implements AutoCloseable, JobRun.Listener {

    static final int MAX_BODY = 1024 * 1024;
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final Signature signature;
    private final JobParser parser;
    private final Callbacks callbacks;
    /** Jobs whose copy work is going on, by migration id (the 409 rule). */
    private final Map<String, JobRun> running = new HashMap<>();
    /** Every run whose thread has not ended (copying or delivering its result). */
    private final Set<JobRun> alive = new HashSet<>();
    private JobStore store;
    private HttpServer server;
    private ExecutorService httpThreads;
    private ScheduledExecutorService scheduler;

    public CopyAgent(AgentConfig config) {
        this.config = config;
        this.signature = new Signature(config.secret());
        this.parser = new JobParser(config);
        this.callbacks = new Callbacks(signature);
    }

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            System.err.println("usage: java -jar copy-agent.jar --config <copy-agent.properties>");
            System.exit(2);
        }
        // The JDK server has no request time limit by default: a client that never finishes its
        // request would hold a connection forever.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "60");
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "60");
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(Path.of(args[1]), System.getenv());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("copy agent: configuration " + args[1] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        CopyAgent agent = new CopyAgent(config);
        try {
            agent.start();
        } catch (IOException e) {
            System.err.println("copy agent: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "shutdown"));
        System.out.println("listening on " + agent.baseUrl());
        System.out.flush();
        agent.resumeUnfinished();
    }

    /** Opens the state folder and starts listening; call {@link #resumeUnfinished()} afterwards. */
    public synchronized void start() throws IOException {
        store = new JobStore(config.stateDir());
        scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("timer-", 1).factory());
        httpThreads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            server = HttpServer.create(config.listen(), 64);
        } catch (IOException e) {
            store.close();
            throw new IOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        server.setExecutor(httpThreads);
        server.createContext("/", this::handle);
        server.start();
        Log.info("copy agent started: " + config);
    }

    /** Runs jobs that were accepted but had not finished when the agent last stopped. */
    public void resumeUnfinished() {
        Instant now = Instant.now();
        for (JobStore.Entry e : store.unfinished()) {
            if (e.acceptedAt().plus(config.jobTimeout()).isBefore(now)) {
                Log.warn(e.key() + ": accepted at " + e.acceptedAt() + " and never finished; too old to run again");
                store.finish(e.key(), JobStore.State.ABANDONED);
                continue;
            }
            Job job;
            try {
                job = parser.parse(e.body());
            } catch (JobParser.Rejected r) {
                Log.warn(e.key() + ": unfinished job no longer valid under this configuration (" + r.getMessage() + ")");
                store.finish(e.key(), JobStore.State.ABANDONED);
                continue;
            }
            synchronized (this) {
                if (running.containsKey(job.migrationId())) {
                    store.finish(e.key(), JobStore.State.ABANDONED);
                    continue;
                }
                Log.info(job.describe() + ": accepted before the last shutdown and not finished; running it again");
                startRun(job);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    /** Stops listening, stops the running jobs (their processes destroyed) and releases the state folder. */
    @Override
    public void close() {
        List<JobRun> runs;
        synchronized (this) {
            if (server == null) {
                return;
            }
            server.stop(0);
            server = null;
            runs = new ArrayList<>(alive);
        }
        for (JobRun r : runs) {
            r.shutdown(SHUTDOWN_WAIT);
        }
        scheduler.shutdownNow();
        httpThreads.shutdownNow();
        try {
            store.close();
        } catch (IOException e) {
            Log.error("cannot release the state folder", e);
        }
        Log.info("copy agent stopped");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!"/jobs".equals(path)) {
                drain(exchange.getRequestBody());
                answer(exchange, 404, "error", "not found");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                drain(exchange.getRequestBody());
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "error", "method not allowed: POST a job");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                answer(exchange, 413, "error", "the job is larger than " + MAX_BODY + " bytes");
                return;
            }
            if (!signature.matches(exchange.getRequestHeaders().getFirst(Signature.HEADER), body)) {
                Log.warn("job from " + exchange.getRemoteAddress().getAddress().getHostAddress()
                        + " rejected: missing or wrong " + Signature.HEADER);
                answer(exchange, 401, "error", "missing or wrong " + Signature.HEADER);
                return;
            }
            Job job;
            try {
                job = parser.parse(body);
            } catch (JobParser.Rejected r) {
                Log.warn("signed job rejected (HTTP " + r.status() + "): " + r.getMessage());
                answer(exchange, r.status(), "error", r.getMessage());
                return;
            }
            Decision d = decide(job, body, Instant.now());
            Log.info(job.describe() + ": " + d.log());
            answer(exchange, d.status(), d.field(), d.text());
        } catch (IOException | RuntimeException e) {
            Log.error("request failed", e);
            throw e;
        }
    }

    private record Decision(int status, String field, String text, String log) {
    }

    private synchronized Decision decide(Job job, byte[] body, Instant now) {
        if (server == null) {
            return new Decision(503, "error", "the agent is shutting down", "answered 503: shutting down");
        }
        if (store.get(job.key()).isPresent()) {
            return new Decision(200, "status", "already accepted", "duplicate POST answered 200, nothing started");
        }
        if (job.issuedAt().isBefore(now.minus(config.maxJobAge()))) {
            return new Decision(410, "error", "the job was issued at " + job.issuedAt() + ", longer than "
                    + config.maxJobAge().toSeconds() + " s ago", "rejected 410: issued too long ago (" + job.issuedAt() + ")");
        }
        if (job.issuedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return new Decision(410, "error", "the job's issuedAt lies more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future",
                    "rejected 410: issuedAt in the future (" + job.issuedAt() + ")");
        }
        JobRun other = running.get(job.migrationId());
        if (other != null) {
            return new Decision(409, "error", "another job of this migration is still running (" + other.job().mode().wire()
                    + " round " + other.job().round() + ")", "rejected 409: " + other.job().describe() + " is still running");
        }
        try {
            store.accept(job.key(), body, now);
        } catch (IOException e) {
            Log.error(job.describe() + ": cannot record the job in " + config.stateDir(), e);
            return new Decision(503, "error", "the agent cannot record the job right now", "answered 503: state folder not writable");
        }
        startRun(job);
        return new Decision(202, "status", "accepted", "accepted (callback to " + job.callbackOrigin() + ")");
    }

    private synchronized void startRun(Job job) {
        JobRun run = new JobRun(job, config, callbacks, store, scheduler, this);
        running.put(job.migrationId(), run);
        alive.add(run);
        run.start();
    }

    @Override
    public synchronized void copyEnded(JobRun run) {
        running.remove(run.job().migrationId(), run);
    }

    @Override
    public synchronized void runEnded(JobRun run) {
        alive.remove(run);
    }

    private static void answer(HttpExchange exchange, int status, String field, String text) throws IOException {
        ObjectNode n = JobParser.JSON.createObjectNode();
        n.put(field, text);
        byte[] bytes = JobParser.JSON.writeValueAsBytes(n);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.readNBytes(MAX_BODY);
    }
}
