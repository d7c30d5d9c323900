package de.shopmigration.copyagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Signed POSTs to a job's callback URL. Results are retried on 5xx and I/O errors with backoff;
 * heartbeats are sent once (the next one follows anyway).
 */
final class Callbacks {

    /** Waits before the retries of a result: five retries, then the agent gives up and logs. */
    static final List<Duration> RESULT_BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(8), Duration.ofSeconds(16));
    static final int IO_ERROR = -1;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final Signature signature;

    Callbacks(Signature signature) {
        this.signature = signature;
    }

    /** One signed POST; the HTTP status, or {@link #IO_ERROR}. */
    int post(URI url, ObjectNode body, Duration timeout) {
        byte[] bytes;
        try {
            bytes = JobParser.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Signature.HEADER, signature.header(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return IO_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return IO_ERROR;
        }
    }

    /**
     * Sends a SUCCEEDED/FAILED result, retrying 5xx and I/O errors; logs how it ended.
     *
     * @return false only when interrupted (the agent shuts down) before the workflow answered
     */
    boolean sendResult(Job job, ObjectNode result) {
        String what = job.describe() + ": " + result.path("result").asText() + " callback to " + job.callbackOrigin();
        for (int attempt = 0; ; attempt++) {
            int status = post(job.callbackUrl(), result, Duration.ofSeconds(30));
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (status >= 200 && status < 300) {
                Log.info(what + " accepted (HTTP " + status + ")");
                return true;
            }
            if (status == 409) {
                Log.warn(what + ": the copy job was already answered (HTTP 409); nothing more to do");
                return true;
            }
            if (status == 410) {
                Log.warn(what + ": the migration is closed or aborted, or the link expired (HTTP 410)");
                return true;
            }
            if (status >= 300 && status < 500) {
                Log.warn(what + " refused with HTTP " + status + "; not retried");
                return true;
            }
            String failure = status == IO_ERROR ? "an I/O error" : "HTTP " + status;
            if (attempt >= RESULT_BACKOFF.size()) {
                Log.warn(what + " failed with " + failure + " after " + (attempt + 1) + " attempts; giving up");
                return true;
            }
            Duration wait = RESULT_BACKOFF.get(attempt);
            Log.info(what + " failed with " + failure + "; retrying in " + wait.toSeconds() + " s");
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
