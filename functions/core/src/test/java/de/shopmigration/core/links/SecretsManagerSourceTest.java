package de.shopmigration.core.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import de.shopmigration.core.LinkSecretUnavailable;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** The link secret's one request, against a loopback server that answers as Secrets Manager does. */
class SecretsManagerSourceTest {

    static final String ARN = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop-migration-links-AbCdEf";
    static final String VALUE = "k".repeat(40);

    record Seen(String target, String contentType, String authorization, Map<String, Object> body) {
    }

    record Reply(int status, String body) {
    }

    HttpServer server;
    final List<Seen> seen = new ArrayList<>();
    final Deque<Reply> replies = new ArrayDeque<>();
    SdkHttpClient http;
    SecretsManagerSource source;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            @SuppressWarnings("unchecked")
            Map<String, Object> body = Json.convert(Json.read(new String(request, StandardCharsets.UTF_8)), Map.class);
            synchronized (seen) {
                seen.add(new Seen(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"), body));
            }
            Reply reply = replies.isEmpty() ? new Reply(500, "{}") : replies.poll();
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(reply.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        http = UrlConnectionHttpClient.builder().build();
        source = new SecretsManagerSource(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Region.EU_CENTRAL_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), ARN);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        http.close();
    }

    @Test
    void oneSignedGetSecretValueByLabel() {
        replies.add(new Reply(200, Json.write(Json.object().put("ARN", ARN).put("SecretString", VALUE)
                .put("VersionId", "v1"))));
        assertThat(source.read(LinkKeys.CURRENT)).contains(VALUE);
        assertThat(seen).hasSize(1);
        Seen request = seen.get(0);
        assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(request.contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-central-1/secretsmanager/aws4_request", "SignedHeaders=", "x-amz-target", "Signature=");
        assertThat(request.body()).isEqualTo(Map.of("SecretId", ARN, "VersionStage", "AWSCURRENT"));
    }

    @Test
    void aLabelNoVersionCarriesIsEmptyButAMissingSecretIsAnError() {
        String notFound = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS\"}";
        replies.add(new Reply(400, notFound));
        assertThat(source.read(LinkKeys.PREVIOUS)).isEmpty();
        replies.add(new Reply(400, notFound));
        assertThatThrownBy(() -> source.read(LinkKeys.CURRENT)).isInstanceOf(LinkSecretUnavailable.class)
                .hasMessageContaining(ARN).hasMessageContaining("400 ResourceNotFoundException");
    }

    @Test
    void serverErrorsAndThrottlingAreTriedAgainThreeTimesAtMost() {
        replies.add(new Reply(500, "{\"__type\":\"InternalServiceError\"}"));
        replies.add(new Reply(400, "{\"__type\":\"com.amazonaws.secretsmanager#ThrottlingException\"}"));
        replies.add(new Reply(200, Json.write(Json.object().put("SecretString", VALUE))));
        assertThat(source.read(LinkKeys.CURRENT)).contains(VALUE);
        assertThat(seen).hasSize(3);

        seen.clear();
        for (int i = 0; i < 4; i++) {
            replies.add(new Reply(503, "{}"));
        }
        assertThatThrownBy(() -> source.read(LinkKeys.CURRENT)).isInstanceOf(LinkSecretUnavailable.class).hasMessageContaining("503");
        assertThat(seen).hasSize(SecretsManagerSource.ATTEMPTS);
    }

    @Test
    void aRefusalIsNotTriedAgainAndNamesNoValue() {
        replies.add(new Reply(400, "{\"__type\":\"AccessDeniedException\",\"Message\":\"not authorized to perform: secretsmanager:GetSecretValue\"}"));
        assertThatThrownBy(() -> source.read(LinkKeys.CURRENT)).isInstanceOf(LinkSecretUnavailable.class)
                .hasMessageContaining("AccessDeniedException").hasMessageNotContaining(VALUE);
        assertThat(seen).hasSize(1);
    }

    @Test
    void aBinarySecretHasNoTextValue() {
        replies.add(new Reply(200, "{\"SecretBinary\":\"AAEC\"}"));
        assertThat(source.read(LinkKeys.CURRENT)).isEqualTo(Optional.empty());
    }

    @Test
    void theEndpointIsThePartitionsOwn() {
        assertThat(SecretsManagerSource.endpointFor(Region.EU_CENTRAL_1, "amazonaws.com")).hasToString("https://secretsmanager.eu-central-1.amazonaws.com");
        assertThat(SecretsManagerSource.endpointFor(Region.CN_NORTH_1, "amazonaws.com.cn")).hasToString("https://secretsmanager.cn-north-1.amazonaws.com.cn");
    }
}
