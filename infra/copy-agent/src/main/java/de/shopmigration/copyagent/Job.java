package de.shopmigration.copyagent;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * A checked copy job. {@link #key()} identifies it: migration id, mode and round; a second POST
 * with the same key is a duplicate and starts nothing.
 */
public record Job(String migrationId, Mode mode, int round, Instant issuedAt, Optional<Files> files,
                  Optional<Database> database, URI callbackUrl, int heartbeatSeconds) {

    public static final int DEFAULT_HEARTBEAT_SECONDS = 300;

    public enum Mode {
        INITIAL, FINAL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Files to mirror: source contents become the target's contents. */
    public record Files(Location source, Location target) {
    }

    /** A database to copy: names plus connection names from the agent's configuration. */
    public record Database(String sourceName, String sourceConnection, String targetName, String targetConnection) {
    }

    public String key() {
        return migrationId + "~" + mode.wire() + "~" + round;
    }

    /** For log lines: never the callback URL's token. */
    public String describe() {
        return migrationId + " " + mode.wire() + " round " + round;
    }

    /** Scheme, host and port of the callback URL: safe to log. */
    public String callbackOrigin() {
        return callbackUrl.getScheme() + "://" + callbackUrl.getHost() + (callbackUrl.getPort() < 0 ? "" : ":" + callbackUrl.getPort());
    }
}
