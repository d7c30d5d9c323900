package de.shopmigration.copyagent;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mirrors the source folder's contents into the target folder with
 * {@code rsync -a --delete --stats}: the first (initial) copy transfers everything, the final
 * copy only what changed since. The figures come from rsync's own statistics.
 */
final class FileCopier {

    /** What rsync transferred. */
    record Figures(long files, long bytes) {
    }

    private static final Pattern FILES = Pattern.compile("^Number of regular files transferred:\\s*([0-9][0-9,.']*)",
            Pattern.MULTILINE);
    private static final Pattern BYTES = Pattern.compile("^Total transferred file size:\\s*([0-9][0-9,.']*)\\s*bytes",
            Pattern.MULTILINE);

    private final AgentConfig config;

    FileCopier(AgentConfig config) {
        this.config = config;
    }

    Figures copy(Job.Files files, JobControl control) throws CopyFailed, JobStopped {
        if (files.target() instanceof Location.Local local) {
            try {
                Files.createDirectories(local.path());
            } catch (IOException e) {
                throw new CopyFailed("files: cannot create the target folder " + local.path() + ": " + e);
            }
        }
        List<String> command = new ArrayList<>(List.of(config.rsync(), "-a", "--delete", "--stats"));
        config.sshCommand().ifPresent(ssh -> {
            command.add("-e");
            command.add(ssh);
        });
        command.add("--");
        command.add(files.source().rsyncArgument());
        command.add(files.target().rsyncArgument());
        control.progress("files: rsync running");
        // C locale: rsync's figures then always use ',' as the thousands separator.
        Processes.Result r = Processes.run(control, command, Map.of("LC_ALL", "C"), null, "files");
        if (r.exitCode() == 24) {
            Log.warn("rsync: some source files vanished during the transfer (exit code 24); the copy is complete otherwise");
        } else if (r.exitCode() != 0) {
            throw new CopyFailed("files: rsync exit code " + r.exitCode() + meaning(r.exitCode())
                    + (r.stderrTail().isEmpty() ? "" : ": " + r.stderrTail()));
        }
        return parseStats(r.stdout());
    }

    static Figures parseStats(String stats) throws CopyFailed {
        Matcher f = FILES.matcher(stats);
        Matcher b = BYTES.matcher(stats);
        if (!f.find() || !b.find()) {
            throw new CopyFailed("files: rsync finished but printed no --stats figures");
        }
        return new Figures(number(f.group(1)), number(b.group(1)));
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replaceAll("[^0-9]", ""));
    }

    private static String meaning(int code) {
        String m = switch (code) {
            case 1 -> "syntax or usage error";
            case 2 -> "protocol incompatibility";
            case 3 -> "errors selecting input/output files or folders";
            case 5 -> "error starting client-server protocol";
            case 10 -> "error in socket I/O";
            case 11 -> "error in file I/O";
            case 12 -> "error in rsync protocol data stream";
            case 20 -> "received a signal";
            case 23 -> "partial transfer due to error";
            case 30 -> "timeout in data send/receive";
            case 35 -> "timeout waiting for daemon connection";
            case 255 -> "ssh connection failed";
            default -> null;
        };
        return m == null ? "" : " (" + m + ")";
    }
}
