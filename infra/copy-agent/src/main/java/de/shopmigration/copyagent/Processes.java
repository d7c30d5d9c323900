package de.shopmigration.copyagent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs one process of a job to its end: optional stdin, stdout collected (bounded), stderr's tail. */
final class Processes {

    static final int STDOUT_LIMIT = 4 * 1024 * 1024;

    /** How a process ended. */
    record Result(int exitCode, String stdout, String stderrTail) {
    }

    private Processes() {
    }

    static Result run(JobControl control, List<String> command, Map<String, String> env, byte[] stdin, String what)
            throws CopyFailed, JobStopped {
        Process p;
        try {
            p = control.start(command, env);
        } catch (IOException e) {
            stoppedCheck(control);
            throw new CopyFailed(what + ": cannot start " + command.get(0) + ": " + e.getMessage());
        }
        try {
            Tail err = Tail.of(p.getErrorStream());
            Thread writer = Thread.ofVirtual().start(() -> {
                try (OutputStream out = p.getOutputStream()) {
                    if (stdin != null) {
                        out.write(stdin);
                    }
                } catch (IOException e) {
                    // the process ended early; its exit code tells why
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (out.size() < STDOUT_LIMIT) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // destroyed: handled below
            }
            int exit = p.waitFor();
            writer.join();
            stoppedCheck(control);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.lastLines(8, 800));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            JobControl.destroyTree(p);
            throw new CopyFailed(what + ": interrupted");
        } finally {
            control.finished(p);
        }
    }

    static void stoppedCheck(JobControl control) throws JobStopped {
        if (control.stopped() != null) {
            throw new JobStopped();
        }
    }
}
