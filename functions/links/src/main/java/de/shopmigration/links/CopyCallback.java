package de.shopmigration.links;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.links.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.store.WaitStore.Use;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.TypedText;
import de.shopmigration.core.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The copy tooling's answer to a copy job: {@code POST <callbackUrl>} with a JSON result,
 * signed like the job (HMAC-SHA256 of the body in {@code X-Migration-Signature}). The callback
 * URL is the copy wait's "copy done" link, so it is single-use and expires like any link: a
 * replayed or late callback changes nothing. While the copy runs, the tooling posts
 * {@code {"result": "RUNNING"}} heartbeats to the same URL; they do not use the link up.
 *
 * <p>The order of the checks says nothing to a caller without the key: first the signature,
 * then the body's type, then the link and the migration. A callback for a migration that has
 * ended answers 410 (stop copying), whether or not its link was used. Every refusal leaves an
 * entry in the migration's audit trail (aggregated: {@link de.shopmigration.core.store.Rejections}).
 */
final class CopyCallback {

    /** Built with the first callback, not with the handler: jackson-core's parser costs some 40 classes on a start that serves a page. */
    private static final class Strict {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    private static final String[] FIGURES = {"files", "bytes", "tables", "databaseBytes", "durationSeconds"};

    private final Collaborators services;
    private final Decisions decisions;
    private final PageAudit audit;

    CopyCallback(Collaborators services, Decisions decisions, PageAudit audit) {
        this.services = services;
        this.decisions = decisions;
        this.audit = audit;
    }

    HttpResult handle(Supplier<Links.Check> linkCheck, Optional<MigrationRecord> record, LinkPages.Request request, Instant now) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (!signatureMatches(services.links().signer(), body, request.header("X-Migration-Signature"))) {
            return refuse(record, request, now, 401, "missing or wrong X-Migration-Signature", "bad signature");
        }
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).strip().startsWith("application/json")) {
            return refuse(record, request, now, 415, "the body must be application/json", "not JSON");
        }
        Links.Check check = linkCheck.get();
        if (record.isPresent() && !MigrationRecord.RUNNING.equals(record.get().status())
                && !(check instanceof Links.Check.Forged) && !(check instanceof Links.Check.Unknown)) {
            return refuse(record, request, now, 410, "the migration is closed or aborted: stop copying", "migration ended");
        }
        return switch (check) {
            case Links.Check.Forged f -> refuse(record, request, now, 403, "forged or tampered callback link", "forged link");
            case Links.Check.Unknown u -> refuse(record, request, now, 404, "unknown callback link", "unknown link");
            case Links.Check.Expired e -> refuse(record, request, now, 410, "the callback link has expired", "expired link");
            case Links.Check.Revoked r -> refuse(record, request, now, 410, "the migration is closed or aborted: stop copying", "revoked link");
            case Links.Check.Used u -> refuse(record, request, now, 409, "this copy job was already answered", "answered before");
            case Links.Check.Valid v -> valid(v.link(), record.orElseThrow(), request, body, now);
        };
    }

    private HttpResult valid(Link link, MigrationRecord record, LinkPages.Request request, byte[] body, Instant now) {
        Optional<MigrationRecord> known = Optional.of(record);
        if (link.purpose() != Purpose.COPY_DONE) {
            return refuse(known, request, now, 404, "not a callback link", "not a callback link");
        }
        JsonNode result;
        try {
            result = strictJson(body);
        } catch (IllegalArgumentException e) {
            return refuse(known, request, now, 400, "the body must be one JSON object", "malformed body");
        }
        String outcome = result.path("result").asText("");
        if (outcome.equals("RUNNING")) {
            return heartbeat(link, record, result, request, now);
        }
        if (!outcome.equals("SUCCEEDED") && !outcome.equals("FAILED")) {
            return refuse(known, request, now, 400, "result must be SUCCEEDED, FAILED or RUNNING", "unknown result");
        }
        Map<String, String> values = new HashMap<>();
        for (String figure : FIGURES) {
            JsonNode n = result.get(figure);
            if (n != null && !n.isNull()) {
                // Whole numbers only: 1.5 would be stored as 1, and -0.5 as 0.
                if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                    return refuse(known, request, now, 400, figure + " must be a non-negative whole number", "bad figure");
                }
                values.put(figure, Long.toString(n.asLong()));
            }
        }
        if (outcome.equals("FAILED")) {
            String reason = TypedText.clean(result.path("reason").asText(""), true).strip();
            values.put("reason", reason.isEmpty() ? "no reason given" : reason.length() > 2000 ? reason.substring(0, 2000) : reason);
        }
        Link as = outcome.equals("SUCCEEDED") ? link
                : new Link(link.migrationId(), link.id(), Purpose.COPY_FAILED, link.waitKey(), link.createdAt(), link.expiresAt(), null, null);
        Use use = decisions.answer(as, record, values, request, now, MigrationRecord.COPY_TOOLING);
        return switch (use) {
            case Use.Accepted a -> HttpResult.json(200, Json.write(Json.object().put("status", "accepted")));
            case Use.LinkAlreadyUsed u -> refuse(known, request, now, 409, "this copy job was already answered", "answered before");
            case Use.WaitAlreadyDecided d -> refuse(known, request, now, 409, "this copy job was already answered by staff", "answered by staff");
            case Use.Gone g -> refuse(known, request, now, 410, "the callback link has expired", "expired link");
        };
    }

    /**
     * A sign of life while the copy runs: resets the wait's heartbeat clock and notes the
     * progress; the link stays unused for the result. A decided wait answers 409.
     */
    private HttpResult heartbeat(Link link, MigrationRecord record, JsonNode result, LinkPages.Request request, Instant now) {
        String progress = TypedText.clean(result.path("progress").asText(""), false).strip();
        progress = progress.length() > 200 ? progress.substring(0, 200) : progress;
        Optional<Wait> wait = services.store().waits().heartbeat(record.migrationId(), link.waitKey(), now, progress);
        if (wait.isEmpty()) {
            return refuse(Optional.of(record), request, now, 409, "this copy job was already answered", "answered before");
        }
        decisions.heartbeat(wait.get());
        return HttpResult.json(200, Json.write(Json.object().put("status", "alive")));
    }

    /** Exactly one JSON object: "{...} xyz" or two objects in a row are refused, not half read. */
    static JsonNode strictJson(byte[] body) {
        try (JsonParser parser = Strict.FACTORY.createParser(body)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        return Json.read(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Whether a callback's signature header ({@code sha256=<HMAC of the body>}) was made with the
     * link secret's current or previous key (constant-time comparison): copy tooling that still
     * holds the key from before a rotation is heard until the next one.
     */
    static boolean signatureMatches(de.shopmigration.core.links.LinkSigner signer, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        return signer.signedWithAKey(body, header.substring(7));
    }

    private HttpResult refuse(Optional<MigrationRecord> record, LinkPages.Request request, Instant now, int status,
                              String message, String reason) {
        audit.rejected(record, request, now, "callback rejected: " + reason);
        return HttpResult.json(status, Json.write(Json.object().put("error", message)));
    }
}
