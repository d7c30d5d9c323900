package de.shopmigration.core.lambda;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds SDK clients for one function from its {@link Env}: one shared URL-connection HTTP
 * client, the region and credentials Lambda provides, and, in the local emulator only, an
 * endpoint override (AWS_ENDPOINT_URL). Credentials are read from the environment directly
 * because walking the default provider chain costs cold-start time for nothing in Lambda.
 */
public final class AwsClients {

    /**
     * A call that hangs ends well inside the functions' 30 s timeout, so the function's own
     * error handling runs (an email claim is given back) and the state machine retries the
     * step, instead of Lambda killing the function half-way.
     */
    static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Optional<URI> endpoint;

    public AwsClients(Env env) {
        this.http = UrlConnectionHttpClient.builder().build();
        this.region = Region.of(env.optional("AWS_REGION").orElse("eu-central-1"));
        this.credentials = credentials(env);
        this.endpoint = env.optional("AWS_ENDPOINT_URL").map(URI::create);
    }

    private static AwsCredentialsProvider credentials(Env env) {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                        token -> AwsSessionCredentials.create(key.get(), secret.get(), token))
                .orElseGet(() -> AwsBasicCredentials.create(key.get(), secret.get())));
    }

    public Region region() {
        return region;
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    public SesV2Client sesV2() {
        return configure(SesV2Client.builder()).build();
    }

    /** The one HTTP client: the link secret's reading (SecretsManagerSource) sends through it too. */
    public SdkHttpClient http() {
        return http;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The emulator's endpoint when one is set (AWS_ENDPOINT_URL), else the service's own. */
    public URI endpointOr(URI serviceEndpoint) {
        return endpoint.orElse(serviceEndpoint);
    }

    /**
     * Applies the shared settings to any service's builder, so modules that add a service
     * (Route 53, Step Functions) build it the same way.
     */
    public <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    /** Route 53 is a global service: its clients always sign for aws-global. */
    public <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configureGlobal(B builder) {
        configure(builder).region(Region.AWS_GLOBAL);
        return builder;
    }
}
