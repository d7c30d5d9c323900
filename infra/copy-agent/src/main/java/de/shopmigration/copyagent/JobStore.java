package de.shopmigration.copyagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accepted jobs, one small JSON file each under {@code <stateDir>/jobs}, written (and synced)
 * before the 202 answer: a POST replayed after a restart is still a duplicate, and a job that
 * was running when the agent stopped is run again when it starts. The state folder is locked,
 * so two agents cannot share it. The files hold callback URLs: the folder is private (0700).
 */
final class JobStore implements AutoCloseable {

    enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED, ABANDONED }

    /** What is remembered of an accepted job. */
    record Entry(String key, State state, Instant acceptedAt, byte[] body) {
    }

    private final Path jobs;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Entry> entries = new HashMap<>();

    JobStore(Path stateDir) throws IOException {
        createPrivateDir(stateDir);
        jobs = stateDir.resolve("jobs");
        createPrivateDir(jobs);
        lockChannel = FileChannel.open(stateDir.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("stateDir " + stateDir + " is in use by another copy agent");
        }
        lock = l;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jobs, "*.json")) {
            for (Path f : files) {
                JsonNode n = JobParser.JSON.readTree(f.toFile());
                Entry e = new Entry(n.path("key").asText(), State.valueOf(n.path("state").asText()),
                        Instant.parse(n.path("acceptedAt").asText()), n.path("body").asText().getBytes(StandardCharsets.UTF_8));
                entries.put(e.key(), e);
            }
        }
    }

    synchronized Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Records a new job durably; false when the key is already known. */
    synchronized boolean accept(String key, byte[] body, Instant now) throws IOException {
        if (entries.containsKey(key)) {
            return false;
        }
        Entry e = new Entry(key, State.RUNNING, now, body);
        write(e);
        entries.put(key, e);
        return true;
    }

    synchronized void finish(String key, State state) {
        Entry old = entries.get(key);
        if (old == null) {
            return;
        }
        Entry e = new Entry(key, state, old.acceptedAt(), old.body());
        try {
            write(e);
            entries.put(key, e);
        } catch (IOException ex) {
            Log.error("cannot record the outcome of " + key, ex);
        }
    }

    /** Jobs accepted but not finished (the agent stopped while they ran). */
    synchronized List<Entry> unfinished() {
        List<Entry> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.state() == State.RUNNING) {
                result.add(e);
            }
        }
        result.sort((a, b) -> a.acceptedAt().compareTo(b.acceptedAt()));
        return result;
    }

    private void write(Entry e) throws IOException {
        ObjectNode n = JobParser.JSON.createObjectNode();
        n.put("key", e.key());
        n.put("state", e.state().name());
        n.put("acceptedAt", e.acceptedAt().toString());
        n.put("body", new String(e.body(), StandardCharsets.UTF_8));
        byte[] bytes = JobParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        Path target = jobs.resolve(e.key() + ".json");
        Path tmp = jobs.resolve(e.key() + ".json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
