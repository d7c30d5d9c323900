package de.shopmigration.copyagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of the agent, started in-process (no database needed): what is not a job gets
 * 404/405/413/400 and never 500; a files-only job really runs rsync and calls back; the state
 * folder belongs to one agent; bad configurations refuse to start.
 */
@Tag("full")
class CopyAgentProtocolTest {

    private static final String SECRET = "protocol-test-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private CopyAgent agent;
    private CallbackReceiver receiver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Signature signature = new Signature(SECRET);
    private Properties properties;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("cluster"));
        properties = new Properties();
        properties.setProperty("listen", "127.0.0.1:0");
        properties.setProperty("targetRoots", dir.resolve("cluster").toString());
        properties.setProperty("stateDir", "state");
        agent = new CopyAgent(AgentConfig.of(properties, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)));
        agent.start();
        receiver = new CallbackReceiver(SECRET);
    }

    @AfterEach
    void stop() {
        agent.close();
        receiver.close();
    }

    private HttpResponse<String> send(String method, String path, byte[] body, boolean sign) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(agent.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (sign) {
            b.header(Signature.HEADER, signature.header(body == null ? new byte[0] : body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anythingButPostJobsIs404Or405() throws Exception {
        HttpResponse<String> get = send("GET", "/jobs", null, false);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(send("PUT", "/jobs", "{}".getBytes(), true).statusCode()).isEqualTo(405);
        assertThat(send("POST", "/", "{}".getBytes(), true).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/jobs/1", "{}".getBytes(), true).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/health", null, false).statusCode()).isEqualTo(404);
    }

    @Test
    void signedButMalformedOrOversizedBodiesAre400Or413() throws Exception {
        HttpResponse<String> notJson = send("POST", "/jobs", "{\"migrationId\":".getBytes(), true);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("error").asText()).contains("not valid JSON");
        HttpResponse<String> empty = send("POST", "/jobs", job("M-1", null, null).put("round", -1).toString().getBytes(), true);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).path("error").asText()).startsWith("round:");
        byte[] huge = new byte[CopyAgent.MAX_BODY + 10];
        assertThat(send("POST", "/jobs", huge, true).statusCode()).isEqualTo(413);
    }

    @Test
    void filesOnlyJobRunsInProcessAndItsReplayIsADuplicate() throws Exception {
        Path source = dir.resolve("old");
        Files.createDirectories(source.resolve("a/b"));
        Files.writeString(source.resolve("a/b/c.txt"), "hello");
        Files.writeString(source.resolve("top.txt"), "top");
        String callback = receiver.callbackUrl("M-1");
        byte[] body = JSON.writeValueAsBytes(job("M-1", source.toString(), dir.resolve("cluster/shop").toString())
                .put("callbackUrl", callback));
        HttpResponse<String> first = send("POST", "/jobs", body, true);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).isEqualTo("{\"status\":\"accepted\"}");
        HttpResponse<String> again = send("POST", "/jobs", body, true);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"already accepted\"}");
        JsonNode result = receiver.awaitResult(CallbackReceiver.tokenOf(callback), Duration.ofSeconds(20)).body();
        assertThat(result.path("result").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("files").asLong()).isEqualTo(2);
        assertThat(result.path("bytes").asLong()).isEqualTo(8);
        assertThat(result.has("tables")).isFalse();
        assertThat(result.has("databaseBytes")).isFalse();
        assertThat(dir.resolve("cluster/shop/a/b/c.txt")).hasContent("hello");
        assertThat(receiver.callsFor(CallbackReceiver.tokenOf(callback))).hasSize(1);
    }

    /**
     * A remote source goes to rsync as {@code user@host:/path/} with the configured ssh command.
     * No sshd runs here, so the "ssh" is a script that plays the remote side on this machine the
     * way sshd would: it drops the ssh options and the host and hands the command line to a shell.
     * rsync on both ends is real.
     */
    @Test
    void remoteSourceIsFetchedThroughTheConfiguredSshCommand() throws Exception {
        agent.close();
        Path fakeSsh = dir.resolve("fake-ssh");
        Path sshLog = dir.resolve("fake-ssh.log");
        Files.writeString(fakeSsh, """
                #!/bin/sh
                echo "$@" >> '%s'
                while [ $# -gt 0 ]; do case "$1" in -l|-p|-o|-i) shift 2;; -*) shift;; *) break;; esac; done
                shift
                exec sh -c "$*"
                """.formatted(sshLog));
        Files.setPosixFilePermissions(fakeSsh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Properties withSsh = new Properties();
        withSsh.putAll(properties);
        withSsh.setProperty("sshCommand", fakeSsh + " -o BatchMode=yes");
        agent = new CopyAgent(AgentConfig.of(withSsh, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)));
        agent.start();

        Path source = dir.resolve("old server/shop");
        Files.createDirectories(source.resolve("media"));
        Files.writeString(source.resolve("media/Bild mit Ümlaut.jpg"), "jpeg");
        String callback = receiver.callbackUrl("M-remote");
        byte[] body = JSON.writeValueAsBytes(job("M-remote", "shopuser@old-server.example:" + source,
                dir.resolve("cluster/remote").toString()).put("callbackUrl", callback));
        assertThat(send("POST", "/jobs", body, true).statusCode()).isEqualTo(202);
        JsonNode result = receiver.awaitResult(CallbackReceiver.tokenOf(callback), Duration.ofSeconds(20)).body();
        assertThat(result.path("result").asText()).as(result.toString()).isEqualTo("SUCCEEDED");
        assertThat(result.path("files").asLong()).isEqualTo(1);
        assertThat(dir.resolve("cluster/remote/media/Bild mit Ümlaut.jpg")).hasContent("jpeg");
        assertThat(Files.readString(sshLog)).startsWith("-o BatchMode=yes -l shopuser old-server.example rsync --server --sender");
    }

    @Test
    void resultAnswered503IsRetriedWithBackoffUntilAccepted() throws Exception {
        Path source = dir.resolve("old");
        Files.createDirectories(source);
        Files.writeString(source.resolve("index.php"), "<?php");
        receiver.failResults("M-retry", 2);
        String callback = receiver.callbackUrl("M-retry");
        byte[] body = JSON.writeValueAsBytes(job("M-retry", source.toString(), dir.resolve("cluster/retry").toString())
                .put("callbackUrl", callback));
        assertThat(send("POST", "/jobs", body, true).statusCode()).isEqualTo(202);
        String token = CallbackReceiver.tokenOf(callback);
        CallbackReceiver.Call accepted = receiver.await(token, c -> c.answer() == 200, Duration.ofSeconds(20));
        var calls = receiver.callsFor(token);
        assertThat(calls).extracting(CallbackReceiver.Call::answer).containsExactly(503, 503, 200);
        assertThat(calls).extracting(c -> c.body().path("result").asText()).containsOnly("SUCCEEDED");
        assertThat(Duration.between(calls.get(0).at(), accepted.at())).as("waits 1 s, then 2 s").isGreaterThan(Duration.ofMillis(2900));
    }

    /** A remote server that never answers: the job timeout ends rsync and its ssh and reports FAILED. */
    @Test
    void jobRunningLongerThanTheTimeoutIsStoppedAndReportedFailed() throws Exception {
        agent.close();
        Path hangingSsh = dir.resolve("hanging-ssh");
        Files.writeString(hangingSsh, "#!/bin/sh\nexec sleep 300\n");
        Files.setPosixFilePermissions(hangingSsh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("sshCommand", hangingSsh.toString());
        p.setProperty("jobTimeoutSeconds", "1");
        agent = new CopyAgent(AgentConfig.of(p, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)));
        agent.start();
        String callback = receiver.callbackUrl("M-hang");
        byte[] body = JSON.writeValueAsBytes(job("M-hang", "shop@unreachable.example:/var/www/shop",
                dir.resolve("cluster/hang").toString()).put("callbackUrl", callback));
        assertThat(send("POST", "/jobs", body, true).statusCode()).isEqualTo(202);
        JsonNode result = receiver.awaitResult(CallbackReceiver.tokenOf(callback), Duration.ofSeconds(20)).body();
        assertThat(result.path("result").asText()).isEqualTo("FAILED");
        assertThat(result.path("reason").asText()).contains("longer than 1 s");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sleepers() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sleepers()).as("rsync and the hanging ssh destroyed").isZero();
    }

    private static long sleepers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("/sleep") || c.endsWith("/rsync")).orElse(false)).count();
    }

    @Test
    void aSecondAgentCannotShareTheStateFolder() {
        CopyAgent second = new CopyAgent(AgentConfig.of(properties, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)));
        assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("in use by another copy agent");
    }

    @Test
    void configurationsWithoutAStrongSecretOrWithUnknownKeysAreRefused() {
        assertThatThrownBy(() -> AgentConfig.of(properties, dir, Map.of(AgentConfig.SECRET_ENV, "short")))
                .hasMessageContaining("at least 32 characters");
        Properties typo = new Properties();
        typo.putAll(properties);
        typo.setProperty("targetRoot", "/srv");
        assertThatThrownBy(() -> AgentConfig.of(typo, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)))
                .hasMessageContaining("unknown configuration key 'targetRoot'");
        Properties noRoots = new Properties();
        noRoots.putAll(properties);
        noRoots.remove("targetRoots");
        assertThatThrownBy(() -> AgentConfig.of(noRoots, dir, Map.of(AgentConfig.SECRET_ENV, SECRET)))
                .hasMessageContaining("targetRoots is required");
    }

    private static ObjectNode job(String migrationId, String source, String target) {
        ObjectNode job = JSON.createObjectNode();
        job.put("migrationId", migrationId);
        job.put("mode", "initial");
        job.put("round", 1);
        job.put("issuedAt", Instant.now().toString());
        job.putObject("source").put("files", source);
        job.putObject("target").put("files", target);
        job.put("callbackUrl", "http://127.0.0.1:9/m/x/y/callback");
        return job;
    }
}
