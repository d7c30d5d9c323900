package de.shopmigration.copyagent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent as the provider runs it: {@code java -cp <test class path> CopyAgent --config ...}
 * in its own process. The port comes from its first stdout line; stdout and stderr go to files
 * (so the pipes never fill). {@link #close()} stops it by its PID (SIGTERM, then SIGKILL) and
 * kills whatever child it left.
 */
public final class AgentProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private String baseUrl;
    private List<ProcessHandle> leftovers = List.of();

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static AgentProcess start(Path config, Path logDir) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path out = logDir.resolve("stdout.log");
        Path err = logDir.resolve("stderr.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                CopyAgent.class.getName(), "--config", config.toString()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove(AgentConfig.SECRET_ENV);
        AgentProcess agent = new AgentProcess(pb.start(), out, err);
        try {
            agent.awaitListening();
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public long pid() {
        return process.pid();
    }

    /** Child processes of the agent (rsync, mariadb-dump, mariadb, ...) alive right now. */
    long childProcesses() {
        return process.toHandle().descendants().filter(ProcessHandle::isAlive).count();
    }

    /** File names of the agent's live child processes' commands, e.g. ["mariadb-dump", "mariadb"]. */
    List<String> childCommands() {
        return process.toHandle().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?"))
                .toList();
    }

    String stderrLog() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.get(0).startsWith("listening on http://")) {
                baseUrl = lines.get(0).substring("listening on ".length()).strip();
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("the agent ended with exit code " + process.exitValue() + ": " + stderrLog());
            }
            Thread.sleep(50);
        }
        throw new IOException("the agent printed no 'listening on' line within " + START_TIMEOUT.toSeconds() + " s: " + stderrLog());
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        leftovers = children.stream().filter(ProcessHandle::isAlive).toList();
        leftovers.forEach(ProcessHandle::destroyForcibly);
    }

    /** Children the agent had when it was stopped and that outlived it (killed by {@link #close()}). */
    List<ProcessHandle> leftoverChildren() {
        return leftovers;
    }
}
