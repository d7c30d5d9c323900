package de.shopmigration.links;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.shopmigration.core.lambda.Env;
import de.shopmigration.core.json.Json;
import de.shopmigration.core.lambda.Lazy;
import de.shopmigration.core.lambda.Priming;
import de.shopmigration.core.lambda.Collaborators;
import de.shopmigration.core.lambda.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The HTTP API's only integration: API Gateway's payload 2.0 in, a page out in the 2.0 response
 * format. Read as JSON by the handler itself: a typed handler would bring the events library
 * (and joda-time) into the package and the runtime's event binding into every cold start, on
 * the one function customers wait for.
 */
public final class LinkPagesHandler implements RequestStreamHandler {

    private final LinkPages pages;
    private final String publicBaseUrl;

    public LinkPagesHandler() {
        this(Env.system());
    }

    public LinkPagesHandler(Env env) {
        this(create(Collaborators.from(env)), env.optional("PUBLIC_BASE_URL").orElse(null));
        Priming.beforeSnapshot("LinksFunction", pages::prime);
    }

    public LinkPagesHandler(LinkPages pages, String publicBaseUrl) {
        this.pages = pages;
        this.publicBaseUrl = publicBaseUrl;
    }

    private static LinkPages create(Collaborators services) {
        return new LinkPages(services, Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()),
                services.env().optional("STATE_MACHINE_ARN"), Lazy.of(() -> services.aws().configure(LambdaClient.builder()).build()),
                services.env().optional("DELIVERY_FUNCTION_ARN"), services.env().optional("DNS_FUNCTION_ARN"));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode event = Json.read(in);
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText("GET");
        String sourceIp = http.path("sourceIp").asText("unknown");
        JsonNode rawBody = event.path("body");
        byte[] body = !rawBody.isTextual() ? null
                : event.path("isBase64Encoded").asBoolean(false) ? decode(rawBody.asText()) : rawBody.asText().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        long started = System.nanoTime();
        HttpResult result;
        try {
            result = pages.handle(new LinkPages.Request(method, event.path("rawPath").asText("/"), headers, body, sourceIp, baseUrl(event)));
        } catch (SdkException e) {
            // Logged without the path: it carries the link's secret.
            context.getLogger().log("AWS call failed while serving a link page: " + e.getMessage());
            result = HttpResult.html(503, unavailablePage());
        }
        if (context != null) {
            // On standard output, as JSON lines stay JSON there (see JsonHandler).
            System.out.println(TaskLog.page(context.getFunctionName(), event.path("rawPath").asText("/"), method, result.status(),
                    (System.nanoTime() - started) / 1_000_000));
        }
        ObjectNode response = Json.object();
        response.put("statusCode", result.status());
        ObjectNode responseHeaders = response.putObject("headers");
        result.headers().forEach(responseHeaders::put);
        response.put("body", "HEAD".equalsIgnoreCase(method) ? "" : result.body());
        response.put("isBase64Encoded", false);
        Json.write(response, out);
    }

    private String baseUrl(JsonNode event) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        JsonNode rc = event.path("requestContext");
        String stage = rc.path("stage").asText("$default");
        return "https://" + rc.path("domainName").asText() + (stage.equals("$default") ? "" : "/" + stage);
    }

    private static byte[] decode(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** Shown only when nothing could be stored: an answer that was stored is taken on in the background. */
    private static String unavailablePage() {
        return "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Vorübergehend nicht erreichbar</title></head>"
                + "<body><h1>Vorübergehend nicht erreichbar / Temporarily unavailable</h1>"
                + "<p>Ihre Eingabe wurde <strong>nicht</strong> gespeichert. Bitte öffnen Sie den Link in einigen Minuten erneut "
                + "und senden Sie das Formular noch einmal.</p>"
                + "<p lang=\"en\">What you entered has <strong>not</strong> been saved. Please open the link again in a few minutes "
                + "and send the form once more.</p></body></html>";
    }
}
