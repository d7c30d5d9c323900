package de.shopmigration.links;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.Json;
import de.shopmigration.core.Link;
import de.shopmigration.core.Links;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore.Use;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Wait;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The copy tooling's answer to a copy job: {@code POST <callbackUrl>} with a JSON result,
 * signed like the job (HMAC-SHA256 of the body in {@code X-Migration-Signature}). The callback
 * URL is the copy wait's "copy done" link, so it is single-use and expires like any link: a
 * replayed or late callback changes nothing. While the copy runs, the tooling posts
 * {@code {"result": "RUNNING"}} heartbeats to the same URL; they do not use the link up.
 */
final class CopyCallback {

    private CopyCallback() {
    }

    static HttpResult handle(LinkPages pages, Links.Check check, Optional<MigrationRecord> record, LinkPages.Request request,
                             Instant now) {
        return switch (check) {
            case Links.Check.Forged f -> error(403, "forged or tampered callback link");
            case Links.Check.Unknown u -> error(404, "unknown callback link");
            case Links.Check.Expired e -> error(410, "the callback link has expired");
            case Links.Check.Revoked r -> error(410, "the migration is closed or aborted");
            case Links.Check.Used u -> error(409, "this copy job was already answered");
            case Links.Check.Valid v -> valid(pages, v.link(), record.orElseThrow(), request, now);
        };
    }

    private static HttpResult valid(LinkPages pages, Link link, MigrationRecord record, LinkPages.Request request, Instant now) {
        if (link.purpose() != Purpose.COPY_DONE) {
            return error(404, "not a callback link");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        String expected = pages.services().links().signer().sign(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        if (!LinkPages.signatureMatches(request.header("X-Migration-Signature"), expected)) {
            pages.audit(record, MigrationRecord.COPY_TOOLING, "callback rejected: bad signature", null, request, now);
            return error(401, "missing or wrong X-Migration-Signature");
        }
        JsonNode result;
        try {
            result = LinkPages.parseJson(body);
        } catch (IllegalArgumentException e) {
            return error(400, "the body is not JSON");
        }
        String outcome = result.path("result").asText("");
        if (outcome.equals("RUNNING")) {
            return heartbeat(pages, link, record, result, now);
        }
        if (!outcome.equals("SUCCEEDED") && !outcome.equals("FAILED")) {
            return error(400, "result must be SUCCEEDED, FAILED or RUNNING");
        }
        Map<String, String> values = new HashMap<>();
        for (String figure : new String[] {"files", "bytes", "tables", "databaseBytes", "durationSeconds"}) {
            JsonNode n = result.get(figure);
            if (n != null && !n.isNull()) {
                if (!n.canConvertToLong() || n.asLong() < 0) {
                    return error(400, figure + " must be a non-negative whole number");
                }
                values.put(figure, Long.toString(n.asLong()));
            }
        }
        if (outcome.equals("FAILED")) {
            String reason = result.path("reason").asText("").strip();
            values.put("reason", reason.isEmpty() ? "no reason given" : reason.length() > 2000 ? reason.substring(0, 2000) : reason);
        }
        Link as = outcome.equals("SUCCEEDED") ? link
                : new Link(link.migrationId(), link.id(), Purpose.COPY_FAILED, link.waitKey(), link.createdAt(), link.expiresAt(), null, null);
        Use use = pages.answer(as, record, values, request, now, MigrationRecord.COPY_TOOLING);
        return switch (use) {
            case Use.Accepted a -> HttpResult.json(200, Json.write(Json.object().put("status", "accepted")));
            case Use.LinkAlreadyUsed u -> error(409, "this copy job was already answered");
            case Use.WaitAlreadyDecided d -> error(409, "this copy job was already answered by staff");
            case Use.Gone g -> error(410, "the callback link has expired");
        };
    }

    /**
     * A sign of life while the copy runs: resets the wait's heartbeat clock and notes the
     * progress; the link stays unused for the result. A decided wait answers 409; an aborted
     * migration 410 (via the link check), which tells the tooling to stop.
     */
    private static HttpResult heartbeat(LinkPages pages, Link link, MigrationRecord record, JsonNode result, Instant now) {
        if (!MigrationRecord.RUNNING.equals(record.status())) {
            return error(410, "the migration is closed or aborted");
        }
        String progress = result.path("progress").asText("").strip();
        progress = progress.length() > 200 ? progress.substring(0, 200) : progress;
        Optional<Wait> wait = pages.services().store().heartbeat(record.migrationId(), link.waitKey(), now, progress);
        if (wait.isEmpty()) {
            return error(409, "this copy job was already answered");
        }
        pages.heartbeat(wait.get());
        return HttpResult.json(200, Json.write(Json.object().put("status", "alive")));
    }

    private static HttpResult error(int status, String message) {
        return HttpResult.json(status, Json.write(Json.object().put("error", message)));
    }
}
