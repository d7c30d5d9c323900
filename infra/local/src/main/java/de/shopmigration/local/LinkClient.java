package de.shopmigration.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.FormElement;

/** Follows links like a person with a browser would: GET the page, fill its form, POST it. */
public final class LinkClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Page(String url, int status, String html, Document document) {
        public FormElement form() {
            return (FormElement) document.selectFirst("form");
        }

        public String title() {
            return document.selectFirst("h1") == null ? "" : document.selectFirst("h1").text();
        }

        public String text() {
            return document.body().text();
        }
    }

    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
    }

    /** Submits the page's form with its current values, overridden by {@code values}. */
    public Page submit(Page page, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        FormElement form = page.form();
        if (form == null) {
            throw new IllegalStateException("No form on " + page.title() + ": " + page.text());
        }
        form.formData().forEach(kv -> data.putIfAbsent(kv.key(), kv.value()));
        data.putAll(values);
        data.values().removeIf(v -> v == null);
        return post(page.url(), data);
    }

    public Page post(String url, Map<String, String> data) {
        String body = data.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), url);
    }

    public Page send(HttpRequest.Builder request, String url) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Page(url, r.statusCode(), r.body(), Jsoup.parse(r.body(), url));
        } catch (IOException e) {
            throw new IllegalStateException("Request to the local API failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
