package de.shopmigration.core.links;

import com.fasterxml.jackson.databind.JsonNode;
import de.shopmigration.core.LinkSecretUnavailable;
import de.shopmigration.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Reads one version of the link secret with Secrets Manager's GetSecretValue: one request,
 * signed with the SDK's own Signature Version 4 signer and sent through the function's one HTTP
 * client, instead of a second generated SDK client.
 *
 * <p>Why not {@code SecretsManagerClient}: it is the one call of the service the functions make,
 * and the client brought about 100 classes of its own (model, endpoint rules, marshallers) into
 * every signing function's start, measured in {@code make bench-coldstart} (docs/performance.md).
 * The request is the documented JSON 1.1 protocol (X-Amz-Target
 * {@code secretsmanager.GetSecretValue}), so the IAM action, the resource and the recordings the
 * IAM evaluator checks are those of the SDK's call. What the client would add is kept: throttling
 * and server errors are tried again (three attempts), a missing label is told apart from a
 * missing secret, and no value reaches a message.
 */
public final class SecretsManagerSource implements LinkKeys.Source {

    static final String TARGET = "secretsmanager.GetSecretValue";
    static final int ATTEMPTS = 3;
    /** Built with the first request, which runs on the link keys' own thread at start (LinkKeys.readInBackground). */
    private static final class Signer {
        static final AwsV4HttpSigner V4 = AwsV4HttpSigner.create();
    }

    private final SdkHttpClient http;
    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final String secretArn;

    public SecretsManagerSource(SdkHttpClient http, URI endpoint, Region region, AwsCredentialsProvider credentials, String secretArn) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.secretArn = secretArn;
    }

    /**
     * Secrets Manager's regional endpoint in the partition whose DNS suffix template.yaml passes
     * (PARTITION_DNS_SUFFIX, from AWS::URLSuffix: amazonaws.com, amazonaws.com.cn). The SDK's
     * region metadata would know it too, but loading it loads the metadata of every service and
     * region (over 350 classes) on the start.
     */
    public static URI endpointFor(Region region, String dnsSuffix) {
        return URI.create("https://secretsmanager." + region.id() + "." + dnsSuffix);
    }

    @Override
    public Optional<String> read(String stage) {
        String body = Json.write(Json.object().put("SecretId", secretArn).put("VersionStage", stage));
        for (int attempt = 1; ; attempt++) {
            Answer answer;
            try {
                answer = send(body);
            } catch (IOException | UncheckedIOException e) {
                if (attempt < ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw new LinkSecretUnavailable("The link secret " + secretArn + " cannot be read: "
                        + e.getClass().getSimpleName(), e);
            }
            if (answer.status() == 200) {
                JsonNode value = Json.read(answer.body()).path("SecretString");
                return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
            }
            String type = errorType(answer.body());
            if ("ResourceNotFoundException".equals(type) && !LinkKeys.CURRENT.equals(stage)) {
                // No version carries the label (AWSPREVIOUS before the first rotation). A missing
                // secret fails on AWSCURRENT, which must exist.
                return Optional.empty();
            }
            if (retryable(answer.status(), type) && attempt < ATTEMPTS) {
                pause(attempt);
                continue;
            }
            throw new LinkSecretUnavailable("The link secret " + secretArn + " cannot be read: Secrets Manager answered "
                    + answer.status() + (type.isEmpty() ? "" : " " + type) + " for " + stage);
        }
    }

    private record Answer(int status, String body) {
    }

    private Answer send(String body) throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", TARGET)
                .build();
        SignedRequest signed = Signer.V4.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
        String text = "";
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new Answer(response.httpResponse().statusCode(), text);
    }

    /** The error's name from the JSON protocol's {@code __type} ("...#ResourceNotFoundException"), or "". */
    static String errorType(String body) {
        try {
            String type = Json.read(body).path("__type").asText("");
            return type.substring(type.lastIndexOf('#') + 1);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** What the SDK's standard retry strategy tries again: server errors and throttling. */
    static boolean retryable(int status, String type) {
        return status >= 500 || status == 429 || type.startsWith("Throttling") || type.equals("RequestLimitExceeded")
                || type.equals("InternalServiceError");
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinkSecretUnavailable("Interrupted while reading the link secret", e);
        }
    }
}
