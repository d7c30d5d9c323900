package de.shopmigration.copy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.Asking;
import de.shopmigration.core.store.AuditEntry;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationRequest;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import de.shopmigration.core.mail.Notifier;
import java.util.Optional;

/**
 * Hands a copy job (phase 2: initial, phase 6: final) to the provider's copy tooling: a signed
 * JSON POST to the configured webhook with a callback link, retried on 5xx and timeouts. With
 * no webhook configured the job goes to staff by email, with "copy done" / "copy failed" links.
 * Either way the state machine waits on the task token, which stays in DynamoDB.
 */
public final class CopyTrigger {

    static final int ATTEMPTS = 3;

    private final Collaborators services;
    private final Asking asking;
    private final Optional<URI> webhook;

    public CopyTrigger(Collaborators services, Asking asking, Optional<URI> webhook) {
        this.services = services;
        this.asking = asking;
        this.webhook = webhook;
    }

    /** SnapStart priming: as for any wait, plus a sample job written (not sent) and signed. */
    public void prime() {
        asking.prime();
        services.links().signer().sign(Json.write(job(Collaborators.primingRecord(), Step.INITIAL_COPY, 1, "https://localhost/callback",
                services.clock().instant())));
    }

    public void trigger(String migrationId, Step step, int round, String taskToken, Instant enteredAt) {
        if (!step.isCopy()) {
            throw new IllegalArgumentException(step + " is not a copy step");
        }
        asking.open(migrationId, step, round, taskToken, enteredAt).ifPresent(opened -> {
            if (webhook.isEmpty()) {
                asking.sendRequest(opened, null);
            } else {
                sendJob(opened, step, round);
            }
        });
    }

    /** The job goes to the webhook once per wait; a failed POST gives the claim back for the retry. */
    private void sendJob(Asking.Opened opened, Step step, int round) {
        String migrationId = opened.record().migrationId();
        String dedup = "WEBHOOK#" + opened.waiting().key();
        String claimant = services.links().newId();
        boolean claimed;
        try {
            claimed = services.store().emails().claim(migrationId, dedup, opened.now(), claimant);
        } catch (RuntimeException e) {
            // Possibly stored with its answer lost: given back, or the retry would never send the job.
            services.store().emails().release(migrationId, dedup, claimant, e);
            throw e;
        }
        if (!claimed) {
            return;
        }
        String body = Json.write(job(opened.record(), step, round, opened.urls().get(Purpose.COPY_DONE) + "/callback", opened.now()));
        try {
            post(body);
        } catch (CopyWebhookRefused e) {
            // Retrying cannot help; the job goes to staff by hand, with what the tooling said.
            services.store().audit().add(migrationId, new AuditEntry(opened.now(), "system",
                    "copy tooling refused the job, staff asked instead", e.answer(), null));
            asking.sendRequest(opened, "REFUSED", Map.of(), texts -> List.of(
                    Notifier.quoted(texts, Map.of(), "quote.label.answer", e.answer(), "quote.tooling")));
            return;
        } catch (RuntimeException e) {
            services.store().emails().release(migrationId, dedup, claimant, e);
            throw e;
        }
        services.store().waits().markJobSent(migrationId, opened.waiting().key(), opened.now());
        services.store().audit().add(migrationId, new AuditEntry(opened.now(), "system", "copy job sent to the copy tooling",
                step.name() + " round " + round, null));
    }

    /**
     * The job as the copy tooling receives it: where to copy from and to (references only,
     * credentials stay with the tooling), the questionnaire for context, the callback link, and
     * how often the tooling must report progress. {@code issuedAt} lets the tooling refuse a
     * replayed old job.
     */
    static ObjectNode job(MigrationRecord record, Step step, int round, String callbackUrl, Instant now) {
        MigrationRequest request = record.request();
        MigrationRequest.Copy copy = request.copy();
        ObjectNode job = Json.object();
        job.put("migrationId", record.migrationId());
        job.put("mode", step == Step.INITIAL_COPY ? "initial" : "final");
        job.put("round", round);
        job.put("issuedAt", now.toString());
        location(job.putObject("source"), copy == null ? null : copy.source());
        ObjectNode target = location(job.putObject("target"), copy == null ? null : copy.target());
        target.put("ip", request.newIp());
        if (request.newIpv6() != null) {
            target.put("ipv6", request.newIpv6());
        }
        job.set("questionnaire", record.answers() == null ? Json.object() : record.answers());
        job.put("callbackUrl", callbackUrl);
        job.put("heartbeatSeconds", request.timing().copyHeartbeat(true));
        return job;
    }

    private static ObjectNode location(ObjectNode node, MigrationRequest.Location location) {
        if (location != null && location.files() != null) {
            node.put("files", location.files());
        }
        if (location != null && location.database() != null) {
            node.putObject("database").put("name", location.database().name()).put("connection", location.database().connection());
        }
        return node;
    }

    private void post(String body) {
        String signature = services.links().signer().sign(body);
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpURLConnection c = (HttpURLConnection) webhook.get().toURL().openConnection();
                c.setRequestMethod("POST");
                c.setConnectTimeout(5000);
                c.setReadTimeout(10000);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setRequestProperty("X-Migration-Signature", "sha256=" + signature);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
                int status = c.getResponseCode();
                String answer = status >= 400 && status < 500 ? errorBody(c) : "";
                c.disconnect();
                if (status < 300) {
                    return;
                }
                if (status < 500) {
                    throw new CopyWebhookRefused(status, answer);
                }
                last = new IOException("HTTP " + status);
            } catch (IOException e) {
                last = e;
            }
            sleep(attempt);
        }
        throw new CopyWebhookUnavailable("The copy webhook did not accept the job after " + ATTEMPTS + " attempts: " + last.getMessage());
    }

    /** The start of a refusal's body, which says what the tooling did not like. */
    private static String errorBody(HttpURLConnection c) {
        try (java.io.InputStream in = c.getErrorStream()) {
            if (in == null) {
                return "";
            }
            String text = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
            return text.replaceAll("\\p{Cntrl}", " ");
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(200L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
