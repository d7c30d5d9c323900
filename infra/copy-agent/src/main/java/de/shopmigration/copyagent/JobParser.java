package de.shopmigration.copyagent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a job body into a {@link Job} or says which field is wrong and why. Checks everything
 * even though jobs are signed (defence in depth): path syntax, target roots, database and
 * connection names, the callback URL.
 */
public final class JobParser {

    static final Pattern MIGRATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    static final int MAX_HEARTBEAT_SECONDS = 86_400;
    static final int MAX_ROUND = 1_000_000;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A job that is not acceptable, with the answer's status and a reason naming the field. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Rejected(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final AgentConfig config;

    public JobParser(AgentConfig config) {
        this.config = config;
    }

    public Job parse(byte[] body) throws Rejected {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("the body is not valid JSON");
        } catch (IOException e) {
            throw bad("the body cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw bad("the body must be a JSON object");
        }
        String migrationId = text(root, "migrationId");
        if (!MIGRATION_ID.matcher(migrationId).matches()) {
            throw bad("migrationId: must be 1-80 of A-Z a-z 0-9 . _ -");
        }
        Job.Mode mode = switch (text(root, "mode")) {
            case "initial" -> Job.Mode.INITIAL;
            case "final" -> Job.Mode.FINAL;
            default -> throw bad("mode: must be \"initial\" or \"final\"");
        };
        int round = wholeNumber(root, "round", 1, MAX_ROUND, null);
        Instant issuedAt = instant(text(root, "issuedAt"));
        int heartbeat = wholeNumber(root, "heartbeatSeconds", 1, MAX_HEARTBEAT_SECONDS, Job.DEFAULT_HEARTBEAT_SECONDS);
        URI callback = callback(text(root, "callbackUrl"));

        JsonNode source = object(root, "source");
        JsonNode target = object(root, "target");
        Optional<Job.Files> files = files(source, target);
        Optional<Job.Database> database = database(source, target);
        if (files.isEmpty() && database.isEmpty()) {
            throw bad("source/target: name files, a database or both");
        }
        return new Job(migrationId, mode, round, issuedAt, files, database, callback, heartbeat);
    }

    private Optional<Job.Files> files(JsonNode source, JsonNode target) throws Rejected {
        boolean s = present(source, "files");
        boolean t = present(target, "files");
        if (s != t) {
            throw bad((s ? "target.files" : "source.files") + ": files must be named on both sides or on neither");
        }
        if (!s) {
            return Optional.empty();
        }
        Location from = location(source, "source.files");
        Location to = location(target, "target.files");
        if (config.targetRoots().stream().noneMatch(to::isStrictlyUnder)) {
            throw bad("target.files: must lie below one of the agent's targetRoots");
        }
        if (!config.sourceRoots().isEmpty() && config.sourceRoots().stream().noneMatch(from::isStrictlyUnder)) {
            throw bad("source.files: must lie below one of the agent's sourceRoots");
        }
        if (from.overlaps(to)) {
            throw bad("target.files: must not be inside the source folder or contain it");
        }
        return Optional.of(new Job.Files(from, to));
    }

    private Optional<Job.Database> database(JsonNode source, JsonNode target) throws Rejected {
        boolean s = present(source, "database");
        boolean t = present(target, "database");
        if (s != t) {
            throw bad((s ? "target.database" : "source.database") + ": a database must be named on both sides or on neither");
        }
        if (!s) {
            return Optional.empty();
        }
        JsonNode from = object(source, "database", "source.database");
        JsonNode to = object(target, "database", "target.database");
        String fromName = databaseName(from, "source.database.name");
        String fromConnection = connection(from, "source.database.connection");
        String toName = databaseName(to, "target.database.name");
        String toConnection = connection(to, "target.database.connection");
        if (fromName.equals(toName) && fromConnection.equals(toConnection)) {
            throw bad("target.database: must not be the source database itself");
        }
        return Optional.of(new Job.Database(fromName, fromConnection, toName, toConnection));
    }

    private Location location(JsonNode parent, String field) throws Rejected {
        JsonNode n = parent.get("files");
        if (!n.isTextual()) {
            throw bad(field + ": must be a string");
        }
        try {
            return Location.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw bad(field + ": " + e.getMessage());
        }
    }

    private static String databaseName(JsonNode db, String field) throws Rejected {
        JsonNode n = db.get("name");
        if (n == null || !n.isTextual() || !DATABASE_NAME.matcher(n.asText()).matches()) {
            throw bad(field + ": must be 1-64 of A-Z a-z 0-9 _ $");
        }
        return n.asText();
    }

    private String connection(JsonNode db, String field) throws Rejected {
        JsonNode n = db.get("connection");
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw bad(field + ": required");
        }
        if (!config.connections().containsKey(n.asText())) {
            throw bad(field + ": unknown connection (not in the agent's configuration)");
        }
        return n.asText();
    }

    private static URI callback(String value) throws Rejected {
        if (value.length() > 2048) {
            throw bad("callbackUrl: longer than 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw bad("callbackUrl: not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad("callbackUrl: must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw bad("callbackUrl: must have a host and no user info or fragment");
        }
        return uri;
    }

    private static Instant instant(String value) throws Rejected {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("issuedAt: must be an ISO-8601 timestamp with offset, e.g. 2026-11-29T10:00:00Z");
        }
    }

    private static boolean present(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && !n.isNull();
    }

    private static String text(JsonNode root, String field) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw bad(field + ": required");
        }
        if (!n.isTextual()) {
            throw bad(field + ": must be a string");
        }
        return n.asText();
    }

    private static JsonNode object(JsonNode root, String field) throws Rejected {
        return object(root, field, field);
    }

    private static JsonNode object(JsonNode root, String field, String name) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw bad(name + ": required");
        }
        if (!n.isObject()) {
            throw bad(name + ": must be an object");
        }
        return n;
    }

    private static int wholeNumber(JsonNode root, String field, int min, int max, Integer fallback) throws Rejected {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (fallback != null) {
                return fallback;
            }
            throw bad(field + ": required");
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw bad(field + ": must be a whole number from " + min + " to " + max);
        }
        return n.asInt();
    }

    private static Rejected bad(String reason) {
        return new Rejected(400, reason);
    }
}
