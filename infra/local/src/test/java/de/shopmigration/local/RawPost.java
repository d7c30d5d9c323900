package de.shopmigration.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A POST as a script sends it, not a browser: any content type (or none), any body, an optional callback signature. */
final class RawPost {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, String body) {
    }

    private RawPost() {
    }

    static Answer send(String url, String contentType, String body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (signature != null) {
            b.header("X-Migration-Signature", signature);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("POST " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
