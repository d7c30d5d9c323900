package de.shopmigration.copyagent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The running side of one job: its progress text (for heartbeats), the processes it started
 * and its cancellation. Cancelling destroys every process of the job, with their children
 * (ssh under rsync), and forcibly after a grace period; a process started after the
 * cancellation is destroyed at once.
 */
final class JobControl {

    /** Why a job stopped before its end. */
    enum Stop {
        /** The workflow answered a heartbeat with 410/409: no result is sent. */
        WORKFLOW,
        /** The agent shuts down: no result; the job runs again at the next start. */
        SHUTDOWN,
        /** The job ran longer than jobTimeoutSeconds: a FAILED result is sent. */
        TIMEOUT
    }

    static final long GRACE_MILLIS = 3000;

    /** Variables a child process must not see: the agent's secret, client settings that bypass option files. */
    private static final List<String> SCRUBBED_ENV = List.of(AgentConfig.SECRET_ENV, "MYSQL_PWD", "MYSQL_HOST",
            "MYSQL_TCP_PORT", "MYSQL_UNIX_PORT");

    private final Set<Process> processes = new LinkedHashSet<>();
    private volatile String progress = "starting";
    private Stop stop;

    String progress() {
        return progress;
    }

    void progress(String text) {
        progress = text;
    }

    synchronized Stop stopped() {
        return stop;
    }

    /** Starts a process of this job (argument array, never a shell). */
    Process start(List<String> command, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        SCRUBBED_ENV.forEach(env::remove);
        env.putAll(extraEnv);
        synchronized (this) {
            if (stop != null) {
                throw new IOException("the job was stopped");
            }
            Process p = pb.start();
            processes.add(p);
            return p;
        }
    }

    synchronized void finished(Process p) {
        processes.remove(p);
    }

    /** First stop reason wins; destroys the job's processes. */
    void cancel(Stop reason) {
        List<Process> victims;
        synchronized (this) {
            if (stop != null) {
                return;
            }
            stop = reason;
            victims = new ArrayList<>(processes);
        }
        for (Process p : victims) {
            destroyTree(p);
        }
    }

    static void destroyTree(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
    }
}
