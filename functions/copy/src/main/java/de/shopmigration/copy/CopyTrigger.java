package de.shopmigration.copy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.ask.Asking;
import de.shopmigration.core.Json;
import de.shopmigration.core.MigrationRecord;
import de.shopmigration.core.MigrationStore;
import de.shopmigration.core.Purpose;
import de.shopmigration.core.Services;
import de.shopmigration.core.Step;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Hands a copy job (phase 2: initial, phase 6: final) to the provider's copy tooling: a signed
 * JSON POST to the configured webhook with a callback link, retried on 5xx and timeouts. With
 * no webhook configured the job goes to staff by email, with "copy done" / "copy failed" links.
 * Either way the state machine waits on the task token, which stays in DynamoDB.
 */
public final class CopyTrigger {

    static final int ATTEMPTS = 3;

    private final Services services;
    private final Asking asking;
    private final Optional<URI> webhook;

    public CopyTrigger(Services services, Asking asking, Optional<URI> webhook) {
        this.services = services;
        this.asking = asking;
        this.webhook = webhook;
    }

    public void trigger(String migrationId, Step step, int round, String taskToken) {
        if (!step.isCopy()) {
            throw new IllegalArgumentException(step + " is not a copy step");
        }
        asking.open(migrationId, step, round, taskToken).ifPresent(opened -> {
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
        if (!services.store().claimEmail(migrationId, dedup, opened.now())) {
            return;
        }
        String body = Json.write(job(opened.record(), step, round, opened.urls().get(Purpose.COPY_DONE) + "/callback"));
        try {
            post(body);
        } catch (RuntimeException e) {
            services.store().releaseEmail(migrationId, dedup);
            throw e;
        }
        services.store().audit(migrationId, new MigrationStore.AuditEntry(opened.now(), "system", "copy job sent to the copy tooling",
                step.name() + " round " + round, null));
    }

    private static ObjectNode job(MigrationRecord record, Step step, int round, String callbackUrl) {
        ObjectNode job = Json.object();
        job.put("migrationId", record.migrationId());
        job.put("mode", step == Step.INITIAL_COPY ? "initial" : "final");
        job.put("round", round);
        job.set("source", record.answers() == null ? Json.object() : record.answers());
        job.putObject("target").put("ip", record.request().newIp());
        job.put("callbackUrl", callbackUrl);
        return job;
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
                c.disconnect();
                if (status < 300) {
                    return;
                }
                if (status < 500) {
                    throw new CopyWebhookRefused("The copy webhook refused the job with HTTP " + status);
                }
                last = new IOException("HTTP " + status);
            } catch (IOException e) {
                last = e;
            }
            sleep(attempt);
        }
        throw new CopyWebhookUnavailable("The copy webhook did not accept the job after " + ATTEMPTS + " attempts: " + last.getMessage());
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(200L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
