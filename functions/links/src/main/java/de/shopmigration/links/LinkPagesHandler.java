package de.shopmigration.links;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import de.shopmigration.core.Env;
import de.shopmigration.core.Priming;
import de.shopmigration.core.Services;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import de.shopmigration.core.Lazy;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The HTTP API's only integration: API Gateway (payload 2.0) in, a page out. */
public final class LinkPagesHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final LinkPages pages;
    private final String publicBaseUrl;

    public LinkPagesHandler() {
        this(Env.system());
    }

    public LinkPagesHandler(Env env) {
        this(create(Services.from(env)), env.optional("PUBLIC_BASE_URL").orElse(null));
        Priming.beforeSnapshot("LinksFunction", pages::prime);
    }

    public LinkPagesHandler(LinkPages pages, String publicBaseUrl) {
        this.pages = pages;
        this.publicBaseUrl = publicBaseUrl;
    }

    private static LinkPages create(Services services) {
        return new LinkPages(services, Lazy.of(() -> services.aws().configure(SfnClient.builder()).build()),
                services.env().optional("STATE_MACHINE_ARN"));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPEvent.RequestContext rc = event.getRequestContext();
        String method = rc != null && rc.getHttp() != null ? rc.getHttp().getMethod() : "GET";
        String sourceIp = rc != null && rc.getHttp() != null ? rc.getHttp().getSourceIp() : "unknown";
        byte[] body = event.getBody() == null ? null
                : event.getIsBase64Encoded() ? decode(event.getBody()) : event.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        HttpResult result;
        try {
            result = pages.handle(new LinkPages.Request(method, event.getRawPath(), headers, body, sourceIp, baseUrl(event)));
        } catch (SdkException e) {
            // Logged without the path: it carries the link's secret.
            context.getLogger().log("AWS call failed while serving a link page: " + e.getMessage());
            result = HttpResult.html(503, unavailablePage());
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(result.status())
                .withHeaders(result.headers())
                .withBody("HEAD".equalsIgnoreCase(method) ? "" : result.body())
                .build();
    }

    private String baseUrl(APIGatewayV2HTTPEvent event) {
        if (publicBaseUrl != null) {
            return publicBaseUrl;
        }
        APIGatewayV2HTTPEvent.RequestContext rc = event.getRequestContext();
        String stage = rc.getStage() == null || rc.getStage().equals("$default") ? "" : "/" + rc.getStage();
        return "https://" + rc.getDomainName() + stage;
    }

    private static byte[] decode(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String unavailablePage() {
        return "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>Vorübergehend nicht erreichbar</title></head>"
                + "<body><h1>Vorübergehend nicht erreichbar / Temporarily unavailable</h1>"
                + "<p>Bitte versuchen Sie es in einigen Minuten erneut. Please try again in a few minutes.</p></body></html>";
    }
}
