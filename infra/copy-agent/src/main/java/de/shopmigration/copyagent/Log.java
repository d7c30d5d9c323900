package de.shopmigration.copyagent;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One line per event on stderr (stdout carries only the "listening on" line). Messages name
 * migration id, mode, round and outcomes; never the secret, never a callback URL's token.
 */
final class Log {

    private static final PrintStream OUT = System.err;

    private Log() {
    }

    static void info(String message) {
        write("INFO ", message);
    }

    static void warn(String message) {
        write("WARN ", message);
    }

    static void error(String message, Throwable t) {
        write("ERROR", message + (t == null ? "" : ": " + t));
    }

    private static void write(String level, String message) {
        synchronized (OUT) {
            OUT.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + message);
            OUT.flush();
        }
    }
}
