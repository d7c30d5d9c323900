package de.shopmigration.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * moto in server mode on a free loopback port, started through our launcher (which carries
 * the workaround for moto issue 10077) with Step Functions execution switched on. moto's
 * interpreter calls Lambda at {@code localhost:$MOTO_PORT}, which is the Invoke front's port.
 * Stopped by its own PID.
 */
public final class MotoServer implements AutoCloseable {

    private final Process process;
    private final int port;
    /** One client for the harness's own reads (emails, config): a client per call costs a thread each. */
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start(Path repoRoot, int lambdaFrontPort, Path logFile) throws IOException {
        int port = freePort();
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        command.add(System.getenv().getOrDefault("MOTO_PYTHON", "python3"));
        command.add(repoRoot.resolve("infra/emulator/moto_launcher.py").toString());
        command.add("-H");
        command.add("127.0.0.1");
        command.add("-p");
        command.add(Integer.toString(port));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("MOTO_PORT", Integer.toString(lambdaFrontPort));
        builder.environment().put("PYTHONUNBUFFERED", "1");
        Process process = builder.start();
        MotoServer server = new MotoServer(process, port);
        try {
            server.awaitReady(Duration.ofSeconds(60), logFile);
            server.post("/moto-api/config", "{\"stepfunctions\": {\"execute_state_machine\": true}}");
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout, Path logFile) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for moto", e);
            }
            sleep(100);
        }
        throw new IOException("moto did not answer within " + timeout.toSeconds() + " s; see " + logFile);
    }

    public String post(String path, String json) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IOException("moto " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public String get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Stops moto by its PID: TERM, then KILL if it does not go within five seconds. */
    @Override
    public void close() {
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
