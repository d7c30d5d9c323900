package de.shopmigration.copyagent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted job from start to callback: files, then the database, heartbeats every third of
 * {@code heartbeatSeconds} meanwhile, then exactly one SUCCEEDED or FAILED result, unless the
 * workflow answered a heartbeat with 410 (or 409): then the processes are destroyed and no result
 * is sent.
 */
final class JobRun implements Runnable {

    static final long MIN_HEARTBEAT_MILLIS = 250;

    private final Job job;
    private final AgentConfig config;
    private final Callbacks callbacks;
    private final JobStore store;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final JobControl control = new JobControl();
    private final ReentrantLock callbackLock = new ReentrantLock();
    private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
    private boolean resultStarted;
    private volatile Thread thread;

    JobRun(Job job, AgentConfig config, Callbacks callbacks, JobStore store, ScheduledExecutorService scheduler,
           Listener listener) {
        this.job = job;
        this.config = config;
        this.callbacks = callbacks;
        this.store = store;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Told when the copy work is over (another job of the migration may start) and when the run ended. */
    interface Listener {
        void copyEnded(JobRun run);

        void runEnded(JobRun run);
    }

    Job job() {
        return job;
    }

    /** Starts the job on its own thread. */
    void start() {
        thread = Thread.ofPlatform().name("job-" + job.key()).start(this);
    }

    /**
     * Stops the job for the agent's shutdown: processes destroyed, no result (an undelivered result
     * is given up too); the job stays unfinished in the store and runs again at the next start.
     * Waits up to {@code wait} for the run to end.
     */
    void shutdown(Duration wait) {
        control.cancel(JobControl.Stop.SHUTDOWN);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            work();
        } finally {
            listener.runEnded(this);
        }
    }

    private void work() {
        long started = System.nanoTime();
        long every = Math.max(MIN_HEARTBEAT_MILLIS, job.heartbeatSeconds() * 1000L / 3);
        ScheduledFuture<?> heartbeats = scheduler.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> timeout = scheduler.schedule(() -> {
            Log.warn(job.describe() + ": running longer than " + config.jobTimeout().toSeconds() + " s; stopping it");
            control.cancel(JobControl.Stop.TIMEOUT);
        }, config.jobTimeout().toMillis(), TimeUnit.MILLISECONDS);
        Log.info(job.describe() + ": started (" + (job.files().isPresent() ? "files" : "")
                + (job.files().isPresent() && job.database().isPresent() ? " and " : "")
                + (job.database().isPresent() ? "database" : "") + ", heartbeat every " + every + " ms)");
        ObjectNode result = JobParser.JSON.createObjectNode();
        String failure = null;
        try {
            result.put("result", "SUCCEEDED");
            if (job.files().isPresent()) {
                FileCopier.Figures f = new FileCopier(config).copy(job.files().get(), control);
                result.put("files", f.files());
                result.put("bytes", f.bytes());
                Log.info(job.describe() + ": files copied (" + f.files() + " files, " + f.bytes() + " bytes transferred)");
            }
            if (job.database().isPresent()) {
                DatabaseCopier.Figures d = new DatabaseCopier(config).copy(job.database().get(), control);
                result.put("tables", d.tables());
                result.put("databaseBytes", d.bytes());
                Log.info(job.describe() + ": database copied (" + d.tables() + " tables, " + d.bytes() + " bytes of SQL)");
            }
        } catch (CopyFailed e) {
            failure = e.getMessage();
        } catch (JobStopped e) {
            // control.stopped() says why; handled below
        } catch (RuntimeException e) {
            Log.error(job.describe() + ": unexpected error", e);
            failure = "copy agent error: " + e;
        } finally {
            heartbeats.cancel(false);
            timeout.cancel(false);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        callbackLock.lock();
        try {
            resultStarted = true;
        } finally {
            callbackLock.unlock();
        }
        listener.copyEnded(this);
        JobControl.Stop stop = control.stopped();
        if (stop == JobControl.Stop.WORKFLOW) {
            Log.info(job.describe() + ": stopped because the workflow answered a heartbeat with 409/410; no result sent");
            store.finish(job.key(), JobStore.State.CANCELLED);
            return;
        }
        if (stop == JobControl.Stop.SHUTDOWN) {
            Log.info(job.describe() + ": interrupted by the agent's shutdown; it runs again at the next start");
            return;
        }
        if (stop == JobControl.Stop.TIMEOUT) {
            failure = "the copy took longer than " + config.jobTimeout().toSeconds() + " s and was stopped";
        }
        if (failure != null) {
            ObjectNode failed = JobParser.JSON.createObjectNode();
            failed.put("result", "FAILED");
            failed.put("reason", shorten(failure));
            Log.warn(job.describe() + ": FAILED after " + seconds + " s: " + shorten(failure));
            deliver(failed, JobStore.State.FAILED);
        } else {
            result.put("durationSeconds", seconds);
            Log.info(job.describe() + ": SUCCEEDED in " + seconds + " s");
            deliver(result, JobStore.State.SUCCEEDED);
        }
    }

    /** The job counts as finished once the workflow had its answer (or the retries are used up). */
    private void deliver(ObjectNode result, JobStore.State state) {
        if (control.stopped() == JobControl.Stop.SHUTDOWN || !callbacks.sendResult(job, result)) {
            Log.info(job.describe() + ": result not delivered because the agent shuts down; the job runs again at the next start");
            return;
        }
        store.finish(job.key(), state);
    }

    private void heartbeat() {
        if (!heartbeatInFlight.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().start(() -> {
            callbackLock.lock();
            try {
                if (resultStarted || control.stopped() != null) {
                    return;
                }
                ObjectNode body = JobParser.JSON.createObjectNode();
                body.put("result", "RUNNING");
                body.put("progress", control.progress());
                int status = callbacks.post(job.callbackUrl(), body, Duration.ofSeconds(10));
                if (status == 410 || status == 409) {
                    Log.warn(job.describe() + ": heartbeat answered with HTTP " + status
                            + (status == 410 ? " (migration closed or aborted, or link expired)" : " (already answered)")
                            + "; stopping the job");
                    control.cancel(JobControl.Stop.WORKFLOW);
                } else if (status < 200 || status >= 300) {
                    Log.warn(job.describe() + ": heartbeat to " + job.callbackOrigin() + " failed with "
                            + (status == Callbacks.IO_ERROR ? "an I/O error" : "HTTP " + status) + "; the job goes on");
                }
            } finally {
                callbackLock.unlock();
                heartbeatInFlight.set(false);
            }
        });
    }

    static String shorten(String reason) {
        String s = reason.strip();
        return s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }
}
